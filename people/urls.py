from django.urls import path

from people.views import imports, invitation, service_accounts

app_name = "people"

urlpatterns = [
    path("invitation/<str:token>/", invitation.invitation, name="invitation"),
    path("import/", imports.people_import, name="import"),
    path("import/<int:job_id>/", imports.import_job, name="import-job"),
    path("import/<int:job_id>/status.json", imports.import_job_status, name="import-job-status"),
    path(
        "import/<int:job_id>/rejected.csv", imports.import_job_bad_rows, name="import-job-bad-rows"
    ),
    path("service-accounts/", service_accounts.overview, name="service-accounts"),
    path(
        "service-accounts/<int:account_id>/",
        service_accounts.detail,
        name="service-account",
    ),
    path(
        "service-accounts/<int:account_id>/tokens/",
        service_accounts.create_token,
        name="service-account-token-create",
    ),
    path(
        "service-accounts/tokens/<int:token_id>/revoke/",
        service_accounts.revoke_token,
        name="service-account-token-revoke",
    ),
]
