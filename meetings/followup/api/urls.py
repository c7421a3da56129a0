"""The tasks API; config/urls.py mounts it under /api/v1/ in the `followup-api` namespace."""

from django.urls import path

from meetings.followup.api import views

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:task_id>/", views.TaskDetailView.as_view(), name="task"),
    path(
        "tasks/<int:task_id>/events/<int:event_id>/",
        views.TaskEventView.as_view(),
        name="task-event",
    ),
    path("tasks/<int:task_id>/reports/", views.TaskReportsView.as_view(), name="task-reports"),
    path(
        "tasks/<int:task_id>/extension-requests/",
        views.TaskExtensionRequestsView.as_view(),
        name="task-extension-requests",
    ),
    path(
        "tasks/<int:task_id>/decisions/", views.TaskDecisionsView.as_view(), name="task-decisions"
    ),
]
