"""The records of a meeting on its page; config/urls.py puts them in the `meetings`
namespace beside the booking core's pages."""

from django.urls import path

from meetings.records import views

urlpatterns = [
    path("<int:meeting_id>/records/", views.upload, name="record-upload"),
    path(
        "<int:meeting_id>/records/<int:record_id>/hold/",
        views.legal_hold,
        name="record-hold",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/file/",
        views.download,
        name="record-download",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/signatures/",
        views.signature,
        name="record-signature",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/watch/",
        views.watch,
        name="record-watch",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/submit/",
        views.submit,
        name="record-submit",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/approve/",
        views.approve,
        name="record-approve",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/return/",
        views.return_minutes,
        name="record-return",
    ),
]
