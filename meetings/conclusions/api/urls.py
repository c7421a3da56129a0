"""The conclusion notice's API; config/urls.py puts it in the `meetings-api` namespace."""

from django.urls import path

from meetings.conclusions.api import notices

urlpatterns = [
    path(
        "meetings/<int:meeting_id>/conclusions/",
        notices.NoticeView.as_view(),
        name="meeting-conclusions",
    ),
    *(
        path(
            f"meetings/<int:meeting_id>/conclusions/{name}/",
            view.as_view(),
            name=f"meeting-conclusions-{name}",
        )
        for name, view in (
            ("submit", notices.SubmitView),
            ("approve", notices.ApproveView),
            ("return", notices.ReturnView),
            ("sign", notices.SignView),
            ("publish", notices.PublishView),
        )
    ),
]
