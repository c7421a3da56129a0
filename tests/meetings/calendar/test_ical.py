"""The pure iCalendar functions: what one event and one calendar say, byte for byte
where it matters (TZID, refresh hints, escaping), and that bad text still parses."""

import random
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar.parser import unescape_backslash

from meetings.calendar import ical
from tests.meetings.calendar.helpers import parse, parse_independently, vevents

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2030, 3, 4, 1, 0, tzinfo=UTC)  # 08:00 in Ha Noi
END = START + timedelta(hours=2)
STAMP = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def event(**fields) -> ical.EventData:
    values = {
        "uid": "9d1c@giaoban",
        "sequence": 2,
        "start": START,
        "end": END,
        "stamp": STAMP,
        "last_modified": STAMP,
        "summary": "Giao ban trực tuyến quý IV",
        "location": "12 điểm cầu, chủ trì: Trung ương",
        "description": "Nội dung: tổng kết; kế hoạch, phân công\nChi tiết: https://gb.vn/m/1/",
        "url": "https://gb.vn/meetings/1/",
        "organizer": ical.Person("vanphong@example.vn", "Văn phòng UBND"),
    }
    values.update(fields)
    return ical.EventData(**values)


def calendar_of(*events: ical.EventData, **fields) -> bytes:
    data = ical.CalendarData(**{"name": "Lịch Giao Ban", "refresh": timedelta(hours=1), **fields})
    return ical.serialize(ical.build_calendar(data, [ical.build_event(e, ZONE) for e in events]))


def lines(text: bytes) -> list[str]:
    return text.decode("utf-8").split("\r\n")


def test_build_event_writes_local_times_with_tzid_and_stamps_in_utc():
    text = ical.serialize(ical.build_event(event(), ZONE))

    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20300304T080000" in lines(text)
    assert "DTEND;TZID=Asia/Ho_Chi_Minh:20300304T100000" in lines(text)
    assert "DTSTAMP:20300102T030405Z" in lines(text)
    assert "LAST-MODIFIED:20300102T030405Z" in lines(text)
    assert "SEQUENCE:2" in lines(text)
    assert "STATUS:CONFIRMED" in lines(text)
    assert "UID:9d1c@giaoban" in lines(text)


def test_build_event_escapes_vietnamese_text():
    text = ical.serialize(ical.build_event(event(), ZONE))

    assert "LOCATION:12 điểm cầu\\, chủ trì: Trung ương" in lines(text)
    parsed = vevents(parse(calendar_of(event())))[0]
    assert str(parsed["DESCRIPTION"]) == (
        "Nội dung: tổng kết; kế hoạch, phân công\nChi tiết: https://gb.vn/m/1/"
    )
    assert str(parsed["SUMMARY"]) == "Giao ban trực tuyến quý IV"


def test_build_event_organizer_and_attendee_are_mailto_addresses_with_names():
    data = event(attendees=(ical.Person("carol@example.vn", "Carol Nguyễn"),))

    parsed = vevents(parse(calendar_of(data)))[0]

    assert str(parsed["ORGANIZER"]) == "mailto:vanphong@example.vn"
    assert parsed["ORGANIZER"].params["CN"] == "Văn phòng UBND"
    assert str(parsed["ATTENDEE"]) == "mailto:carol@example.vn"
    assert dict(parsed["ATTENDEE"].params) == {
        "CN": "Carol Nguyễn",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "FALSE",
    }


def test_build_event_cancelled_and_confidential():
    text = ical.serialize(ical.build_event(event(cancelled=True, confidential=True), ZONE))

    assert "STATUS:CANCELLED" in lines(text)
    assert "CLASS:CONFIDENTIAL" in lines(text)


def test_build_calendar_has_stable_prodid_refresh_hints_and_the_vtimezone():
    text = calendar_of(event())

    assert lines(text)[:10] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Giao Ban//Giao Ban Calendar 1.0//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:Lịch Giao Ban",
        "X-WR-CALNAME:Lịch Giao Ban",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    timezones = list(parse(text).walk("VTIMEZONE"))
    assert [str(zone["TZID"]) for zone in timezones] == ["Asia/Ho_Chi_Minh"]


NAME_WITH_SEPARATORS = r"Nguyễn, Văn; Phòng A\B"


def test_build_calendar_writes_names_as_escaped_text():
    text = calendar_of(event(), name=NAME_WITH_SEPARATORS, description=NAME_WITH_SEPARATORS)

    written = r"Nguyễn\, Văn\; Phòng A\\B"
    assert f"NAME:{written}" in lines(text)
    assert f"X-WR-CALNAME:{written}" in lines(text)
    assert f"X-WR-CALDESC:{written}" in lines(text)


def test_calendar_names_read_back_as_written_by_both_parsers():
    text = calendar_of(event(), name=NAME_WITH_SEPARATORS, description=NAME_WITH_SEPARATORS)

    calendar = parse(text)
    independent = parse_independently(text)
    for name in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC"):
        # icalendar keeps properties it does not type as their raw text: unescape it.
        assert unescape_backslash(str(calendar[name])) == NAME_WITH_SEPARATORS
        assert independent.contents[name.lower()][0].value == NAME_WITH_SEPARATORS


def test_build_calendar_twice_gives_the_same_bytes():
    assert calendar_of(event()) == calendar_of(event())


def test_build_calendar_request_method_for_invitations():
    text = calendar_of(event(), method="REQUEST")

    assert "METHOD:REQUEST" in lines(text)


