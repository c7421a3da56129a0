"""The calendar pages (/calendar/): subscriptions, feeds, single-event downloads."""

from django.urls import path

from meetings.views import calendar

app_name = "calendar"
urlpatterns = [
    path("", calendar.overview, name="overview"),
    path("subscriptions/new/", calendar.create_feed, name="create"),
    path("subscriptions/<int:feed_id>/rotate/", calendar.rotate_feed, name="rotate"),
    path("subscriptions/<int:feed_id>/revoke/", calendar.revoke_feed, name="revoke"),
    path("preferences/", calendar.preferences, name="preferences"),
    path("feed/<str:token>.ics", calendar.feed, name="feed"),
    path("meetings/<int:meeting_id>.ics", calendar.meeting_ics, name="meeting-ics"),
]
