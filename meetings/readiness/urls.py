"""The readiness pages of a meeting; config/urls.py puts them in the `meetings`
namespace beside the booking core's pages."""

from django.urls import path

from meetings.readiness import board_views, console_views, report_views

urlpatterns = [
    path("console/", console_views.console, name="console"),
    path("console/report/", console_views.console_report, name="console-report"),
    path("<int:meeting_id>/board/", board_views.board, name="board"),
    path("<int:meeting_id>/board/legs/<int:leg_id>/", board_views.board_leg, name="board-leg"),
    path("<int:meeting_id>/readiness/", report_views.readiness_report, name="readiness"),
    path("<int:meeting_id>/readiness.csv", report_views.readiness_csv, name="readiness-csv"),
]
