"""Subscription feeds as calendar clients see them: what each holds, series as one
recurring event, the lifecycle of a session, privacy, caching and query counts.

Sites: TW; T01, T02; communes X0101, X0102 under T01, X0201, X0202 under T02.
bob serves T01; carol is invited where a test says so; alice (secretariat) books.
"""

from datetime import timedelta

import pytest
import recurring_ical_events
from django.core.cache import cache
from django.db.models import F
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.http import parse_http_date
from icalendar.parser import unescape_backslash

from accounts.models import Person
from accounts.roles import Role
from conferencing.models import Conference, Endpoint, Leg, Level, Office
from conferencing.site_selection import SiteSelection
from meetings.booking import Slot, cancel, change_sites, reschedule
from meetings.calendar import feeds, ical
from meetings.calendar.content import viewer_of
from meetings.calendar.models import FeedKind, FeedToken
from meetings.calendar.receivers import feeds_changed
from meetings.models import Attendee, AttendeeRole, Classification, Meeting, MeetingStatus
from meetings.series import book_series, cancel_following
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    serve,
)
from tests.meetings.calendar.helpers import (
    by_uid,
    feed_url,
    local,
    master,
    new_feed,
    parse,
    parse_independently,
    unfolded,
    vevents,
)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


@pytest.fixture
def technician(bob, sites):
    serve(bob, "T01")
    return bob


def book_at(alice, bridge, start, codes=("T01",), host="T01", **details):
    return booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=codes),
        host_code=host,
        slot__start=start,
        **{f"details__{name}": value for name, value in details.items()},
    )


def weekly(alice, bridge, start, count=4, codes=("T01",), **details):
    request = BookingRequestFactory(
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=codes),
        host_code=codes[0],
        slot__start=start,
        **{f"details__{name}": value for name, value in details.items()},
    )
    return book_series(request, f"FREQ=WEEKLY;COUNT={count}", alice, skip_conflicts=True)


def invite(meeting, user):
    Attendee.objects.create(meeting=meeting, user=user, role=AttendeeRole.MEMBER)


