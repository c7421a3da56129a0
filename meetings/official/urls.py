"""The document wording pages (config/urls.py mounts them under documents/, namespace
`official`) and the meeting page's invitation action (in the `meetings` namespace)."""

from django.urls import path

from meetings.official import views

template_urlpatterns = [
    path("templates/<str:kind>/", views.template_edit, name="template"),
    path("templates/<str:kind>/preview.pdf", views.template_preview, name="template-preview"),
]

meeting_urlpatterns = [
    path(
        "<int:meeting_id>/invitation-letter/",
        views.issue_invitation,
        name="invitation-letter",
    ),
]
