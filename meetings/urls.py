"""The booking core's pages. config/urls.py composes them with the records' and the
readiness pages' under one namespace, `meetings`: the core imports neither."""

from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("week/", views.week, name="week"),
    path("new/", views.book, name="book"),
    path("check/", views.check, name="check"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:meeting_id>/sites/", views.change_sites, name="sites"),
    path("<int:meeting_id>/site-list/", views.site_list, name="site-list"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
]
