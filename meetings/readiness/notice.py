"""Telling each site's technicians that a session's readiness window has opened.

The e-mail is a deferred task, enqueued after the booking commits (this module
listens to meetings.events) with run_after = the window's opening. Moving a
session enqueues a new one; the old one finds the window moved and sends nothing,
so no task needs cancelling.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from conferencing.models import Conference, ConferenceStatus, Endpoint
from meetings.events import MeetingChange
from meetings.models import Classification, Meeting

logger = logging.getLogger(__name__)


def on_meeting_changed(sender: type, change: MeetingChange, **kwargs: object) -> None:
    """After the commit: one notice per conference whose readiness window is new."""
    for conference_id, opens_at in change.opened_windows:
        send_readiness_notice.using(run_after=datetime.fromisoformat(opens_at)).enqueue(
            conference_id, opens_at
        )


@task()
def send_readiness_notice(conference_id: int, opens_at: str) -> int:
    """E-mail every technician of every site of the session; returns how many got it."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None or conference.status != ConferenceStatus.SCHEDULED:
        return 0
    if conference.reserved_from != datetime.fromisoformat(opens_at):
        return 0  # the session moved: the notice enqueued by the move will go instead
    meeting = Meeting.objects.get(conference=conference)
    recipients = sorted(
        set(
            Endpoint.objects.filter(legs__conference=conference, legs__is_reserved=True)
            .exclude(technicians__email="")
            .values_list("technicians__email", flat=True)
        )
        - {None}
    )
    if not recipients:
        return 0
    context = {
        "meeting": meeting,
        # Technicians are not necessarily invited: a confidential title stays hidden.
        "confidential": meeting.classification == Classification.CONFIDENTIAL,
        "start": timezone.localtime(conference.start),
        "end": timezone.localtime(conference.end),
        "opens": timezone.localtime(conference.reserved_from),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("meetings/email/readiness_notice_subject.txt", context)
        body = render_to_string("meetings/email/readiness_notice.txt", context)
    subject = " ".join(subject.split())
    # One message per address (technicians do not see each other's), one connection
    # for all. `mailers` (Django 6.1): get_connection() is deprecated.
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
    with mailers.default as connection:
        connection.send_messages(messages)
    return len(recipients)
