"""One invitation e-mail, as Outlook, Exchange and Gmail expect it.

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain
    │   ├── text/html
    │   └── text/calendar; method=REQUEST|CANCEL   (what the clients act on)
    └── application/ics; name="invite.ics"         (the same text, to open or save)

The calendar text travels in base64 both times: a text part would have its CRLF line
ends rewritten. The wording says what the message is for (`Purpose`), what changed,
and, in a REQUEST, offers links that record the answer in Giao Ban.
"""

from dataclasses import dataclass, field
from email.message import MIMEPart
from enum import StrEnum

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.calendar.ical import EventData
from meetings.calendar.invitation_changes import span_text

ATTACHMENT_NAME = "invite.ics"


class Purpose(StrEnum):
    INVITATION = "invitation"
    UPDATE = "update"
    CANCELLATION = "cancellation"
    # The recipient was taken off the session (their site removed): it goes on without them.
    WITHDRAWAL = "withdrawal"


@dataclass(frozen=True)
class Letter:
    """What one recipient is told: the purpose, the events (one, a series' master, or
    the changed occurrences of a series), what changed, and where to answer."""

    purpose: Purpose
    method: str
    events: list[EventData]
    calendar: bytes
    occurrences: bool = False  # the events are occurrences of a series (RECURRENCE-ID)
    changes: list[str] = field(default_factory=list)
    answer_links: dict[str, str] | None = None


def compose(letter: Letter, address: str) -> EmailMessage:
    """The e-mail of `letter` to `address`, in the active language."""
    context = context_of(letter)
    subject = render_to_string("meetings/calendar/email/invitation_subject.txt", context)
    text = render_to_string("meetings/calendar/email/invitation.txt", context)
    html = render_to_string("meetings/calendar/email/invitation.html", context)
    # No body of its own: the text is the first alternative, inside the mixed message.
    message = EmailMessage(" ".join(subject.split()), "", to=[address])
    message.attach(alternatives(text, html, letter.calendar, letter.method))
    message.attach(attachment(letter.calendar))
    return message


def context_of(letter: Letter) -> dict:
    first = letter.events[0]
    return {
        "intro": intro_of(letter),
        "purpose": str(letter.purpose),
        "occurrences": letter.occurrences,
        "recurring": bool(first.rrule),
        "summary": first.summary,
        "start": date_format(timezone.localtime(first.start), "d/m/Y H:i"),
        "sessions": [
            {
                "summary": event.summary,
                "when": span_text(event.start, event.end),
                "location": event.location,
            }
            for event in letter.events
        ],
        "description": first.description,
        "changes": letter.changes,
        "answers": letter.answer_links,
    }


def intro_of(letter: Letter) -> str:
    """The opening sentence: what the message is for and what its calendar file does."""
    count = len(letter.events)
    if letter.purpose == Purpose.WITHDRAWAL:
        return _(
            "You were removed from this session: you are no longer invited, or your site no "
            "longer takes part. The session itself is not cancelled. The attached calendar "
            "file removes it from your calendar."
        )
    if letter.purpose == Purpose.CANCELLATION and letter.occurrences:
        return ngettext(
            "This session of the series is cancelled; the other sessions go ahead. The "
            "attached calendar file removes it from your calendar.",
            "These %(count)s sessions of the series are cancelled; the other sessions go "
            "ahead. The attached calendar file removes them from your calendar.",
            count,
        ) % {"count": count}
    if letter.purpose == Purpose.CANCELLATION:
        return _(
            "This session is cancelled. The attached calendar file removes it from your calendar."
        )
    if letter.purpose == Purpose.UPDATE and letter.occurrences:
        return ngettext(
            "This session of the series has changed; the other sessions are as they were. "
            "The attached calendar file updates it in your calendar.",
            "These %(count)s sessions of the series have changed; the other sessions are as "
            "they were. The attached calendar file updates them in your calendar.",
            count,
        ) % {"count": count}
    if letter.purpose == Purpose.UPDATE:
        return _(
            "This session has changed. The attached calendar file updates it in your calendar."
        )
    return _(
        "You are invited to this session. Open the attached calendar file to add it to your "
        "calendar."
    )


def alternatives(text: str, html: str, calendar: bytes, method: str) -> MIMEPart:
    part = MIMEPart()
    part.set_content(text, subtype="plain", charset="utf-8")
    part.add_alternative(html, subtype="html", charset="utf-8")
    part.add_alternative(
        calendar,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": method, "charset": "utf-8"},
    )
    return part


def attachment(calendar: bytes) -> MIMEPart:
    part = MIMEPart()
    part.set_content(
        calendar,
        maintype="application",
        subtype="ics",
        cte="base64",
        disposition="attachment",
        filename=ATTACHMENT_NAME,
        params={"name": ATTACHMENT_NAME},
    )
    return part
