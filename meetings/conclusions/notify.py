"""Telling the offices that took part in a session that its conclusion notice is out:
one e-mail to each secretariat member of those offices, sent by the task worker after
the publishing committed. In the app, their dashboard lists the new notices
(templatetags.conclusions_ui)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from meetings.conclusions.drafting import session_offices
from meetings.conclusions.models import ConclusionNotice, NoticeState
from meetings.models import Classification


def on_notice_published(sender: object, notice_id: int, **kwargs: object) -> None:
    send_published_notice.enqueue(notice_id)


def recipients(notice: ConclusionNotice) -> list[str]:
    """The e-mail addresses of the secretariat members of the session's offices."""
    offices = session_offices(notice.meeting).values("pk")
    addresses = (
        get_user_model()
        .objects.filter(
            is_active=True,
            offices__in=offices,
            groups__name=Role.SECRETARIAT.value,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(addresses))


@task()
def send_published_notice(notice_id: int) -> int:
    """E-mail every recipient; returns how many got it (0 for a notice gone or unpublished)."""
    notice = (
        ConclusionNotice.objects.select_related("meeting__conference", "meeting__owner_office")
        .filter(pk=notice_id, state=NoticeState.PUBLISHED)
        .first()
    )
    if notice is None:
        return 0
    addresses = recipients(notice)
    if not addresses:
        return 0
    context = {
        "notice": notice,
        "meeting": notice.meeting,
        "tasks": notice.items.filter(is_task=True).count(),
        # Offices that took part are not necessarily invited: a confidential title stays hidden.
        "confidential": notice.meeting.classification == Classification.CONFIDENTIAL,
        "link": settings.SITE_URL.rstrip("/")
        + reverse("meetings:conclusions", kwargs={"meeting_id": notice.meeting_id}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("meetings/email/conclusions_published_subject.txt", context)
        body = render_to_string("meetings/email/conclusions_published.txt", context)
    subject = " ".join(subject.split())
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    with mailers.default as connection:
        connection.send_messages(messages)
    return len(addresses)
