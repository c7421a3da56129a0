from django.urls import path

from people.views import invitation

app_name = "people"

urlpatterns = [
    path("invitation/<str:token>/", invitation.invitation, name="invitation"),
]
