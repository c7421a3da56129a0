from django.urls import path

from conferencing import views

app_name = "conferencing"
urlpatterns = [
    path("", views.endpoint_list, name="endpoint-list"),
]
