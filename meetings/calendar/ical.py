"""iCalendar (RFC 5545) text as small pure functions: no database, no request.

`event_properties` says what one VEVENT of an `EventData` holds; `build_event`
makes it an icalendar Event and `event_text` writes its bytes directly (the same
bytes, without the Event: what feeds cache per event). `build_series_events`
gives a recurring master with its overrides, `build_calendar` the VCALENDAR
around events (with the VTIMEZONE of every zone used) and `serialize` its bytes.
meetings.calendar.ical_writer writes exactly what icalendar's own `to_ical()`
writes, in a fraction of its time, without patching icalendar; `assemble` joins
cached event texts inside a wrapper written the same way.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    vDuration,
    vText,
)

from meetings.calendar import ical_writer
from meetings.calendar.ical_writer import Kind, Property

PRODID = "-//Giao Ban//Giao Ban Calendar 1.0//VI"
SUMMARY_LIMIT = 250
DESCRIPTION_LIMIT = 4000
END_OF_CALENDAR = b"END:VCALENDAR\r\n"

# C0 and C1 controls (tab and newline handled apart), DEL, lone surrogates and the
# non-characters U+FFFE/U+FFFF: calendar parsers refuse or mangle all of them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|\r|\n|\u2028|\u2029|\x85")
_BLANKS = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class Person:
    """An ORGANIZER, or an ATTENDEE with their role (RFC 5545 ROLE: CHAIR, REQ-PARTICIPANT,
    OPT-PARTICIPANT), their answer (PARTSTAT) and whether an answer is asked (RSVP)."""

    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = False


@dataclass(frozen=True)
class EventData:
    """Everything one VEVENT says, already decided (visibility, wording, language)."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    stamp: datetime
    last_modified: datetime | None = None
    summary: str = ""
    location: str = ""
    description: str = ""
    url: str = ""
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    cancelled: bool = False
    # A CANCEL telling one attendee they were taken off the event, which goes on for the
    # others: no STATUS (RFC 5546 3.2.5: STATUS:CANCELLED cancels the whole event).
    withdrawn: bool = False
    confidential: bool = False
    # A recurring master: the RRULE value (UNTIL in UTC) and the instances it does not have.
    rrule: str = ""
    exdates: tuple[datetime, ...] = ()
    # An override of one instance of a recurring master: that instance's original start.
    recurrence_id: datetime | None = None


@dataclass(frozen=True)
class CalendarData:
    name: str
    method: str = "PUBLISH"
    zone: str = "Asia/Ho_Chi_Minh"
    description: str = ""
    # How often subscribers should reload: REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL.
    refresh: timedelta | None = None
    extra: dict[str, str] = field(default_factory=dict)


def clean_line(text: str, limit: int | None = None) -> str:
    """One line of text: no control characters, no line breaks, single spaces."""
    if not _is_clean_line(text):
        text = _CONTROL.sub("", _LINE_BREAKS.sub(" ", text or ""))
        text = _BLANKS.sub(" ", text).strip()
    return shorten(text, limit)


def _is_clean_line(text: str) -> bool:
    """Whether `clean_line` would leave `text` as it is: every control character,
    line break, tab, surrogate and non-character is unprintable to Python."""
    return bool(text) and text.isprintable() and "  " not in text and text.strip() == text


def clean_text(text: str, limit: int | None = None) -> str:
    """Multi-line text: line breaks kept (as \\n), other control characters gone."""
    lines = _LINE_BREAKS.sub("\n", text or "").split("\n")
    text = "\n".join(
        (line if line.isprintable() else _CONTROL.sub("", line.replace("\t", " "))).rstrip()
        for line in lines
    )
    return shorten(text.strip(), limit)


