"""meetings.calendar.ical_writer writes what icalendar writes, byte for byte.

Its folding and its zone answers are compared with the icalendar functions they
stand for, and the whole writer with icalendar's own `to_ical()` on thousands of
generated components: every value type the calendar uses and more, text with
escapes, BOMs, emoji and long lines, parameters that need quoting, zones of every
kind, nested components. The writer is pure: icalendar stays as installed.
"""

import functools
import random
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest
import pytz
from dateutil import tz as dateutil_tz
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Parameters,
    Timezone,
    is_utc,
    vCalAddress,
    vDDDLists,
    vDDDTypes,
    vInt,
    vRecur,
    vText,
    vUri,
)
from icalendar.parser import content_line
from icalendar.parser import string as icalendar_string
from icalendar.parser.string import _foldline
from icalendar.timezone import tzid, tzid_from_tzinfo

from meetings.calendar import ical, ical_writer

ZONES = [
    ZoneInfo("Asia/Ho_Chi_Minh"),
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("UTC"),
    ZoneInfo("Etc/UTC"),
    ZoneInfo("America/New_York"),
    UTC,
    timezone(timedelta(hours=7)),
    timezone(timedelta(hours=7), "ICT"),
    timezone(timedelta(0), "Not UTC"),
    timezone(timedelta(hours=-3, minutes=-30), "UTC"),
    pytz.timezone("Asia/Ho_Chi_Minh"),
    pytz.utc,
    dateutil_tz.gettz("Asia/Ho_Chi_Minh"),
    dateutil_tz.tzutc(),
    dateutil_tz.tzoffset("ICT", 7 * 3600),
]
PIECES = [
    "a",
    "Giao ban",
    " ",
    "  ",
    "\\",
    "\\N",
    "\\n",
    ";",
    ",",
    ":",
    '"',
    "'",
    "^",
    "\u2019",  # a quote icalendar quotes parameters for
    "\ufeff",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "điểm cầu",
    "Đ",
    "ệ",
    "😀",
    "🇻🇳",
    "x" * 80,
    "=",
    "mailto:",
    "%2C",
]


def text(rng: random.Random, longest: int = 40) -> str:
    return "".join(rng.choice(PIECES) for _n in range(rng.randint(0, longest)))


def line_text(rng: random.Random, longest: int = 40) -> str:
    """Text without line breaks: URIs and addresses refuse them."""
    return text(rng, longest).replace("\r", "").replace("\n", "")


def moment(rng: random.Random) -> datetime:
    naive = datetime(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28))
    naive += timedelta(seconds=rng.randint(0, 86399), microseconds=rng.randint(0, 999999))
    zone = rng.choice([*ZONES, None])
    if zone is None:
        return naive
    if isinstance(zone, pytz.BaseTzInfo):
        return zone.localize(naive.replace(year=rng.randint(1900, 2100)))
    return naive.replace(tzinfo=zone)


def address(rng: random.Random) -> vCalAddress:
    value = vCalAddress("mailto:" + line_text(rng, 6))
    for name in rng.sample(["CN", "ROLE", "PARTSTAT", "RSVP", "X-NOTE", "DIR"], rng.randint(0, 4)):
        value.params[name] = text(rng, 8)
    if rng.random() < 0.2:
        value.params["DELEGATED-TO"] = ["mailto:" + line_text(rng, 5) for _n in range(2)]
    return value


