"""Booking through the meeting API: 201 and what it answers, 409 with each conflict, 400
with the field and nothing written."""

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from meetings.models import Classification, Meeting
from tests.factories import BridgeFactory
from tests.meetings.api.helpers import (
    BAD_BOOKINGS,
    LIST_URL,
    NOTHING_WRITTEN,
    YEAR,
    at,
    booked,
    booking_body,
    iso,
    summary,
    written,
)
from tests.problems import field_errors, members

BUSY_CONFIDENTIAL = "Busy (confidential session)"


def test_book_creates_the_meeting_and_answers_201(api_as, alice, carol, tree, bridge):
    body = booking_body(
        bridge,
        agenda="Tình hình tuần",
        organising_unit="Văn phòng UBND",
        classification="public",
        setup_minutes=30,
        sites={"subtrees": ["HN"], "exclude_sites": ["HN-02"]},
        attendees=[{"user": carol.pk, "role": "observer"}],
    )

    response = api_as(alice).post(LIST_URL, body)

    assert response.status_code == 201
    meeting = Meeting.objects.get()
    assert response.json() == {
        **summary(meeting),
        "uid": meeting.uid,
        "agenda": "Tình hình tuần",
        "cancel_reason": "",
        "organiser": {"id": alice.pk, "username": "alice", "name": "Alice"},
        "sites": [
            {"code": "HN", "name": "Hà Nội", "level": "province", "role": "host"},
            {"code": "HN-01", "name": "Phúc Xá", "level": "commune", "role": "participant"},
        ],
        "attendees": [
            {"user": {"id": carol.pk, "username": "carol", "name": "Carol"}, "role": "observer"}
        ],
        "occurrence_start": None,
        "created_at": iso(timezone.localtime(meeting.created_at)),
        "updated_at": iso(timezone.localtime(meeting.updated_at)),
        "live": {
            "conference": meeting.conference_id,
            "legs": f"{LIST_URL}{meeting.pk}/legs/",
            "sockets": {
                "board": f"/ws/conferences/{meeting.conference_id}/board/",
                "console": None,
            },
        },
    }
    assert response.json()["setup_minutes"] == 30
    assert AuditEntry.objects.get().action == "meeting.booked"


def test_book_accepts_any_offset_and_answers_in_local_time(api_as, alice, tree, bridge):
    body = booking_body(bridge, start=f"{YEAR}-03-02T01:00:00Z", end=iso(at(2, 10)))

    response = api_as(alice).post(LIST_URL, body)

    assert response.json()["start"] == iso(at(2, 8))


def test_book_by_level_selects_every_active_site_of_the_level(api_as, alice, tree, bridge):
    body = booking_body(bridge, sites={"levels": ["province"]})

    response = api_as(alice).post(LIST_URL, body)

    assert response.status_code == 201
    assert [site["code"] for site in response.json()["sites"]] == ["HCM", "HN"]


def test_book_conflicting_sites_is_409_with_each_conflicting_session(api_as, alice, tree, bridge):
    taken = booked(alice, bridge, at(2, 9), sites=("HCM", "HN"), title="Họp tỉnh")
    before = written()

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    assert response.status_code == 409
    assert members(response) == {
        "detail": "The booking conflicts with existing sessions.",
        "code": "conflict",
        "sessions": [
            {
                "meeting_id": taken.pk,
                "busy": False,
                "title": "Họp tỉnh",
                "start": iso(at(2, 9)),
                "end": iso(at(2, 11)),
                "overlap_start": iso(at(2, 8)),
                "overlap_end": iso(at(2, 10)),
                "site_count": 2,
                "sites": [
                    {"code": "HCM", "name": "Hồ Chí Minh"},
                    {"code": "HN", "name": "Hà Nội"},
                ],
            }
        ],
        "capacity": None,
    }
    assert written() == before


