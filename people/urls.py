from django.urls import path

from people.views import imports, invitation

app_name = "people"

urlpatterns = [
    path("invitation/<str:token>/", invitation.invitation, name="invitation"),
    path("import/", imports.people_import, name="import"),
    path("import/<int:job_id>/", imports.import_job, name="import-job"),
    path("import/<int:job_id>/status.json", imports.import_job_status, name="import-job-status"),
    path(
        "import/<int:job_id>/rejected.csv", imports.import_job_bad_rows, name="import-job-bad-rows"
    ),
]