def fetch(client, token, **headers) -> bytes:
    response = client.get(feed_url(token), headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def feed_of(client, user, kind=FeedKind.PERSONAL, **scope) -> bytes:
    _feed, token = new_feed(user, kind, **scope)
    return fetch(client, token)


def uids(text: bytes) -> list[str]:
    return [str(event["UID"]) for event in vevents(parse(text))]


def move_to_past(meeting: Meeting, ended_ago: timedelta) -> None:
    """Booking refuses the past: put a booked session `ended_ago` in the past by hand."""
    conference = meeting.conference
    length = conference.end - conference.start
    end = timezone.now() - ended_ago
    Conference.objects.filter(pk=conference.pk).update(start=end - length, end=end)


# -- What each feed holds ------------------------------------------------------------------------


def test_personal_feed_has_sessions_invited_organised_and_served(
    client, alice, technician, carol, sites, bridge
):
    served = book_at(alice, bridge, local_time(3, 8), codes=("T01",))
    invited = book_at(alice, bridge, local_time(3, 8), codes=("T02",), host="T02")
    invite(invited, carol)
    book_at(alice, bridge, local_time(4, 8), codes=("X0201",), host="X0201")

    assert uids(feed_of(client, technician)) == [served.uid]
    assert uids(feed_of(client, carol)) == [invited.uid]
    assert sorted(uids(feed_of(client, alice))) == sorted(
        Meeting.objects.values_list("uid", flat=True)
    )


def test_personal_feed_of_a_technician_of_two_sites_has_the_session_once(
    client, alice, technician, sites, bridge
):
    serve(technician, "X0101")
    meeting = book_at(alice, bridge, local_time(3, 8), codes=("T01", "X0101"))

    assert uids(feed_of(client, technician)) == [meeting.uid]


def test_site_feed_has_every_session_of_that_site_only(client, alice, technician, sites, bridge):
    at_t01 = book_at(alice, bridge, local_time(3, 8), codes=("T01", "X0101"))
    also_t01 = book_at(alice, bridge, local_time(5, 8), codes=("TW", "T01"), host="TW")
    book_at(alice, bridge, local_time(3, 8), codes=("T02",), host="T02")

    assert uids(feed_of(client, technician, FeedKind.SITE, site_code="T01")) == [
        at_t01.uid,
        also_t01.uid,
    ]


def test_organisation_feed_filters_by_province_and_level(client, alice, sites, bridge):
    province = book_at(alice, bridge, local_time(3, 8), codes=("T01",))
    commune = book_at(alice, bridge, local_time(4, 8), codes=("X0201",), host="X0201")
    central = book_at(alice, bridge, local_time(5, 8), codes=("TW", "X0102"), host="TW")

    everything = feed_of(client, alice, FeedKind.ORGANISATION)
    in_t01 = feed_of(client, alice, FeedKind.ORGANISATION, province_code="T01")
    communes = feed_of(client, alice, FeedKind.ORGANISATION, level=Level.COMMUNE)
    communes_of_t02 = feed_of(
        client, alice, FeedKind.ORGANISATION, province_code="T02", level=Level.COMMUNE
    )

    assert uids(everything) == [province.uid, commune.uid, central.uid]
    assert uids(in_t01) == [province.uid, central.uid]
    assert uids(communes) == [commune.uid, central.uid]
    assert uids(communes_of_t02) == [commune.uid]


def test_cancelled_session_stays_cancelled_for_thirty_days_after_its_end(
    client, alice, technician, sites, bridge
):
    recent = book_at(alice, bridge, local_time(3, 8))
    old = book_at(alice, bridge, local_time(4, 8))
    cancel(recent, "Hoãn", alice)
    cancel(old, "Hoãn", alice)
    move_to_past(recent, feeds.CANCELLED_RETENTION - DAY)
    move_to_past(old, feeds.CANCELLED_RETENTION + DAY)

    text = feed_of(client, technician)

    (event,) = vevents(parse(text))
    assert (str(event["UID"]), str(event["STATUS"])) == (recent.uid, "CANCELLED")


def test_past_sessions_stay_for_the_history_window(client, alice, technician, sites, bridge):
    kept = book_at(alice, bridge, local_time(3, 8))
    dropped = book_at(alice, bridge, local_time(4, 8))
    move_to_past(kept, feeds.FEED_HISTORY - DAY)
    move_to_past(dropped, feeds.FEED_HISTORY + DAY)

    assert uids(feed_of(client, technician)) == [kept.uid]


# -- Content --------------------------------------------------------------------------------------


def test_the_organiser_is_named_as_written(client, alice, carol, sites, bridge):
    person = alice.person
    person.full_name = "Nguyễn Thị Lan"
    person.save()
    invite(book_at(alice, bridge, local_time(3, 8)), carol)

    (event,) = vevents(parse(feed_of(client, carol)))

    assert event["ORGANIZER"].params["CN"] == "Nguyễn Thị Lan"


def test_event_content_for_an_invited_attendee(client, alice, carol, sites, bridge):
    Endpoint.objects.filter(code="T01").update(dial_string="sip:t01@vc.example.vn")
    serve(carol, "T01")
    meeting = book_at(
        alice,
        bridge,
        local_time(3, 8),
        codes=("T01", "X0101", "X0102"),
        title="Giao ban trực tuyến quý IV",
        agenda="1. Tổng kết\n2. Kế hoạch, phân công; thảo luận",
        organising_unit="Văn phòng UBND tỉnh",
    )
    invite(meeting, carol)

    with translation.override("en"):
        text = feed_of(client, carol)

    (event,) = vevents(parse(text))
    assert str(event["SUMMARY"]) == "Giao ban trực tuyến quý IV"
    assert str(event["LOCATION"]) == (
        f"3 điểm cầu, điểm cầu chủ trì: {Endpoint.objects.get(code='T01').name}"
    )
    assert event["DTSTART"].dt == local(meeting.conference.start)
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event["DTEND"].dt == local(meeting.conference.end)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["LAST-MODIFIED"].dt == meeting.updated_at.replace(microsecond=0)
    assert str(event["URL"]) == f"http://127.0.0.1:8000/meetings/{meeting.pk}/"
    assert str(event["ORGANIZER"]) == "mailto:alice@example.vn"
    assert str(event["DESCRIPTION"]).split("\n") == [
        "1. Tổng kết",
        "2. Kế hoạch, phân công; thảo luận",
        "",
        "Đơn vị tổ chức: Văn phòng UBND tỉnh",
        f"Điểm cầu chủ trì: {Endpoint.objects.get(code='T01').name}",
        (
            f"Điểm cầu của bạn: {Endpoint.objects.get(code='T01').name}, "
            "số quay vào sip:t01@vc.example.vn"
        ),
        f"Số quay vào cầu nối (MCU): {bridge.dial_in}",
        f"Trang phiên họp: http://127.0.0.1:8000/meetings/{meeting.pk}/",
    ]


def test_feed_calendar_properties(client, alice, technician, sites, bridge):
    book_at(alice, bridge, local_time(3, 8))

    with translation.override("en"):
        text = feed_of(client, technician, FeedKind.SITE, site_code="T01")

    calendar = parse(text)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == (
        f"Giao Ban: các phiên họp tại {Endpoint.objects.get(code='T01').name}"
    )
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in unfolded(text).split("\r\n")
    assert "X-PUBLISHED-TTL:PT1H" in unfolded(text).split("\r\n")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]


