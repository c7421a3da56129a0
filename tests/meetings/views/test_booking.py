"""The booking page: its form, what a booking writes, and its refusals (field errors,
inactive bridge, conflicts) shown on submit.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conferencing.models import Bridge, Leg, LegRole
from meetings.models import Meeting
from tests.factories import BridgeFactory, local_time, stored_counts
from tests.meetings.views.pages import (
    BOOK_URL,
    CHECK_URL,
    DAY,
    book_province,
    booking_data,
    messages_of,
)


def test_book_page_offers_provinces_and_a_site_search_not_every_site(
    client_as, alice, sites, bridge
):
    response = client_as(alice).get(BOOK_URL)

    html = response.content.decode()
    assert 'name="subtrees" value="T01"' in html
    assert 'data-site-search-url="/meetings/sites/search/"' in html
    assert re.search(r'<input type="text" name="host"[^>]* data-site-combobox="host"', html)
    assert "X0203" not in html
    assert "<datalist" not in html
    assert f'data-check-url="{CHECK_URL}"' in html
    assert '<div id="conflicts" aria-live="polite"' in html
    # One active bridge: already chosen.
    assert response.context["form"].initial["bridge"] == bridge.pk


def test_book_creates_the_session_in_local_time_and_opens_its_page(
    client_as, alice, carol, sites, bridge, english
):
    data = booking_data(bridge, attendees=[str(carol.pk)], setup_minutes="30")

    response = client_as(alice).post(BOOK_URL, data)

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert messages_of(response) == ["The session was booked."]
    assert meeting.title == "Giao ban tháng 11"
    assert meeting.organiser == alice
    assert meeting.organising_unit == "Văn phòng UBND"
    assert meeting.conference.start == local_time(DAY, 8)
    assert meeting.conference.end == local_time(DAY, 10)
    assert meeting.conference.setup_minutes == 30
    assert timezone.localtime(meeting.conference.start).strftime("%H:%M") == "08:00"
    legs = Leg.objects.filter(conference=meeting.conference)
    assert sorted(legs.values_list("endpoint__code", flat=True)) == [
        "T02",
        "X0201",
        "X0202",
        "X0203",
    ]
    assert legs.get(role=LegRole.HOST).endpoint.code == "T02"
    assert list(meeting.attendees.values_list("user__username", flat=True)) == ["carol"]


def test_book_combines_levels_sites_and_exclusions(client_as, alice, sites, bridge):
    data = booking_data(
        bridge,
        subtrees=None,
        levels=["1"],
        sites="TW, X0101;X0102",
        exclude_sites="X0102",
        host="TW",
    )

    client_as(alice).post(BOOK_URL, data)

    codes = Leg.objects.values_list("endpoint__code", flat=True).order_by("endpoint__path")
    assert list(codes) == ["TW", "T01", "X0101", "T02"]


def test_book_excluding_a_subtree(client_as, alice, sites, bridge):
    data = booking_data(
        bridge, subtrees=None, levels=["1", "3"], exclude_subtrees="T02", host="T01"
    )

    client_as(alice).post(BOOK_URL, data)

    codes = Leg.objects.values_list("endpoint__code", flat=True).order_by("endpoint__path")
    assert list(codes) == ["T01", "X0101", "X0102", "X0103"]


BAD_BOOKINGS = [
    pytest.param(
        {"start_time": "10:00", "end_time": "09:00"},
        "end_time",
        "The session must end after it starts.",
        id="end-before-start",
    ),
    pytest.param(
        {"date": (timezone.localdate() - timedelta(days=1)).isoformat()},
        "start_time",
        "Sessions in the past cannot be booked or moved.",
        id="past",
    ),
    pytest.param({"subtrees": None}, "sites", "Choose at least one site.", id="no-sites"),
    pytest.param(
        {"subtrees": None, "sites": "X0101, NOPE"}, "sites", "Unknown sites: NOPE.", id="unknown"
    ),
    pytest.param(
        {"host": "T01"}, "host", "The host site must be one of the chosen sites.", id="host-outside"
    ),
    pytest.param({"title": ""}, "title", "This field is required.", id="no-title"),
    pytest.param({"title": "   "}, "title", "This field is required.", id="blank-title"),
    pytest.param(
        {"date": "31/02/2026"},
        "date",
        "Enter a date as dd/mm/yyyy, for example 31/12/2026.",
        id="bad-date",
    ),
    pytest.param(
        {"start_time": "25:00"},
        "start_time",
        "Enter a time as hh:mm on a 24-hour clock, for example 14:30.",
        id="bad-time",
    ),
    pytest.param(
        {"setup_minutes": "99999"},
        "setup_minutes",
        "Ensure this value is less than or equal to 1440.",
        id="absurd-setup",
    ),
    pytest.param(
        {"bridge": "999999"},
        "bridge",
        "Select a valid choice. That choice is not one of the available choices.",
        id="unknown-bridge",
    ),
    pytest.param(
        {"repeat": "WEEKLY"}, "count", "Give the number of sessions or the last date.", id="no-end"
    ),
    pytest.param(
        {"repeat": "WEEKLY", "count": "3", "until": "2099-01-01"},
        "until",
        "Give either the number of sessions or the last date.",
        id="count-and-until",
    ),
    pytest.param(
        {"repeat": "YEARLY", "count": "3"},
        "repeat",
        "Select a valid choice. YEARLY is not one of the available choices.",
        id="malformed-frequency",
    ),
    pytest.param(
        {"repeat": "DAILY", "count": "1000"},
        "count",
        "A series can have at most 400 occurrences within 12 months.",
        id="absurd-count",
    ),
    pytest.param(
        {"repeat": "WEEKLY", "count": "0"},
        "count",
        "Ensure this value is greater than or equal to 1.",
        id="zero-count",
    ),
    pytest.param(
        {"repeat": "DAILY", "until": "2099-12-31"},
        "until",
        "A series can span at most 12 months.",
        id="absurd-until",
    ),
    pytest.param(
        {"repeat": "WEEKLY", "until": timezone.localdate().isoformat()},
        "until",
        "The recurrence rule gives no occurrence.",
        id="until-before-start",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_BOOKINGS)
def test_book_bad_input_is_a_field_error_and_writes_nothing(
    client_as, alice, sites, bridge, english, overrides, field, message
):
    before = stored_counts()

    response = client_as(alice).post(BOOK_URL, booking_data(bridge, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert stored_counts() == before
    assert b"Nothing was booked." in response.content


def test_book_inactive_bridge_is_refused(client_as, alice, sites, bridge, english):
    Bridge.objects.filter(pk=bridge.pk).update(is_active=False)

    response = client_as(alice).post(BOOK_URL, booking_data(bridge))

    assert list(response.context["form"].errors) == ["bridge"]
    assert Meeting.objects.count() == 0


def test_book_conflict_is_shown_on_submit_and_writes_nothing(
    client_as, alice, sites, bridge, meeting, english
):
    before = stored_counts()
    data = booking_data(bridge, sites="X0102", start_time="09:30", end_time="11:00")

    response = client_as(alice).post(BOOK_URL, data)

    html = response.content.decode()
    assert response.status_code == 409
    assert stored_counts() == before
    assert 'id="booking-refused"' in html
    conflicts = response.context["check"].occurrences[0].groups
    assert [(group.meeting_id, group.title, group.sites) for group in conflicts] == [
        (meeting.pk, "Giao ban T01", [("X0102", "Điểm cầu X0102")])
    ]
    assert '<span class="conflict-time">' in html
    assert "08:00\u201310:00" in html


def test_book_conflict_of_bridge_capacity_is_shown(client_as, alice, sites, meeting, english):
    small = BridgeFactory(name="MCU nhỏ", port_capacity=5)
    book_province(alice, small, "T01", local_time(DAY + 1, 8))
    data = booking_data(small, date=local_time(DAY + 1, 8).date().isoformat())

    response = client_as(alice).post(BOOK_URL, data)

    assert response.status_code == 409
    assert "the bridge would carry 8 sites; it has 5 ports." in response.content.decode()
