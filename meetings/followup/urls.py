"""The task pages; config/urls.py mounts them at /tasks/ in the `followup` namespace."""

from django.urls import path

from meetings.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("follow-up/", views.follow_up, name="follow-up"),
    path("follow-up/export/<slug:fmt>/", views.follow_up_export, name="export"),
    path("<int:task_id>/", views.task_detail, name="task"),
    path("<int:task_id>/steps/<slug:step>/", views.task_step, name="step"),
    path("<int:task_id>/evidence/<int:file_id>/", views.evidence, name="evidence"),
]