ODD_NAME = r"Trần, Văn; Phòng 2\B"


@pytest.mark.parametrize("kind", [FeedKind.PERSONAL, FeedKind.SITE, FeedKind.ORGANISATION])
def test_names_with_text_separators_are_written_escaped_and_read_back(
    client, alice, technician, sites, bridge, kind
):
    """A person's, site's or office's name holding `,` `;` or `\\` is TEXT escaped
    (RFC 5545 3.3.11) in NAME, X-WR-CALNAME; both parsers read the name back."""
    book_at(alice, bridge, local_time(3, 8))
    Person.objects.filter(user=technician).update(full_name=ODD_NAME)
    Endpoint.objects.filter(code="T01").update(name=ODD_NAME)
    Office.objects.filter(members=alice).update(name=ODD_NAME)
    owner = alice if kind == FeedKind.ORGANISATION else technician
    scope = {"site_code": "T01"} if kind == FeedKind.SITE else {}

    text = feed_of(client, owner, kind, **scope)

    written = unfolded(text).split("\r\n")
    calendar, independent = parse(text), parse_independently(text)
    for name in ("NAME", "X-WR-CALNAME"):
        (line,) = [line for line in written if line.startswith(name + ":")]
        assert r"Trần\, Văn\; Phòng 2\\B" in line
        assert ODD_NAME in unescape_backslash(str(calendar[name]))
        assert ODD_NAME in independent.contents[name.lower()][0].value


def test_single_site_session_location_is_the_site(client, alice, technician, sites, bridge):
    book_at(alice, bridge, local_time(3, 8), codes=("T01",))

    (event,) = vevents(parse(feed_of(client, technician)))

    assert str(event["LOCATION"]) == Endpoint.objects.get(code="T01").name


def test_feed_follows_the_owners_language(client, alice, technician, sites, bridge):
    from meetings.calendar.models import CalendarPreference

    CalendarPreference.objects.create(user=technician, language="en")
    meeting = book_at(alice, bridge, local_time(3, 8), codes=("T01", "T02"))

    (event,) = vevents(parse(feed_of(client, technician)))

    assert str(event["DESCRIPTION"]).split("\n")[-1] == (
        f"Session page: http://127.0.0.1:8000/meetings/{meeting.pk}/"
    )


@override_settings(SITE_URL="https://giaoban.example.vn")
def test_links_use_site_url(client, alice, technician, sites, bridge):
    meeting = book_at(alice, bridge, local_time(3, 8))

    (event,) = vevents(parse(feed_of(client, technician)))

    assert str(event["URL"]) == f"https://giaoban.example.vn/meetings/{meeting.pk}/"


# -- Privacy --------------------------------------------------------------------------------------


def test_confidential_details_never_reach_a_feed_of_someone_not_invited(
    client, alice, technician, carol, sites, bridge
):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    secret = book_at(
        alice,
        bridge,
        local_time(3, 8),
        codes=("T01", "X0101"),
        title="Họp về nhân sự XYZ",
        agenda="Bổ nhiệm ABC",
        organising_unit="Ban Tổ chức",
        classification=Classification.CONFIDENTIAL,
    )
    invite(secret, carol)
    serve(carol, "X0101")

    with translation.override("en"):
        outsider = feed_of(client, technician)
        site = feed_of(client, technician, FeedKind.SITE, site_code="T01")
        organisation = feed_of(client, dung, FeedKind.ORGANISATION)
        insider = feed_of(client, carol)

    for text in (outsider, site, organisation):
        (event,) = vevents(parse(text))
        assert str(event["SUMMARY"]) == "Cuộc họp mật"
        assert str(event["CLASS"]) == "CONFIDENTIAL"
        assert event["DTSTART"].dt == local(secret.conference.start)
        assert "LOCATION" not in event
        assert str(event["ORGANIZER"]) == "mailto:no-reply@giaoban.local"
        for secret_text in ("XYZ", "ABC", "Ban Tổ chức", "X0101", "Điểm cầu", "Trung ương"):
            assert secret_text not in unfolded(event.to_ical())
    (event,) = vevents(parse(insider))
    assert str(event["SUMMARY"]) == "Họp về nhân sự XYZ"
    assert str(event["CLASS"]) == "CONFIDENTIAL"