def test_series_master_has_rrule_and_exdates_and_override_has_recurrence_id():
    exdate = START + timedelta(weeks=2)
    master = event(rrule="FREQ=WEEKLY;COUNT=4", exdates=(exdate,))
    moved = event(
        sequence=3,
        start=START + timedelta(weeks=1, hours=2),
        end=END + timedelta(weeks=1, hours=2),
        recurrence_id=START + timedelta(weeks=1),
    )

    events = ical.build_series_events(master, [moved], ZONE)

    master_text = lines(ical.serialize(events[0]))
    override_text = lines(ical.serialize(events[1]))
    assert "RRULE:FREQ=WEEKLY;COUNT=4" in master_text
    assert "EXDATE;TZID=Asia/Ho_Chi_Minh:20300318T080000" in master_text
    assert "RECURRENCE-ID;TZID=Asia/Ho_Chi_Minh:20300311T080000" in override_text
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20300311T100000" in override_text


def test_build_series_events_refuses_an_override_of_another_uid():
    master = event(rrule="FREQ=WEEKLY;COUNT=4")
    stranger = event(uid="other@giaoban", recurrence_id=START)

    with pytest.raises(ValueError):
        ical.build_series_events(master, [stranger], ZONE)


@pytest.mark.parametrize(
    ("rule", "until", "expected"),
    [
        ("FREQ=WEEKLY;COUNT=4", None, "FREQ=WEEKLY;COUNT=4"),
        ("RRULE:FREQ=DAILY;COUNT=2", None, "FREQ=DAILY;COUNT=2"),
        (
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20300401",
            datetime(2030, 4, 1, 8, tzinfo=ZONE),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20300401T010000Z",
        ),
    ],
)
def test_rrule_value_writes_until_as_a_utc_instant(rule, until, expected):
    assert ical.rrule_value(rule, until) == expected


def test_assemble_joins_cached_events_into_the_same_bytes_as_one_build():
    first, second = event(), event(uid="second@giaoban", summary="Họp thứ hai")
    wrapper = calendar_of()

    assembled = ical.assemble(
        wrapper, [ical.serialize(ical.build_event(data, ZONE)) for data in (first, second)]
    )

    assert assembled == calendar_of(first, second)


def test_clean_line_drops_control_characters_and_line_breaks():
    assert ical.clean_line("Giao\x00ban\x07 tỉnh\r\nHà\tNội \x1b[31m\u2028cuối") == (
        "Giaoban tỉnh Hà Nội [31m cuối"
    )


def test_clean_text_keeps_line_breaks_and_drops_other_controls():
    assert ical.clean_text("Dòng 1\r\nDòng\x0c 2\rDòng 3\x7f\n") == "Dòng 1\nDòng 2\nDòng 3"


def test_bad_title_still_gives_a_calendar_both_parsers_read():
    title = "Họp\x00 khẩn\x1b 🚨🇻🇳 " + "Điểm cầu " * 250  # 2,000+ characters

    text = calendar_of(event(summary=title, description="Mô tả\x00\x08 😀\n" * 300))

    summary = str(vevents(parse(text))[0]["SUMMARY"])
    assert len(summary) == ical.SUMMARY_LIMIT
    assert summary.startswith("Họp khẩn 🚨🇻🇳 Điểm cầu Điểm cầu")
    assert summary.endswith("…")
    assert parse_independently(text).vevent.summary.value == summary
    assert max(len(line.encode()) for line in lines(text)) <= 75
    assert b"\x00" not in text
    assert b"\x1b" not in text


def test_lone_surrogates_are_dropped_so_the_text_encodes():
    text = calendar_of(event(summary="Họp \ud800 tỉnh"))

    assert str(vevents(parse(text))[0]["SUMMARY"]) == "Họp tỉnh"


# clean_line and clean_text as they were before their shortcut for text that needs no
# cleaning: the shortcut must change nothing.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("\r\n|\r|\n|\u2028|\u2029|\x85")
BLANKS = re.compile(r"[ \t]+")


def reference_clean_line(text, limit=None):
    text = CONTROL.sub("", LINE_BREAKS.sub(" ", text or ""))
    return ical.shorten(BLANKS.sub(" ", text).strip(), limit)


def reference_clean_text(text, limit=None):
    lines = LINE_BREAKS.sub("\n", text or "").split("\n")
    text = "\n".join(CONTROL.sub("", line.replace("\t", " ")).rstrip() for line in lines)
    return ical.shorten(text.strip(), limit)


def test_cleaning_gives_what_the_regular_expressions_give():
    # Every character the regular expressions could touch (they match none above U+FFFF).
    every_character = [chr(code) for code in [*range(0x10000), *range(0x10000, 0x110000, 97)]]
    samples = [f"a{char}b" for char in every_character] + [f"{char}a" for char in every_character]
    rng = random.Random(5545)
    pieces = [" ", "  ", "\t", "\n", "\r\n", "\u2028", "\x85", "\x00", "\ud800", "\ufffe"]
    pieces += ["\xa0", "\u3000", "\u200d", "\ufeff", "a", "Đ", "😀", "x" * 60]
    samples += ["".join(rng.choices(pieces, k=rng.randint(0, 30))) for _n in range(20000)]
    samples += ["", None]

    for sample in samples:
        assert ical.clean_line(sample, 40) == reference_clean_line(sample, 40), repr(sample)
        assert ical.clean_text(sample, 40) == reference_clean_text(sample, 40), repr(sample)
