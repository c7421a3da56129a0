from django.urls import path

from people.views import imports, invitation, pages, service_accounts

app_name = "people"

urlpatterns = [
    path("", pages.person_list, name="list"),
    path("new/", pages.person_new, name="new"),
    path("assign-sites/", pages.assign_sites, name="assign-sites"),
    path("<int:person_id>/", pages.person_detail, name="detail"),
    path("<int:person_id>/invite/", pages.person_invite, name="invite"),
    path("<int:person_id>/active/", pages.person_set_active, name="set-active"),
    path("<int:person_id>/unlock/", pages.person_unlock, name="unlock"),
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