def test_confidential_session_of_the_organiser_shows_its_details(client, alice, sites, bridge):
    book_at(
        alice, bridge, local_time(3, 8), title="Họp mật", classification=Classification.CONFIDENTIAL
    )

    (event,) = vevents(parse(feed_of(client, alice)))

    assert str(event["SUMMARY"]) == "Họp mật"


def test_revoked_token_stops_at_once_even_with_a_warm_cache(
    client, alice, technician, sites, bridge
):
    from meetings.calendar.feed_tokens import revoke

    book_at(alice, bridge, local_time(3, 8))
    feed, token = new_feed(technician)
    first = client.get(feed_url(token))

    revoke(feed, technician)

    assert first.status_code == 200
    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url(token), headers={"if-none-match": first["ETag"]}).status_code == 404


def test_technician_removed_from_the_site_loses_its_site_feed(
    client, alice, technician, sites, bridge
):
    _feed, token = new_feed(technician, FeedKind.SITE, site_code="T01")
    Endpoint.objects.get(code="T01").technicians.remove(technician)

    assert client.get(feed_url(token)).status_code == 404


# -- Series ---------------------------------------------------------------------------------------


def test_series_is_one_recurring_event_with_exdates_and_overrides(
    client, alice, technician, sites, bridge
):
    first = local_time(3, 8)
    book_at(alice, bridge, first + 3 * WEEK)  # the 4th occurrence conflicts: skipped
    outcome = weekly(alice, bridge, first, count=5, title="Giao ban tuần")
    second, third = outcome.booked[1], outcome.booked[2]
    reschedule(second, Slot(first + WEEK + 2 * HOUR, first + WEEK + 4 * HOUR, 60), alice)
    cancel(third, "Nghỉ lễ", alice)

    text = feed_of(client, technician)

    calendar = parse(text)
    uid = outcome.series.uid
    event = master(calendar, uid)
    assert str(event["SUMMARY"]) == "Giao ban tuần"
    assert event["DTSTART"].dt == first
    assert event["DTEND"].dt == first + 2 * HOUR
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=5"
    assert int(event["SEQUENCE"]) == 2
    assert [when.dt for when in event["EXDATE"].dts] == [first + 2 * WEEK, first + 3 * WEEK]
    (override,) = [event for event in by_uid(calendar, uid) if "RECURRENCE-ID" in event]
    assert override["RECURRENCE-ID"].dt == first + WEEK
    assert override["DTSTART"].dt == first + WEEK + 2 * HOUR
    assert int(override["SEQUENCE"]) == 1
    assert parse_independently(text).vevent_list[0].rruleset is not None


def test_recurrence_expanded_by_a_client_matches_the_booked_occurrences(
    client, alice, technician, sites, bridge
):
    first = local_time(3, 8)
    book_at(alice, bridge, first + 2 * WEEK)  # a conflict: that occurrence is skipped
    outcome = weekly(alice, bridge, first, count=6)
    reschedule(
        outcome.booked[1], Slot(first + WEEK + DAY, first + WEEK + DAY + 2 * HOUR, 60), alice
    )
    cancel(outcome.booked[3], "Nghỉ", alice)
    single = book_at(alice, bridge, first + 10 * WEEK)

    text = feed_of(client, technician)

    expanded = recurring_ical_events.of(parse(text)).between(first - DAY, first + 20 * WEEK)
    seen = sorted((str(e["UID"]), e["DTSTART"].dt, e["DTEND"].dt) for e in expanded)
    scheduled = Meeting.objects.filter(status=MeetingStatus.SCHEDULED).select_related(
        "conference", "series"
    )
    expected = sorted(
        (
            meeting.series.uid if meeting.series else meeting.uid,
            local(meeting.conference.start),
            local(meeting.conference.end),
        )
        for meeting in scheduled
    )
    assert seen == expected
    # 4 of 6 occurrences (one skipped, one cancelled), the single one, the conflicting one.
    assert len(seen) == 6
    assert single.uid in {uid for uid, _start, _end in seen}