def test_book_over_the_bridge_capacity_is_409_with_the_instant(api_as, alice, tree):
    small = BridgeFactory(name="MCU nhỏ", port_capacity=3)
    booked(alice, small, at(2, 9), sites=("HN-01", "HN-02"), host="HN-01")
    before = written()

    response = api_as(alice).post(LIST_URL, booking_body(small))

    assert response.status_code == 409
    assert members(response) == {
        "detail": "The booking conflicts with existing sessions.",
        "code": "conflict",
        "sessions": [],
        "capacity": {
            "capacity": 3,
            "most_legs": 4,
            "instant_count": 1,
            "instants": [{"instant": iso(at(2, 8)), "legs": 4}],
        },
    }
    assert written() == before


def test_book_conflict_with_a_confidential_session_hides_its_details(
    api_as, alice, dave, tree, bridge
):
    booked(dave, bridge, at(2, 9), sites=("HN",), classification=Classification.CONFIDENTIAL)

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    assert response.status_code == 409
    [conflict] = response.json()["sessions"]
    assert (conflict["meeting_id"], conflict["busy"]) == (None, True)
    assert conflict["title"] == BUSY_CONFIDENTIAL
    assert conflict["sites"] == [{"code": "HN", "name": "Hà Nội"}]


def test_book_conflict_with_an_own_confidential_session_names_it(api_as, alice, tree, bridge):
    secret = booked(
        alice, bridge, at(2, 9), sites=("HN",), classification=Classification.CONFIDENTIAL
    )

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    [conflict] = response.json()["sessions"]
    assert (conflict["meeting_id"], conflict["title"]) == (secret.pk, "Giao ban tuần")


def test_book_back_to_back_with_the_setup_window_is_accepted(api_as, alice, tree, bridge):
    booked(alice, bridge, at(2, 5), hours=2)

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [case[1:] for case in BAD_BOOKINGS],
    ids=[case[0] for case in BAD_BOOKINGS],
)
def test_book_bad_input_is_400_with_the_field_and_writes_nothing(
    api_as, alice, tree, bridge, changes, field, message
):
    response = api_as(alice).post(LIST_URL, booking_body(bridge, **changes))

    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}
    assert written() == NOTHING_WRITTEN


def test_book_inactive_bridge_is_400(api_as, alice, tree):
    retired = BridgeFactory(name="MCU cũ", is_active=False)

    response = api_as(alice).post(LIST_URL, booking_body(retired))

    assert field_errors(response) == {"bridge": ["This bridge is out of service."]}
    assert written() == NOTHING_WRITTEN


def test_book_the_same_attendee_twice_is_400(api_as, alice, carol, tree, bridge):
    twice = [{"user": carol.pk, "role": "member"}, {"user": carol.pk, "role": "chair"}]

    response = api_as(alice).post(LIST_URL, booking_body(bridge, attendees=twice))

    assert field_errors(response) == {"attendees": ["Invite each person once."]}
    assert written() == NOTHING_WRITTEN


def test_book_unknown_level_is_400_under_sites(api_as, alice, tree, bridge):
    response = api_as(alice).post(LIST_URL, booking_body(bridge, sites={"levels": ["galaxy"]}))

    assert field_errors(response) == {"sites.levels.0": ['"galaxy" is not a valid choice.']}
    assert written() == NOTHING_WRITTEN


def test_book_missing_fields_are_400_each(api_as, alice, tree):
    response = api_as(alice).post(LIST_URL, {})

    assert response.status_code == 400
    assert sorted(field_errors(response)) == ["bridge", "end", "host", "sites", "start", "title"]


def test_book_error_is_translated(api_as, alice, tree, bridge):
    body = booking_body(bridge, start=f"{YEAR}-03-02T08:00:00")

    response = api_as(alice).post(LIST_URL, body, HTTP_ACCEPT_LANGUAGE="vi")

    assert response["Content-Language"] == "vi"
    assert list(field_errors(response)) == ["start"]