def shorten(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def event_properties(data: EventData, zone: ZoneInfo) -> list[Property]:
    """What one VEVENT says: start, end, EXDATE and RECURRENCE-ID in `zone` (TZID),
    stamps in UTC. The one definition that `build_event` and `event_text` write."""
    stamp = utc(data.stamp)
    properties: list[Property] = [
        ("UID", Kind.TEXT, clean_line(data.uid)),
        ("DTSTAMP", Kind.UTC_TIME, stamp),
        ("DTSTART", Kind.ZONED_TIME, data.start.astimezone(zone)),
        ("DTEND", Kind.ZONED_TIME, data.end.astimezone(zone)),
    ]
    if data.recurrence_id is not None:
        properties.append(("RECURRENCE-ID", Kind.ZONED_TIME, data.recurrence_id.astimezone(zone)))
    properties.append(("SEQUENCE", Kind.INTEGER, data.sequence))
    if data.last_modified is not None:
        properties.append(("LAST-MODIFIED", Kind.UTC_TIME, utc(data.last_modified)))
    if not data.withdrawn:
        properties.append(("STATUS", Kind.TEXT, "CANCELLED" if data.cancelled else "CONFIRMED"))
    properties.append(("SUMMARY", Kind.TEXT, clean_line(data.summary, SUMMARY_LIMIT)))
    if data.location:
        properties.append(("LOCATION", Kind.TEXT, clean_line(data.location, SUMMARY_LIMIT)))
    if data.description:
        properties.append(
            ("DESCRIPTION", Kind.TEXT, clean_text(data.description, DESCRIPTION_LIMIT))
        )
    if data.url:
        properties.append(("URL", Kind.URI, clean_line(data.url)))
    if data.confidential:
        properties.append(("CLASS", Kind.TEXT, "CONFIDENTIAL"))
    if data.organizer is not None:
        properties.append(("ORGANIZER", Kind.ADDRESS, address(data.organizer)))
    for attendee in data.attendees:
        properties.append(("ATTENDEE", Kind.ADDRESS, address(attendee, attendee=True)))
    if data.rrule:
        properties.append(("RRULE", Kind.RECUR, data.rrule))
    if data.exdates:
        exdates = tuple(sorted(moment.astimezone(zone) for moment in data.exdates))
        properties.append(("EXDATE", Kind.ZONED_TIMES, exdates))
    return properties


def build_event(data: EventData, zone: ZoneInfo) -> Event:
    """One VEVENT as an icalendar Event (see `event_properties`).

    Properties are set as icalendar's own value types rather than through
    `Event.add`, whose type inference was two thirds of the cost of an event.
    """
    return ical_writer.component(Event, event_properties(data, zone))


def event_text(data: EventData, zone: ZoneInfo) -> bytes:
    """`serialize(build_event(data, zone))`, the same bytes, written without making
    the icalendar Event: what feeds write for each event."""
    return ical_writer.write(Event, event_properties(data, zone))


def address(person: Person, attendee: bool = False) -> tuple[str, str, tuple]:
    """A person as an ADDRESS value: their mailto URI, common name and, for an attendee,
    their ROLE, PARTSTAT and RSVP."""
    parameters = (
        (
            ("ROLE", person.role),
            ("PARTSTAT", person.partstat),
            ("RSVP", "TRUE" if person.rsvp else "FALSE"),
        )
        if attendee
        else ()
    )
    return f"mailto:{clean_line(person.email)}", clean_line(person.name, 100), parameters


def build_series_events(
    master: EventData, overrides: Sequence[EventData], zone: ZoneInfo
) -> list[Event]:
    """A recurring master and its RECURRENCE-ID overrides, all under the master's UID."""
    if not master.rrule:
        raise ValueError("a series master needs an RRULE")
    events = [build_event(master, zone)]
    for override in overrides:
        if override.recurrence_id is None:
            raise ValueError("an override needs its RECURRENCE-ID")
        if override.uid != master.uid:
            raise ValueError("an override shares its master's UID")
        events.append(build_event(override, zone))
    return events


def rrule_value(rule: str, until: datetime | None) -> str:
    """The stored rule as an RRULE value, UNTIL as the UTC instant `until` (RFC 5545:
    with a zoned DTSTART, UNTIL must be UTC); `until` None keeps the rule's own end."""
    parts = [
        part
        for part in rule.strip().removeprefix("RRULE:").split(";")
        if part and not part.upper().startswith("UNTIL=")
    ]
    if until is not None:
        parts.append(f"UNTIL={utc(until):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def build_calendar(
    data: CalendarData, events: Iterable[Event] = (), first_date: date | None = None
) -> Calendar:
    """The VCALENDAR with its refresh hints and the VTIMEZONE of `data.zone` and of
    every other zone the events use (icalendar's add_missing_timezones)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", data.method)
    # icalendar 7.3 knows neither NAME (RFC 7986) nor the X-WR- names and writes a plain
    # str for them raw: as vText they are escaped as TEXT (`\,` `\;` `\\`), as clients
    # read them (a person's, site's or office's name may hold any of these).
    name = vText(clean_line(data.name, SUMMARY_LIMIT))
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if data.description:
        calendar.add("x-wr-caldesc", vText(clean_line(data.description, SUMMARY_LIMIT)))
    calendar.add("x-wr-timezone", data.zone)
    if data.refresh is not None:
        # icalendar writes a timedelta without VALUE=DURATION, which RFC 7986 requires
        # for REFRESH-INTERVAL; and a bare timedelta X- property as an invalid value.
        calendar.add("refresh-interval", data.refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(data.refresh))
    for name_, value in data.extra.items():
        calendar.add(name_, value)
    calendar.add_component(Timezone.from_tzid(data.zone))
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def serialize(component: Calendar | Event) -> bytes:
    """`component.to_ical()`, the same bytes, written faster (ical_writer)."""
    return ical_writer.to_ical(component)


def assemble(wrapper: bytes, events: Iterable[bytes]) -> bytes:
    """Join serialised VEVENTs inside a serialised event-less VCALENDAR."""
    if not wrapper.endswith(END_OF_CALENDAR):
        raise ValueError("the wrapper is not a serialised VCALENDAR")
    head = wrapper[: -len(END_OF_CALENDAR)]
    return b"".join([head, *events, END_OF_CALENDAR])
