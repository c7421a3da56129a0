"""The booking core's pages. config/urls.py composes them with the records' and the
readiness pages' under one namespace, `meetings`: the core imports neither."""

from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("week/", views.week, name="week"),
    path("month/", views.month, name="month"),
    path("new/", views.book, name="book"),
    path("check/", views.check, name="check"),
    path("sites/count/", views.site_count, name="site_count"),
    path("sites/search/", views.site_search, name="site_search"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:meeting_id>/reschedule/check/", views.reschedule_check, name="reschedule_check"),
    path("<int:meeting_id>/sites/", views.change_sites, name="sites"),
    path("<int:meeting_id>/sites/check/", views.sites_check, name="sites_check"),
    path("<int:meeting_id>/site-list/", views.site_list, name="site-list"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
]