def event(rng: random.Random) -> Event:
    """A VEVENT as ical.build_event makes them, with extras icalendar's `add` infers."""
    component = Event()
    component["UID"] = vText(text(rng, 10))
    stamp = vDDDTypes(moment(rng))
    component["DTSTAMP"] = stamp
    component["DTSTART"] = vDDDTypes(rng.choice([moment(rng), moment(rng).date()]))
    component["DTEND"] = vDDDTypes(moment(rng))
    if rng.random() < 0.1:  # a TZID that is not the zone's, as a parser may leave it
        component["DTEND"].params["TZID"] = rng.choice(["UTC", "Europe/Berlin"])
    if rng.random() < 0.3:
        component["RECURRENCE-ID"] = vDDDTypes(moment(rng))
    component["SEQUENCE"] = vInt(rng.randint(0, 10**6))
    component["LAST-MODIFIED"] = stamp if rng.random() < 0.5 else vDDDTypes(moment(rng))
    component["STATUS"] = vText(rng.choice(["CONFIRMED", "CANCELLED"]))
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "X-ALT-DESC"):
        if rng.random() < 0.8:
            component[name] = vText(text(rng, rng.choice([5, 40, 200])))
    if "SUMMARY" in component and rng.random() < 0.5:
        component["SUMMARY"].params["LANGUAGE"] = rng.choice(["vi", "en", text(rng, 4)])
    if rng.random() < 0.8:
        component["URL"] = vUri(line_text(rng, 30))
    if rng.random() < 0.3:
        component["CLASS"] = vText("CONFIDENTIAL")
    if rng.random() < 0.8:
        component["ORGANIZER"] = address(rng)
    attendees = [address(rng) for _n in range(rng.choice([0, 1, 3]))]
    if attendees:
        component["ATTENDEE"] = attendees if len(attendees) > 1 else attendees[0]
    if rng.random() < 0.3:
        component["RRULE"] = vRecur.from_ical(
            rng.choice(["FREQ=WEEKLY;COUNT=20", "FREQ=DAILY;UNTIL=20300101T000000Z;BYDAY=MO,TU"])
        )
    if rng.random() < 0.3:
        zone = rng.choice(ZONES[:5])
        component["EXDATE"] = vDDDLists(
            [moment(rng).replace(tzinfo=zone) for _n in range(rng.randint(1, 4))]
        )
    if rng.random() < 0.3:
        component["X-PLAIN"] = text(rng, 10)  # no to_ical: written as vText
    if rng.random() < 0.3:
        component.add("DURATION", timedelta(minutes=rng.randint(0, 10**5)))
        component.add("CATEGORIES", [line_text(rng, 5), line_text(rng, 5)])
        component.add("GEO", (rng.uniform(-90, 90), rng.uniform(-180, 180)))
        component.add("RDATE", [moment(rng), moment(rng)])
        component.add("X-TIME", time(rng.randint(0, 23), rng.randint(0, 59)))
        component.add("X-WHEN", (moment(rng), timedelta(hours=1)))
    if rng.random() < 0.2:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(minutes=-15))
        alarm.add("DESCRIPTION", text(rng, 20))
        component.add_component(alarm)
    return component


@functools.cache
def vtimezone(key: str) -> Timezone:
    """Once per zone: working a VTIMEZONE out takes a while."""
    return Timezone.from_tzid(key)


def calendar(rng: random.Random) -> Calendar:
    component = Calendar()
    component.add("PRODID", ical.PRODID)
    component.add("VERSION", "2.0")
    component.add("X-WR-CALNAME", text(rng, 20))
    component.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    component.add_component(vtimezone(rng.choice(["Asia/Ho_Chi_Minh", "Europe/Berlin"])))
    for _n in range(rng.randint(0, 4)):
        component.add_component(event(rng))
    return component


def components(seed: int, count: int) -> list:
    rng = random.Random(seed)
    return [calendar(rng) if rng.random() < 0.1 else event(rng) for _n in range(count)]


def icalendar_is_as_installed() -> bool:
    """Nothing of icalendar's replaced: each function is still the one its module defines."""
    return (
        content_line._foldline is icalendar_string._foldline
        and tzid.tzids_from_tzinfo.__module__ == "icalendar.timezone.tzid"
        and tzid.tzids_from_tzinfo.__name__ == "tzids_from_tzinfo"
        and Parameters.__init__.__module__.startswith("icalendar.")
    )


@pytest.fixture
def pristine():
    """icalendar as installed, which the writer compares itself with."""
    assert icalendar_is_as_installed()


def outcome(write, component, **options) -> bytes | str:
    """The bytes written, or the error raised (icalendar refuses some text it was given)."""
    try:
        return write(component, **options)
    except (AssertionError, ValueError, TypeError) as error:
        return type(error).__name__


