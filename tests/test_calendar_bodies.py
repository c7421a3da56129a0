"""The suite-wide calendar body collector (tests/calendar_bodies.py) itself."""

import gzip
import os
import shutil
from email.message import MIMEPart
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from tests import calendar_bodies
from tests.calendar_bodies import (
    DIRECTORY_VARIABLE,
    calendar_parts,
    parse_directory,
    record_calendar_responses,
)

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[1]

# A weekly series in its own time zone with one moved occurrence, as the feeds write them.
GOOD = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Giao Ban//test//VI\r
BEGIN:VTIMEZONE\r
TZID:Asia/Ho_Chi_Minh\r
BEGIN:STANDARD\r
DTSTART:19750613T000000\r
TZOFFSETFROM:+0800\r
TZOFFSETTO:+0700\r
TZNAME:+07\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:series-1@giaoban\r
DTSTAMP:20261201T000000Z\r
DTSTART;TZID=Asia/Ho_Chi_Minh:20261207T080000\r
DTEND;TZID=Asia/Ho_Chi_Minh:20261207T100000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
SEQUENCE:1\r
SUMMARY:Giao ban tu\xe1\xba\xa7n\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:series-1@giaoban\r
DTSTAMP:20261201T000000Z\r
RECURRENCE-ID;TZID=Asia/Ho_Chi_Minh:20261214T080000\r
DTSTART;TZID=Asia/Ho_Chi_Minh:20261214T140000\r
DTEND;TZID=Asia/Ho_Chi_Minh:20261214T160000\r
SEQUENCE:2\r
SUMMARY:Giao ban tu\xe1\xba\xa7n (d\xe1\xbb\x9di)\r
END:VEVENT\r
END:VCALENDAR\r
"""
NOT_A_DATE = GOOD.replace(b"DTSTART;TZID=Asia/Ho_Chi_Minh:20261207T080000", b"DTSTART:notadate")
UNTERMINATED = GOOD.split(b"END:VEVENT")[0]
# Only icalendar minds a SEQUENCE that is not a number (ical.js reads 0, vobject text).
SEQUENCE_NOT_A_NUMBER = GOOD.replace(b"SEQUENCE:1", b"SEQUENCE:x")


def parsers_failing_on(body, tmp_path):
    (tmp_path / "body.label").write_text("the body")
    (tmp_path / "body.ics").write_bytes(body)
    outcome = parse_directory(tmp_path)
    assert outcome.collected == 1
    assert {failure.label for failure in outcome.failures} <= {"the body"}
    return sorted(failure.parser for failure in outcome.failures)


def test_a_good_series_with_a_moved_occurrence_is_read_by_every_parser(tmp_path):
    assert parsers_failing_on(GOOD, tmp_path) == []


def test_a_start_that_is_no_date_is_reported_by_every_parser(tmp_path):
    assert parsers_failing_on(NOT_A_DATE, tmp_path) == ["ical.js", "icalendar", "vobject"]


def test_an_unterminated_calendar_is_reported_by_every_parser(tmp_path):
    assert parsers_failing_on(UNTERMINATED, tmp_path) == ["ical.js", "icalendar", "vobject"]


def test_only_the_parser_that_fails_is_reported(tmp_path):
    assert parsers_failing_on(SEQUENCE_NOT_A_NUMBER, tmp_path) == ["icalendar"]


def test_a_missing_ical_js_fails_instead_of_skipping(tmp_path, monkeypatch):
    monkeypatch.setattr(calendar_bodies, "ICALJS", tmp_path / "nowhere")
    (tmp_path / "body.label").write_text("the body")
    (tmp_path / "body.ics").write_bytes(GOOD)

    outcome = parse_directory(tmp_path)

    assert outcome.setup_error == (
        "ical.js is not installed: the calendar body collector needs Node.js and "
        "`npm ci` run in tests/icaljs"
    )


def recorded(directory):
    return sorted(
        (path.with_suffix(".label").read_text(), path.read_bytes())
        for path in directory.glob("*.ics")
    )


def test_the_middleware_records_calendar_responses_gzip_decoded(tmp_path, monkeypatch):
    monkeypatch.setenv(DIRECTORY_VARIABLE, str(tmp_path))
    response = HttpResponse(gzip.compress(GOOD), content_type="text/calendar; charset=utf-8")
    response["Content-Encoding"] = "gzip"
    middleware = record_calendar_responses(lambda request: response)

    middleware(RequestFactory().get("/calendar/feed/x.ics?a=1"))

    [(label, body)] = recorded(tmp_path)
    assert label.endswith(": response GET /calendar/feed/x.ics?a=1")
    assert body == GOOD


def test_the_middleware_leaves_other_and_streaming_responses(tmp_path, monkeypatch):
    monkeypatch.setenv(DIRECTORY_VARIABLE, str(tmp_path))
    responses = iter(
        [
            HttpResponse(b"<p>", content_type="text/html"),
            StreamingHttpResponse([GOOD], content_type="text/calendar"),
        ]
    )
    middleware = record_calendar_responses(lambda request: next(responses))

    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().get("/"))

    assert recorded(tmp_path) == []


def test_the_calendar_parts_of_a_mail_are_its_decoded_attachments():
    message = EmailMessage("Mời họp", "Nội dung", to=["carol@example.org"])
    part = MIMEPart()
    part.set_content(GOOD, maintype="text", subtype="calendar", cte="base64")
    message.attach(part)
    message.attach("notes.txt", "not a calendar", "text/plain")

    assert list(calendar_parts([message])) == [("text/calendar", GOOD)]


# The inner runs need neither Django nor asyncio (the outer run has set both up).
ALONE = ("-p", "no:django", "-p", "no:asyncio")
# Fewer imports in each worker of an inner run.
UNUSED_PLUGINS = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")
UNUSED_PLUGINS += ("-p", "no:faker", "-p", "no:anyio")
INNER_TESTS = """
from tests.calendar_bodies import record

