"""The readiness pages of a meeting; config/urls.py puts them in the `meetings`
namespace beside the booking core's pages."""

from django.urls import path

from meetings.readiness import views

urlpatterns = [
    path("console/", views.console, name="console"),
    path("console/report/", views.console_report, name="console-report"),
    path("<int:meeting_id>/board/", views.board, name="board"),
    path("<int:meeting_id>/board/legs/<int:leg_id>/", views.board_leg, name="board-leg"),
    path("<int:meeting_id>/readiness/", views.readiness_report, name="readiness"),
    path("<int:meeting_id>/readiness.csv", views.readiness_csv, name="readiness-csv"),
]