def icalendar_to_ical(component, **options) -> bytes:
    return component.to_ical(**options)


@pytest.mark.parametrize("sorted_", [True, False])
def test_to_ical_writes_what_icalendar_alone_writes(pristine, sorted_):
    expected = [outcome(icalendar_to_ical, c, sorted=sorted_) for c in components(2026, 3000)]

    written = [outcome(ical_writer.to_ical, c, sorted=sorted_) for c in components(2026, 3000)]

    assert written == expected
    assert sum(isinstance(text, bytes) and b"\r\n " in text for text in written) > 1000
    assert sum(isinstance(text, str) for text in written) < 300  # mostly written, not refused


def test_to_ical_writes_what_icalendar_writes_on_other_components(pristine):
    for component in components(7, 1000):
        assert outcome(ical_writer.to_ical, component) == outcome(icalendar_to_ical, component)


def test_to_ical_writes_parsed_calendars_as_icalendar_does(pristine):
    texts = [outcome(icalendar_to_ical, c) for c in components(11, 300)]
    parsed = [
        (Calendar if text.startswith(b"BEGIN:VCALENDAR") else Event).from_ical(text)
        for text in texts
        if isinstance(text, bytes)
    ]

    assert len(parsed) > 200
    for component in parsed:
        assert ical_writer.to_ical(component) == component.to_ical()


def test_to_ical_refuses_a_raw_line_break_as_icalendar_does(pristine):
    class Raw:
        def to_ical(self) -> bytes:
            return b"one\ntwo"

    component = Event()
    component["X-RAW"] = Raw()

    with pytest.raises(AssertionError):
        component.to_ical()
    with pytest.raises(AssertionError):
        ical_writer.to_ical(component)


def test_a_component_that_writes_itself_differently_is_left_to_itself():
    class Renamed(Event):
        def content_line(self, name, value, sorted=True):
            return super().content_line(f"X-{name}", value, sorted=sorted)

    component = Renamed()
    component["SUMMARY"] = vText("Giao ban")

    assert ical_writer.to_ical(component) == component.to_ical()
    assert b"X-SUMMARY:Giao ban" in ical_writer.to_ical(component)


def test_serialize_is_to_ical():
    component = components(3, 1)[0]

    assert ical.serialize(component) == component.to_ical()


def test_folding_cuts_exactly_where_icalendar_does():
    rng = random.Random(2026)
    alphabet = ["a", "\\", "^", "ư", "ệ", "😀", " ", ",", ";", "\\n", "Đ", "\\\\"]
    lines = ["", "a" * 74, "a" * 75, "\\" * 200, "^" * 76, "😀" * 40, "a" * 73 + "\\n"]
    lines += [
        "".join(rng.choice(alphabet) for _n in range(rng.randint(0, 400))) for _i in range(3000)
    ]

    assert [ical_writer.fold_line(line) for line in lines] == [_foldline(line) for line in lines]
    assert [ical_writer.fold_line(line, 40, "\r\n\t") for line in lines[:200]] == [
        _foldline(line, 40, "\r\n\t") for line in lines[:200]
    ]
    assert [ical_writer.fold_line(line, 3) for line in lines[:200]] == [
        _foldline(line, 3) for line in lines[:200]
    ]


def test_remembered_zone_ids_are_icalendar_s():
    zones = [ZoneInfo(key) for key in sorted(available_timezones())]
    zones += [*ZONES, None, timezone(timedelta(hours=5), "Asia/Ho_Chi_Minh")]
    zones += [timezone(timedelta(minutes=minutes)) for minutes in range(-720, 841, 15)]

    for _twice in range(2):
        for zone in zones:
            assert ical_writer.zone_id(zone) == tzid_from_tzinfo(zone), zone


def test_utc_is_told_as_icalendar_tells_it():
    rng = random.Random(5)
    moments = [moment(rng) for _n in range(3000)]
    moments += [datetime(2026, 1, 1, tzinfo=ZoneInfo(key)) for key in available_timezones()]

    for _twice in range(2):
        for when in moments:
            assert ical_writer.is_utc(when) == is_utc(when), when


