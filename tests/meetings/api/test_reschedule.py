"""Rescheduling through the meeting API: the move, the setup window, 409 and 400, this
and following occurrences."""

import pytest

from tests.meetings.api.helpers import (
    LIST_URL,
    YEAR,
    at,
    booked,
    iso,
    series_of_three,
    summary,
    written,
)
from tests.problems import field_errors


def test_reschedule_moves_the_session(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/reschedule/", {"start": iso(at(3, 14)), "end": iso(at(3, 16))}
    )

    assert response.status_code == 200
    assert response.json() == {"meetings": [summary(meeting)]}
    assert response.json()["meetings"][0]["start"] == iso(at(3, 14))
    assert response.json()["meetings"][0]["sequence"] == 1
    assert response.json()["meetings"][0]["setup_minutes"] == 60


def test_reschedule_keeps_the_setup_window_unless_given(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    url = f"{LIST_URL}{meeting.pk}/reschedule/"

    response = api_as(alice).post(
        url, {"start": iso(at(3, 14)), "end": iso(at(3, 16)), "setup_minutes": 15}
    )

    assert response.json()["meetings"][0]["setup_minutes"] == 15


def test_reschedule_into_a_taken_slot_is_409(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    taken = booked(alice, bridge, at(3, 8), title="Họp khác")
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/reschedule/", {"start": iso(at(3, 9)), "end": iso(at(3, 11))}
    )

    assert response.status_code == 409
    assert [c["meeting_id"] for c in response.json()["sessions"]] == [taken.pk]
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start": f"{YEAR}-03-03T08:00:00"}, "start", "Give the time with its time zone offset."),
        ({"end": iso(at(3, 7))}, "end", "The session must end after it starts."),
        ({"scope": "all"}, "scope", '"all" is not a valid choice.'),
        (
            {"start": "2020-03-02T08:00:00+07:00", "end": "2020-03-02T10:00:00+07:00"},
            "start",
            "Sessions in the past cannot be booked or moved.",
        ),
    ],
)
def test_reschedule_bad_input_is_400(api_as, alice, tree, bridge, changes, field, message):
    meeting = booked(alice, bridge, at(2, 8))
    before = written()
    body = {"start": iso(at(3, 8)), "end": iso(at(3, 10)), **changes}

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/reschedule/", body)

    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}
    assert written() == before


def test_reschedule_following_shifts_this_and_later_occurrences(api_as, alice, tree, bridge):
    _first, second, third = series_of_three(alice, bridge)

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/reschedule/",
        {"start": iso(at(9, 14)), "end": iso(at(9, 16)), "scope": "following"},
    )

    assert response.status_code == 200
    assert [(m["id"], m["start"]) for m in response.json()["meetings"]] == [
        (second.pk, iso(at(9, 14))),
        (third.pk, iso(at(16, 14))),
    ]


def test_reschedule_following_with_a_conflict_is_409_per_occurrence(api_as, alice, tree, bridge):
    _first, second, _third = series_of_three(alice, bridge)
    booked(alice, bridge, at(16, 14), sites=("HN",))
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/reschedule/",
        {"start": iso(at(9, 14)), "end": iso(at(9, 16)), "scope": "following"},
    )

    assert response.status_code == 409
    assert [o["start"] for o in response.json()["occurrences"]] == [iso(at(16, 14))]
    assert written() == before
