"""The audit trail page (/audit/)."""

from django.urls import path

from meetings.trail import views

app_name = "trail"
urlpatterns = [path("", views.entries, name="entries")]
