"""The conclusion notice's pages; config/urls.py puts them in the `meetings` namespace."""

from django.urls import path

from meetings.conclusions import views

urlpatterns = [
    path("<int:meeting_id>/conclusions/", views.notice, name="conclusions"),
    path(
        "<int:meeting_id>/conclusions/<slug:action>/",
        views.act,
        name="conclusions-act",
    ),
]