def test_series_occurrence_without_the_technicians_site_is_excluded(
    client, alice, technician, sites, bridge
):
    first = local_time(3, 8)
    outcome = weekly(alice, bridge, first, count=3, codes=("T01", "T02"))
    change_sites(outcome.booked[1], SiteSelection(sites=("T02",)), "T02", alice)

    text = feed_of(client, technician)

    event = master(parse(text), outcome.series.uid)
    assert [when.dt for when in event["EXDATE"].dts] == [first + WEEK]


def test_series_cancelled_whole_is_one_cancelled_event(client, alice, technician, sites, bridge):
    outcome = weekly(alice, bridge, local_time(3, 8), count=3, title="Giao ban tuần")

    cancel_following(outcome.booked[0], "Thôi", alice)

    with translation.override("en"):
        (event,) = vevents(parse(feed_of(client, technician)))
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Đã hủy: Giao ban tuần"
    assert int(event["SEQUENCE"]) == 3


# -- The lifecycle a client sees ---------------------------------------------------------------


def test_lifecycle_of_a_session_in_the_feed(client, alice, technician, sites, bridge):
    start = local_time(3, 8)
    meeting = book_at(alice, bridge, start, title="Giao ban tháng")
    _feed, token = new_feed(technician)

    booked_text = fetch(client, token)
    later = start + 3 * HOUR
    reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)
    moved_text = fetch(client, token)
    cancel(meeting, "Hoãn", alice)
    cancelled_text = fetch(client, token)

    (booked_event,) = vevents(parse(booked_text))
    (moved_event,) = vevents(parse(moved_text))
    (cancelled_event,) = vevents(parse(cancelled_text))
    assert [str(e["UID"]) for e in (booked_event, moved_event, cancelled_event)] == [
        meeting.uid
    ] * 3
    assert [int(e["SEQUENCE"]) for e in (booked_event, moved_event, cancelled_event)] == [0, 1, 2]
    assert [e["DTSTART"].dt for e in (booked_event, moved_event)] == [start, later]
    assert [str(e["STATUS"]) for e in (booked_event, moved_event, cancelled_event)] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]


def test_lifecycle_of_a_series_in_the_feed(client, alice, technician, sites, bridge):
    first = local_time(3, 8)
    outcome = weekly(alice, bridge, first, count=4)
    uid = outcome.series.uid
    _feed, token = new_feed(technician)

    booked_event = master(parse(fetch(client, token)), uid)
    reschedule(outcome.booked[1], Slot(first + WEEK + HOUR, first + WEEK + 3 * HOUR, 60), alice)
    moved = parse(fetch(client, token))
    cancel(outcome.booked[2], "Nghỉ", alice)
    one_cancelled = master(parse(fetch(client, token)), uid)
    cancel_following(outcome.booked[0], "Dừng", alice)
    all_cancelled = master(parse(fetch(client, token)), uid)

    assert int(booked_event["SEQUENCE"]) == 0
    assert "EXDATE" not in booked_event
    (override,) = [event for event in by_uid(moved, uid) if "RECURRENCE-ID" in event]
    assert (override["RECURRENCE-ID"].dt, override["DTSTART"].dt, int(override["SEQUENCE"])) == (
        first + WEEK,
        first + WEEK + HOUR,
        1,
    )
    assert int(master(moved, uid)["SEQUENCE"]) == 1
    assert [when.dt for when in one_cancelled["EXDATE"].dts] == [first + 2 * WEEK]
    assert int(one_cancelled["SEQUENCE"]) == 2
    assert str(all_cancelled["STATUS"]) == "CANCELLED"
    assert int(all_cancelled["SEQUENCE"]) == 5


# -- Round trip and bad input ---------------------------------------------------------------------


