from django.urls import path

from people.views import invitation, service_accounts

app_name = "people"

urlpatterns = [
    path("invitation/<str:token>/", invitation.invitation, name="invitation"),
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
