"""The API's dry run: what booking would refuse, per occurrence for a series, and nothing
written."""

import pytest

from tests.factories import BridgeFactory
from tests.meetings.api.helpers import (
    BAD_BOOKINGS,
    CHECK_URL,
    NOTHING_WRITTEN,
    WEEKLY_3,
    at,
    booked,
    booking_body,
    iso,
    written,
)
from tests.problems import field_errors


def test_check_free_slot_is_ok_and_writes_nothing(api_as, alice, tree, bridge):
    body = booking_body(bridge)
    del body["title"]

    response = api_as(alice).post(CHECK_URL, body)

    assert response.status_code == 200
    assert response.json() == {"ok": True, "sessions": [], "capacity": None}
    assert written() == NOTHING_WRITTEN


def test_check_reports_what_booking_would_refuse(api_as, alice, tree):
    small = BridgeFactory(name="MCU nhỏ", port_capacity=2)
    taken = booked(alice, small, at(2, 9), sites=("HN",))
    before = written()

    response = api_as(alice).post(CHECK_URL, booking_body(small))

    assert response.status_code == 200
    assert response.json() == {
        "ok": False,
        "sessions": [
            {
                "meeting_id": taken.pk,
                "busy": False,
                "title": "Giao ban tuần",
                "start": iso(at(2, 9)),
                "end": iso(at(2, 11)),
                "overlap_start": iso(at(2, 8)),
                "overlap_end": iso(at(2, 10)),
                "site_count": 1,
                "sites": [{"code": "HN", "name": "Hà Nội"}],
            }
        ],
        "capacity": {
            "capacity": 2,
            "most_legs": 3,
            "instant_count": 1,
            "instants": [{"instant": iso(at(2, 8)), "legs": 3}],
        },
    }
    assert written() == before


def test_check_series_answers_per_occurrence(api_as, alice, tree, bridge):
    booked(alice, bridge, at(9, 9), sites=("HN",))
    before = written()

    response = api_as(alice).post(CHECK_URL, booking_body(bridge, rrule=WEEKLY_3))

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert [
        (item["start"], [session["site_count"] for session in item["sessions"]], item["capacity"])
        for item in body["occurrences"]
    ] == [(iso(at(2, 8)), [], None), (iso(at(9, 8)), [1], None), (iso(at(16, 8)), [], None)]
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [case[1:] for case in BAD_BOOKINGS if case[2] not in {"title"}],
    ids=[case[0] for case in BAD_BOOKINGS if case[2] not in {"title"}],
)
def test_check_bad_input_is_400_with_the_field(
    api_as, alice, tree, bridge, changes, field, message
):
    response = api_as(alice).post(CHECK_URL, booking_body(bridge, **changes))

    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}
    assert written() == NOTHING_WRITTEN
