"""The booking core's API. config/urls.py composes it with the records' API under one
namespace, `meetings-api`: the core imports no records code."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from meetings.api.attendees import AttendeeDetailView, AttendeeListView
from meetings.api.live import MeetingLegsView
from meetings.api.readiness import ReadinessReportView, ReadinessSitesView
from meetings.api.views import MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = [
    *router.urls,
    path(
        "meetings/<int:meeting_id>/attendees/",
        AttendeeListView.as_view(),
        name="meeting-attendees",
    ),
    path(
        "meetings/<int:meeting_id>/attendees/<int:user_id>/",
        AttendeeDetailView.as_view(),
        name="meeting-attendee",
    ),
    path("meetings/<int:meeting_id>/legs/", MeetingLegsView.as_view(), name="meeting-legs"),
    path(
        "meetings/<int:meeting_id>/readiness/",
        ReadinessReportView.as_view(),
        name="meeting-readiness",
    ),
    path(
        "meetings/<int:meeting_id>/readiness/sites/",
        ReadinessSitesView.as_view(),
        name="meeting-readiness-sites",
    ),
]
