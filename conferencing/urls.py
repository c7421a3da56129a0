from django.urls import path

from conferencing.views import bridge_use, bridges, directory, offices, sites

app_name = "conferencing"
# Fixed paths before <code>/: they win, so a site coded "import" or "new" has no detail
# page here.
urlpatterns = [
    path("", directory.endpoint_list, name="endpoint-list"),
    path("new/", sites.site_create, name="site-create"),
    path("import/", directory.endpoint_import, name="endpoint-import"),
    path("import/<int:job_id>/", directory.import_job, name="import-job"),
    path("import/<int:job_id>/status.json", directory.import_job_status, name="import-job-status"),
    path("export.csv", directory.endpoint_export, name="endpoint-export"),
    path("<str:code>/", directory.endpoint_detail, name="endpoint-detail"),
    path("<str:code>/edit/", sites.site_edit, name="site-edit"),
    path("<str:code>/active/", sites.site_set_active, name="site-set-active"),
    path("<str:code>/technicians/", sites.site_technicians, name="site-technicians"),
]

# Mounted at /offices/ (namespace "offices") and /bridges/ (namespace "bridges") by config.urls.
office_urlpatterns = [
    path("", offices.office_list, name="list"),
    path("new/", offices.office_create, name="create"),
    path("<int:office_id>/edit/", offices.office_edit, name="edit"),
    path("<int:office_id>/deactivate/", offices.office_deactivate, name="deactivate"),
]

bridge_urlpatterns = [
    path("", bridges.bridge_list, name="list"),
    path("new/", bridges.bridge_create, name="create"),
    path("<int:bridge_id>/edit/", bridges.bridge_edit, name="edit"),
    path("<int:bridge_id>/use/", bridge_use.bridge_use, name="use"),
]
