from django.urls import path

from meetings import views
from meetings.readiness import views as readiness
from meetings.records import views as record_views

app_name = "meetings"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("week/", views.week, name="week"),
    path("new/", views.book, name="book"),
    path("check/", views.check, name="check"),
    path("console/", readiness.console, name="console"),
    path("console/report/", readiness.console_report, name="console-report"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:meeting_id>/sites/", views.change_sites, name="sites"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/board/", readiness.board, name="board"),
    path("<int:meeting_id>/readiness/", readiness.readiness_report, name="readiness"),
    path("<int:meeting_id>/readiness.csv", readiness.readiness_csv, name="readiness-csv"),
    path("<int:meeting_id>/records/", record_views.upload, name="record-upload"),
    path(
        "<int:meeting_id>/records/<int:record_id>/hold/",
        record_views.legal_hold,
        name="record-hold",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/file/",
        record_views.download,
        name="record-download",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/watch/",
        record_views.watch,
        name="record-watch",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/submit/",
        record_views.submit,
        name="record-submit",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/approve/",
        record_views.approve,
        name="record-approve",
    ),
    path(
        "<int:meeting_id>/records/versions/<int:version_id>/return/",
        record_views.return_minutes,
        name="record-return",
    ),
]
