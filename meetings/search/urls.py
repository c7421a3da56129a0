"""The archive's search page (/search/)."""

from django.urls import path

from meetings.search import views

app_name = "search"
urlpatterns = [path("", views.results, name="results")]
