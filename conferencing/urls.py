from django.urls import path

from conferencing import views

app_name = "conferencing"
# Fixed paths before <code>/: they win, so a site coded "import" has no detail page here.
urlpatterns = [
    path("", views.endpoint_list, name="endpoint-list"),
    path("import/", views.endpoint_import, name="endpoint-import"),
    path("import/<int:job_id>/", views.import_job, name="import-job"),
    path("import/<int:job_id>/status.json", views.import_job_status, name="import-job-status"),
    path("export.csv", views.endpoint_export, name="endpoint-export"),
    path("<str:code>/", views.endpoint_detail, name="endpoint-detail"),
]
