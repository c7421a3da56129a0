from django.urls import path

from meetings import views
from meetings.views import readiness

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
]
