"""What the calendar tests share: parsing feeds back with two parsers, finding events."""

import icalendar
import vobject
from django.utils import timezone

from meetings.calendar.feed_tokens import FeedScope, create
from meetings.calendar.models import FeedKind
from tests.factories import LOCAL_ZONE


def parse(text: bytes) -> icalendar.Calendar:
    """With icalendar, strictly: the text must be UTF-8 and one VCALENDAR."""
    return icalendar.Calendar.from_ical(text.decode("utf-8"))


def parse_independently(text: bytes):
    """With vobject, a parser that shares no code with icalendar."""
    return vobject.readOne(text.decode("utf-8"))


def vevents(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def by_uid(calendar: icalendar.Calendar, uid: str) -> list[icalendar.Event]:
    return [event for event in vevents(calendar) if str(event["UID"]) == uid]


def master(calendar: icalendar.Calendar, uid: str) -> icalendar.Event:
    (event,) = [event for event in by_uid(calendar, uid) if "RECURRENCE-ID" not in event]
    return event


def local(moment):
    return timezone.localtime(moment, LOCAL_ZONE)


def new_feed(user, kind: str = FeedKind.PERSONAL, **scope) -> tuple:
    """A feed and its token, created through the domain."""
    return create(user, FeedScope(kind=kind, **scope))


def feed_url(token: str) -> str:
    return f"/calendar/feed/{token}.ics"


def unfolded(text: bytes) -> str:
    """The feed's text with folded lines joined: what a search for a phrase must see."""
    return text.decode("utf-8").replace("\r\n ", "")
