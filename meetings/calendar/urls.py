"""The calendar pages (/calendar/): subscriptions, feeds, single-event downloads."""

from django.urls import path

from meetings.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("subscriptions/new/", views.create_feed, name="create"),
    path("subscriptions/<int:feed_id>/rotate/", views.rotate_feed, name="rotate"),
    path("subscriptions/<int:feed_id>/revoke/", views.revoke_feed, name="revoke"),
    path("preferences/", views.preferences, name="preferences"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("meetings/<int:meeting_id>.ics", views.meeting_ics, name="meeting-ics"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