def test_good():
    record({good!r}, "the good feed")

def test_broken():
    record({broken!r}, "the broken feed")
"""


def run_inner(pytester, *arguments, broken=GOOD):
    pytester.makepyfile(test_inner=INNER_TESTS.format(good=GOOD, broken=broken))
    return pytester.runpytest(
        *ALONE, "-p", "no:cacheprovider", *arguments, plugins=[calendar_bodies]
    )


def test_a_run_with_good_bodies_passes_and_says_so(pytester):
    collecting_into = os.environ[DIRECTORY_VARIABLE]

    result = run_inner(pytester)

    assert result.ret == pytest.ExitCode.OK
    # The inner run gave the outer one its directory back.
    assert os.environ[DIRECTORY_VARIABLE] == collecting_into
    result.stdout.fnmatch_lines(
        ["calendar bodies: 2 collected, parsed by ical.js, icalendar, vobject: 0 failures (*)"]
    )


def test_a_body_a_parser_cannot_read_fails_the_run_with_its_label_error_and_lines(pytester):
    result = run_inner(pytester, broken=NOT_A_DATE)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "ical.js could not read the broken feed",
            '  invalid date-time value: "nota-da-teT::"',
            "    | BEGIN:VCALENDAR",
            "icalendar could not read the broken feed",
            "vobject could not read the broken feed",
            "(the bodies are kept in *)",
            "calendar bodies: 2 collected, parsed by ical.js, icalendar, vobject: 3 failures (*)",
        ]
    )
    [kept] = [line for line in result.outlines if line.startswith("(the bodies are kept in ")]
    shutil.rmtree(kept.removeprefix("(the bodies are kept in ").removesuffix(")"))


def test_a_run_with_fewer_bodies_than_asked_fails(pytester):
    result = run_inner(pytester, "--calendar-bodies-at-least=3")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["only 2 calendar bodies were collected, fewer than 3"])


def test_workers_record_into_the_directory_the_run_that_started_them_parses(pytester, monkeypatch):
    """pytest-xdist: each worker records, the run that started them parses every body."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the workers import tests.calendar_bodies
    pytester.makepyfile(test_inner=INNER_TESTS.format(good=GOOD, broken=GOOD))

    result = pytester.runpytest_subprocess(
        *ALONE, *UNUSED_PLUGINS, "-p", "tests.calendar_bodies", "-n", "2",
        "--calendar-bodies-at-least=2",
    )  # fmt: skip

    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["calendar bodies: 2 collected, parsed by ical.js, icalendar, vobject: 0 failures (*)"]
    )


@pytest.mark.parametrize(
    ("arguments", "whole"),
    [
        ([], True),
        (["suite"], True),
        (["suite/"], True),
        (["suite/sub"], False),
        (["-k", "booking"], False),
        (["-m", "browser"], False),
        (["--deselect", "suite/test_a.py::test_a"], False),
        (["--lf"], False),
        (["--ignore", "suite/sub"], False),
    ],
)
def test_the_minimum_applies_to_the_whole_suite_only(pytester, arguments, whole):
    pytester.makeini("[pytest]\ntestpaths = suite\n")
    pytester.mkdir("suite").joinpath("sub").mkdir()

    config = pytester.parseconfig(*ALONE, "-p", "tests.calendar_bodies", *arguments)

    assert calendar_bodies.minimum(config) == (200 if whole else 0)


def test_the_minimum_can_be_forced(pytester):
    config = pytester.parseconfig(
        *ALONE, "-p", "tests.calendar_bodies", "--calendar-bodies-at-least=0"
    )

    assert calendar_bodies.minimum(config) == 0
