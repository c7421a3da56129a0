"""The conclusion notice's pages; config/urls.py puts them in the `meetings` namespace."""

from django.urls import path

from meetings.conclusions import views

urlpatterns = [
    path("<int:meeting_id>/conclusions/", views.notice, name="conclusions"),
    # The action (submit, approve, return, sign, publish) is the form's `action` field.
    path("<int:meeting_id>/conclusions/act/", views.act, name="conclusions-act"),
]