def test_every_feed_parses_with_icalendar_and_vobject(
    client, alice, technician, carol, sites, bridge
):
    first = local_time(3, 8)
    invited = book_at(alice, bridge, first, codes=("T01", "X0101"), title="Họp tỉnh")
    invite(invited, carol)
    book_at(alice, bridge, first + DAY, classification=Classification.CONFIDENTIAL)
    outcome = weekly(alice, bridge, first + 2 * DAY, count=3)
    cancel(outcome.booked[1], "Nghỉ", alice)
    texts = [
        feed_of(client, technician),
        feed_of(client, carol),
        feed_of(client, technician, FeedKind.SITE, site_code="T01"),
        feed_of(client, alice, FeedKind.ORGANISATION),
        feed_of(client, alice, FeedKind.ORGANISATION, province_code="T01", level=Level.COMMUNE),
    ]

    counts = [
        (len(vevents(parse(text))), len(parse_independently(text).vevent_list)) for text in texts
    ]
    assert counts == [(3, 3), (1, 1), (3, 3), (3, 3), (1, 1)]


def test_bad_text_in_a_meeting_still_gives_a_valid_feed(client, alice, technician, sites, bridge):
    meeting = book_at(alice, bridge, local_time(3, 8))
    # No NUL: PostgreSQL refuses it in text (the pure tests cover it).
    title = ("Họp\x07\x1f khẩn 🚨🇻🇳\u2028" + "Điểm cầu " * 40)[:300]
    Meeting.objects.filter(pk=meeting.pk).update(
        title=title, agenda="Nội dung\x1b[0m 😀 \\ ; ,\r\n" * 200
    )
    Endpoint.objects.filter(code="T01").update(name="Điểm cầu\x0b 🏛️ tỉnh")

    text = feed_of(client, technician)

    (event,) = vevents(parse(text))
    assert str(event["SUMMARY"]).startswith("Họp khẩn 🚨🇻🇳 Điểm cầu Điểm cầu")
    assert str(event["LOCATION"]) == "Điểm cầu 🏛️ tỉnh"
    assert parse_independently(text).vevent.summary.value == str(event["SUMMARY"])
    assert max(len(line) for line in text.split(b"\r\n")) <= 75


# -- Caching --------------------------------------------------------------------------------------