def test_icalendar_is_left_as_installed():
    """Writing changed nothing in icalendar for the rest of the process."""
    for component in components(13, 50):
        outcome(ical_writer.to_ical, component)
    ical.serialize(ical.build_calendar(ical.CalendarData("Lịch")))

    assert icalendar_is_as_installed()
    assert not hasattr(ical_writer, "install")


EVENT_ZONES = [
    ZoneInfo("Asia/Ho_Chi_Minh"),
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("UTC"),
    ZoneInfo("Etc/UTC"),
    ZoneInfo("America/Argentina/Buenos_Aires"),
    ZoneInfo("Etc/GMT+7"),
]
RULES = [
    "FREQ=WEEKLY;COUNT=20",
    "FREQ=DAILY;UNTIL=20300101T000000Z;BYDAY=MO,TU",
    "freq=monthly;count=3",
]


def person(rng: random.Random) -> ical.Person:
    return ical.Person(
        line_text(rng, 6) + "@example.vn",
        text(rng, rng.choice([0, 5, 30])),
        role=rng.choice(["CHAIR", "REQ-PARTICIPANT", "OPT-PARTICIPANT"]),
        partstat=rng.choice(["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE"]),
        rsvp=rng.random() < 0.5,
    )


def event_data(rng: random.Random) -> ical.EventData:
    """An event as feeds give them to ical, with text of every kind in every field."""
    start = moment(rng).replace(tzinfo=rng.choice(ZONES[:6])).replace(year=rng.randint(1900, 2100))
    stamp = start - timedelta(days=rng.randint(0, 400))
    recurring = rng.random() < 0.2
    return ical.EventData(
        uid=text(rng, 10) or "uid",
        sequence=rng.randint(0, 10**6),
        start=start,
        end=start + timedelta(minutes=rng.randint(0, 10**4)),
        stamp=stamp,
        last_modified=rng.choice([None, stamp, stamp + timedelta(seconds=1)]),
        summary=text(rng, rng.choice([5, 40, 300])),
        location=rng.choice(["", text(rng, 40)]),
        description=rng.choice(["", text(rng, rng.choice([40, 400]))]),
        url=rng.choice(["", "https://giaoban.example/m/" + line_text(rng, 20)]),
        organizer=rng.choice([None, person(rng)]),
        attendees=tuple(person(rng) for _n in range(rng.choice([0, 1, 3]))),
        cancelled=rng.random() < 0.3,
        withdrawn=rng.random() < 0.1,
        confidential=rng.random() < 0.3,
        rrule=rng.choice(RULES) if recurring else "",
        exdates=tuple(start + timedelta(weeks=n) for n in range(rng.randint(0, 3)))
        if recurring
        else (),
        recurrence_id=start + timedelta(hours=1) if rng.random() < 0.2 else None,
    )


def test_event_text_writes_what_icalendar_writes_for_the_event(pristine):
    rng = random.Random(2026)
    cases = [(event_data(rng), rng.choice(EVENT_ZONES)) for _n in range(3000)]

    written = [outcome(lambda pair: ical.event_text(*pair), case) for case in cases]
    expected = [outcome(lambda pair: ical.build_event(*pair).to_ical(), case) for case in cases]

    assert written == expected
    assert all(isinstance(text, bytes) for text in written)
    assert sum(b"\r\n " in text for text in written) > 1000
    assert sum(b";TZID=" in text for text in written) > 1000
    assert sum(b"ATTENDEE;" in text for text in written) > 1000
    assert sum(b"EXDATE;" in text for text in written) > 100


def test_the_writer_s_component_is_what_it_writes(pristine):
    rng = random.Random(9)
    for _n in range(300):
        properties = ical.event_properties(event_data(rng), rng.choice(EVENT_ZONES))

        built = ical_writer.component(Event, properties)

        assert ical_writer.write(Event, properties) == built.to_ical()
        assert ical_writer.to_ical(built) == built.to_ical()
