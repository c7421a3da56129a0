"""Invitations by e-mail: the calendar clients' way of following a session.

Booking sends METHOD:REQUEST with the .ics attached; every change (move,
sites, cancelling one occurrence) sends a new REQUEST with a higher SEQUENCE;
cancelling sends METHOD:CANCEL with STATUS:CANCELLED. A series travels as one
calendar object (the series' UID, its RRULE, EXDATEs and overrides, as in the
feeds), so booking twelve occurrences sends one invitation, not twelve.

Recipients: the attendees and the technicians of the sites, minus those who
opted out or have no e-mail address. Someone who got an invitation and no
longer belongs (their site was removed) gets a CANCEL. Each person gets their
own message in their chosen language (Vietnamese by default), with a
confidential session shown as busy to those not invited.

The e-mails are a task, enqueued after the change commits (meetings.calendar.receivers
listens to meetings.events: one event per action, so one enqueue). The task carries
the version it was enqueued for (the meeting's SEQUENCE, or the sum over the
series' occurrences) and sends nothing if a later change superseded it: the
later task will send the newer state.
"""

import logging
from dataclasses import dataclass
from email.message import MIMEPart

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db.models import Sum
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.names import full_name
from conferencing.models import Endpoint
from meetings.calendar.content import (
    Wording,
    build_calendar_of,
    content_rows,
    key_of,
    personal_membership,
    plan_units,
    viewer_of,
)
from meetings.calendar.ical import CalendarData, Person
from meetings.calendar.models import CalendarPreference, SentInvitation
from meetings.models import Attendee, Meeting, MeetingStatus, Series

logger = logging.getLogger(__name__)

# Its own queue, so a national session's thousands of e-mails never hold up the default
# queue's readiness notices when they run on separate workers (bin/run runs both).
QUEUE = "calendar"
MEETING = "meeting"
SERIES = "series"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def enqueue(kind: str, pk: int) -> None:
    """Enqueue the e-mails for the calendar object's current version (nothing if it is
    gone)."""
    version = current_version(kind, pk)
    if version is not None:
        send_invitations.enqueue(kind, pk, version)


def current_version(kind: str, pk: int) -> int | None:
    if kind == MEETING:
        return Meeting.objects.filter(pk=pk).values_list("sequence", flat=True).first()
    total = Meeting.objects.filter(series_id=pk).aggregate(total=Sum("sequence"))["total"]
    return total


@dataclass
class Outcome:
    requests: int = 0
    cancels: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"request": self.requests, "cancel": self.cancels}


@task(queue_name=QUEUE)
def send_invitations(kind: str, pk: int, version: int) -> dict[str, int]:
    """E-mail each recipient their invitation, update or cancellation; returns how many
    of each were sent (none when a later change superseded this one)."""
    if current_version(kind, pk) != version:
        return Outcome().as_dict()
    meetings = (
        Meeting.objects.filter(pk=pk) if kind == MEETING else Meeting.objects.filter(series_id=pk)
    )
    uid = Meeting.objects.get(pk=pk).uid if kind == MEETING else Series.objects.get(pk=pk).uid
    return deliver(uid, meetings).as_dict()


def deliver(uid: str, meetings) -> Outcome:
    current = recipients(meetings)
    held = set(
        SentInvitation.objects.filter(uid=uid, method=REQUEST).values_list("user_id", flat=True)
    )
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=current | held, is_active=True)
        .exclude(email="")
        .select_related("calendar_preference")
    }
    outcome = Outcome()
    messages: list[EmailMessage] = []
    records: list[SentInvitation] = []
    now = timezone.now()
    for user_id in sorted(users):
        user = users[user_id]
        if not wants_invitations(user):
            continue
        if user_id in current:
            message, method, sequence = invitation(user, meetings, now, held=user_id in held)
        elif user_id in held:
            message, method, sequence = withdrawal(user, meetings, now)
        else:
            continue
        messages.append(message)
        records.append(SentInvitation(uid=uid, user=user, sequence=sequence, method=method))
        if method == REQUEST:
            outcome.requests += 1
        else:
            outcome.cancels += 1
    if messages:
        # One message per address (recipients do not see each other), one connection.
        with mailers.default as connection:
            connection.send_messages(messages)
        SentInvitation.objects.bulk_create(
            records,
            update_conflicts=True,
            unique_fields=["uid", "user"],
            update_fields=["sequence", "method", "sent_at"],
        )
    return outcome


def recipients(meetings) -> set[int]:
    """Attendees and technicians of every site of these meetings (cancelled ones too:
    their legs stay, so their technicians hear of the cancellation)."""
    attendees = Attendee.objects.filter(meeting__in=meetings).values_list("user_id", flat=True)
    technicians = (
        Endpoint.objects.filter(legs__conference__meeting__in=meetings)
        .exclude(technicians=None)
        .values_list("technicians", flat=True)
    )
    return set(attendees) | set(technicians)


def wants_invitations(user) -> bool:
    try:
        return user.calendar_preference.receive_invitations
    except CalendarPreference.DoesNotExist:
        return True


def language_of(user) -> str:
    try:
        return user.calendar_preference.language or settings.LANGUAGE_CODE
    except CalendarPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


def invitation(user, meetings, now, held: bool) -> tuple[EmailMessage, str, int]:
    """The recipient's REQUEST, or CANCEL when everything of theirs is cancelled."""
    rows = content_rows(meetings.filter(personal_membership(user)), viewer_of(user))
    method = CANCEL if all(row["status"] == MeetingStatus.CANCELLED for row in rows) else REQUEST
    return compose(user, rows, method, now, update=held), method, sequence_of(rows)


def withdrawal(user, meetings, now) -> tuple[EmailMessage, str, int]:
    """A CANCEL for someone who held the event and is no longer part of it."""
    rows = [
        {**row, "status": MeetingStatus.CANCELLED}
        for row in content_rows(meetings, viewer_of(user))
    ]
    return compose(user, rows, CANCEL, now, update=True), CANCEL, sequence_of(rows)


def sequence_of(rows: list[dict]) -> int:
    first = rows[0]
    return first["series_sequence"] if first["series_id"] else first["sequence"]


def compose(user, rows: list[dict], method: str, now, update: bool) -> EmailMessage:
    attendee = Person(email=user.email, name=full_name(user))
    with translation.override(language_of(user)):
        wording = Wording(stamp=now, attendees=(attendee,))
        data = CalendarData(name="Giao Ban", method=method, zone=settings.TIME_ZONE)
        text = build_calendar_of(rows, wording, data)
        keys = [key_of(row) for row in rows]
        main = plan_units(keys, wording)[0].build({row["pk"]: row for row in rows})
        context = {
            "event": main,
            "start": timezone.localtime(main.start),
            "end": timezone.localtime(main.end),
            "recurring": bool(main.rrule),
            "cancelled": method == CANCEL,
            "update": update,
        }
        subject = render_to_string("meetings/calendar/email/invitation_subject.txt", context)
        body = render_to_string("meetings/calendar/email/invitation.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[user.email])
    message.attach(ics_part(text, method))
    return message


def ics_part(text: bytes, method: str) -> MIMEPart:
    """The .ics as bytes in base64: a text part would have its CRLF line ends rewritten."""
    part = MIMEPart()
    part.set_content(
        text,
        maintype="text",
        subtype="calendar",
        cte="base64",
        disposition="attachment",
        filename="invite.ics",
        params={"method": method, "charset": "utf-8"},
    )
    return part