def test_conditional_request_gets_304_with_the_same_validators(
    client, alice, technician, sites, bridge
):
    book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    first = client.get(feed_url(token))

    by_etag = client.get(feed_url(token), headers={"if-none-match": first["ETag"]})
    by_date = client.get(feed_url(token), headers={"if-modified-since": first["Last-Modified"]})

    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert (by_etag["ETag"], by_etag["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert by_date.status_code == 304
    assert first["Cache-Control"] == "private, no-cache"


def test_any_change_changes_the_etag(client, alice, technician, sites, bridge):
    meeting = book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    etags = [client.get(feed_url(token))["ETag"]]

    reschedule(meeting, Slot(local_time(3, 11), local_time(3, 13), 60), alice)
    etags.append(client.get(feed_url(token))["ETag"])
    book_at(alice, bridge, local_time(4, 8))
    etags.append(client.get(feed_url(token))["ETag"])
    Endpoint.objects.get(code="T01").technicians.add(UserFactory())  # no change to bob's feed
    etags.append(client.get(feed_url(token))["ETag"])
    # The session leaves bob's sites without any timestamp of it changing, nor a booking
    # action: the cached validator goes once it expires (here: made stale by hand).
    Leg.objects.filter(conference=meeting.conference).update(
        endpoint=Endpoint.objects.get(code="T02")
    )
    feeds_changed()
    etags.append(client.get(feed_url(token))["ETag"])

    assert len(set(etags[:3])) == 3
    assert etags[3] == etags[2]
    assert etags[4] != etags[3]


def test_stale_etag_gets_the_full_feed(client, alice, technician, sites, bridge):
    meeting = book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    old = client.get(feed_url(token))
    cancel(meeting, "Hoãn", alice)

    response = client.get(feed_url(token), headers={"if-none-match": old["ETag"]})

    assert response.status_code == 200
    (event,) = vevents(parse(response.content))
    assert str(event["STATUS"]) == "CANCELLED"


def test_warm_feed_is_assembled_from_cached_events_and_only_changes_are_rebuilt(
    alice, technician, sites, bridge
):
    meetings = [book_at(alice, bridge, local_time(3 + day, 8)) for day in range(3)]
    weekly(alice, bridge, local_time(20, 8), count=3)
    feed, _token = new_feed(technician)
    now = timezone.now()

    def build():
        return feeds.assemble(
            feeds.feed_meetings(feed, now), viewer_of(technician), "Lịch", "vi", now
        )

    cold, cold_built = build()
    warm, warm_built = build()
    reschedule(meetings[1], Slot(local_time(4, 11), local_time(4, 13), 60), alice)
    _changed, changed_built = build()

    assert (cold_built, warm_built, changed_built) == (4, 0, 1)
    assert warm == cold


def test_cold_warm_and_icalendar_alone_write_the_same_feed(
    client, alice, technician, carol, sites, bridge, monkeypatch
):
    """The feed text is icalendar's: built cold, assembled warm from the cache, and
    written by icalendar alone, without meetings.calendar.ical_writer, it is the same bytes."""
    first = local_time(3, 8)
    outcome = weekly(alice, bridge, first, count=4, codes=("T01", "X0101"), title="Giao ban tuần")
    reschedule(outcome.booked[1], Slot(first + WEEK + HOUR, first + WEEK + 3 * HOUR, 60), alice)
    cancel(outcome.booked[2], "Nghỉ lễ", alice)
    secret = book_at(
        alice, bridge, local_time(4, 8), title="Họp mật", classification=Classification.CONFIDENTIAL
    )
    invite(secret, carol)
    odd = book_at(alice, bridge, local_time(5, 8), codes=("T01", "T02"), host="T02")
    Meeting.objects.filter(pk=odd.pk).update(
        title=("Họp\x07 khẩn 🚨🇻🇳\u2028" + "Điểm cầu " * 40)[:300],
        agenda="Nội dung 😀 \\ ; ,\r\n" * 50,
    )
    cancel(book_at(alice, bridge, local_time(6, 8)), "Hoãn", alice)
    _feed, token = new_feed(technician)

    cold = fetch(client, token)
    warm = fetch(client, token)
    with monkeypatch.context() as pristine:
        pristine.setattr(ical, "serialize", lambda component: component.to_ical())
        pristine.setattr(
            ical, "event_text", lambda data, zone: ical.build_event(data, zone).to_ical()
        )
        cache.clear()
        feeds.wrapper.cache_clear()
        icalendar_alone = fetch(client, token)
    feeds.wrapper.cache_clear()

    assert len(vevents(parse(cold))) == 5  # series master, its override, three singles
    assert warm == cold
    assert icalendar_alone == cold


def test_events_cached_for_one_viewer_are_not_served_to_another_variant(
    client, alice, technician, carol, sites, bridge
):
    secret = book_at(
        alice, bridge, local_time(3, 8), title="Họp mật", classification=Classification.CONFIDENTIAL
    )
    invite(secret, carol)
    serve(carol, "T01")

    insider = feed_of(client, carol)
    outsider = feed_of(client, technician)

    assert "Họp mật" in unfolded(insider)
    assert "Họp mật" not in unfolded(outsider)


# -- DTSTAMP: when the feed's content appeared --------------------------------------------------


def stamps(text: bytes) -> set:
    return {event.decoded("DTSTAMP") for event in vevents(parse(text))}


def back_date_validators(hours: int = 1) -> None:
    """As if every feed's current content had first appeared `hours` ago."""
    FeedToken.objects.update(validator_since=F("validator_since") - timedelta(hours=hours))


def test_every_event_is_stamped_with_the_feeds_last_modified(
    client, alice, technician, carol, sites, bridge
):
    book_at(alice, bridge, local_time(3, 8), title="Giao ban")
    secret = book_at(
        alice, bridge, local_time(4, 8), title="Họp mật", classification=Classification.CONFIDENTIAL
    )
    invite(secret, carol)
    outcome = weekly(alice, bridge, local_time(5, 8), count=3)
    reschedule(outcome.booked[1], Slot(local_time(12, 9), local_time(12, 11), 60), alice)
    Meeting.objects.update(updated_at=F("updated_at") - DAY)  # not the sessions' last change
    _feed, token = new_feed(technician)

    response = client.get(feed_url(token))

    last_modified = parse_http_date(response["Last-Modified"])
    assert len(vevents(parse(response.content))) == 4  # single, busy, master, override
    assert {stamp.timestamp() for stamp in stamps(response.content)} == {last_modified}


def test_the_same_etag_always_carries_the_same_bytes(client, alice, technician, sites, bridge):
    book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    first = client.get(feed_url(token))
    back_date_validators()
    feeds_changed()  # a change elsewhere: the validator is computed again, the same
    cache.clear()  # and the events built again

    again = client.get(feed_url(token))

    assert again["ETag"] == first["ETag"]
    assert again.content != first.content  # the stamp is when the content appeared…
    (stamp,) = stamps(again.content)
    assert stamp.timestamp() == parse_http_date(again["Last-Modified"])  # …the stored moment
    assert client.get(feed_url(token)).content == again.content


def test_a_booking_change_advances_the_stamp(client, alice, technician, sites, bridge):
    meeting = book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    client.get(feed_url(token))
    back_date_validators()
    before = client.get(feed_url(token))

    reschedule(meeting, Slot(local_time(3, 11), local_time(3, 13), 60), alice)
    after = client.get(feed_url(token))

    (old,) = stamps(before.content)
    (new,) = stamps(after.content)
    assert after["ETag"] != before["ETag"]
    assert new > old
    assert new.timestamp() == parse_http_date(after["Last-Modified"])


# -- Query counts ---------------------------------------------------------------------------------


@pytest.fixture
def one_validator_window(monkeypatch):
    """A feed's stored validator is good for one VALIDATOR_SECONDS window of the clock: a
    test whose requests straddle the end of a window would recompute it and count more
    queries. Counting tests run inside one window, however long they take."""
    monkeypatch.setattr(feeds, "VALIDATOR_SECONDS", 10**9)


# token, roles of the owner, last used, feeds' generation, validator's aggregate, validator
# stored in the feed's row, event keys, content of the events to build
COLD_QUERIES = 8
# token, roles of the owner, feeds' generation, event keys (validator from the feed's row,
# texts from the cache)
WARM_QUERIES = 4
# token, roles of the owner, feeds' generation (the validator from the feed's row)
NOT_MODIFIED_QUERIES = 3


@pytest.mark.usefixtures("one_validator_window")
@pytest.mark.parametrize("count", [1, 3, 100])
def test_feed_query_count_is_constant_in_the_number_of_events(
    client, alice, technician, sites, bridge, count, django_assert_num_queries
):
    for day in range(count):
        book_at(alice, bridge, local_time(2 + day, 8))
    _feed, token = new_feed(technician)

    with django_assert_num_queries(COLD_QUERIES):
        cold = client.get(feed_url(token))
    with django_assert_num_queries(WARM_QUERIES):
        warm = client.get(feed_url(token))
    with django_assert_num_queries(NOT_MODIFIED_QUERIES):
        not_modified = client.get(feed_url(token), headers={"if-none-match": cold["ETag"]})

    assert len(vevents(parse(cold.content))) == count
    assert warm.content == cold.content
    assert not_modified.status_code == 304


@pytest.mark.usefixtures("one_validator_window")
@pytest.mark.parametrize("occurrences", [1, 3, 20])
def test_feed_query_count_is_constant_with_series(
    client, alice, technician, sites, bridge, occurrences, django_assert_num_queries
):
    outcome = weekly(alice, bridge, local_time(3, 8), count=occurrences)
    cancel(outcome.booked[-1], "Nghỉ", alice)
    _feed, token = new_feed(technician, FeedKind.SITE, site_code="T01")

    # token, roles of the owner, is the owner a technician of the site, last used,
    # feeds' generation, validator's aggregate, validator stored, event keys, content
    with django_assert_num_queries(9):
        response = client.get(feed_url(token))

    assert len(vevents(parse(response.content))) == 1


@pytest.mark.usefixtures("one_validator_window")
def test_conditional_request_with_a_cold_validator_runs_one_aggregate(
    client, alice, technician, sites, bridge, django_assert_num_queries
):
    book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    etag = client.get(feed_url(token))["ETag"]
    feeds_changed()  # as a booking change elsewhere does

    # token, roles of the owner, feeds' generation, the validator's aggregate, the
    # validator stored in the feed's row
    with django_assert_num_queries(5):
        response = client.get(feed_url(token), headers={"if-none-match": etag})

    assert response.status_code == 304


def test_booking_change_makes_cached_validators_stale(client, alice, technician, sites, bridge):
    meeting = book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    etag = client.get(feed_url(token))["ETag"]

    cancel(meeting, "Hoãn", alice)

    response = client.get(feed_url(token), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
