"""Cancelling through the meeting API: the reason, this and following occurrences, and 400."""

import pytest

from meetings.models import Meeting
from tests.meetings.api.helpers import (
    LIST_URL,
    at,
    booked,
    booking_body,
    series_of_three,
    summary,
    written,
)
from tests.problems import code_detail, field_errors


def test_cancel_frees_the_sites_and_keeps_the_reason(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão số 3"})

    assert response.status_code == 200
    assert response.json() == {"meetings": [summary(meeting)]}
    assert response.json()["meetings"][0]["status"] == "cancelled"
    meeting.refresh_from_db()
    assert meeting.cancel_reason == "Bão số 3"
    assert api_as(alice).post(LIST_URL, booking_body(bridge)).status_code == 201


def test_cancel_following_cancels_this_and_later_occurrences(api_as, alice, tree, bridge):
    _first, second, third = series_of_three(alice, bridge)

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/cancel/", {"reason": "Nghỉ lễ", "scope": "following"}
    )

    assert [m["id"] for m in response.json()["meetings"]] == [second.pk, third.pk]
    assert list(Meeting.objects.order_by("conference__start").values_list("status", flat=True)) == [
        "scheduled",
        "cancelled",
        "cancelled",
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Give a reason for cancelling."),
        ({}, "reason", "This field is required."),
    ],
)
def test_cancel_without_a_reason_is_400(api_as, alice, tree, bridge, body, field, message):
    meeting = booked(alice, bridge, at(2, 8))
    before = written()

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/cancel/", body)

    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}
    assert written() == before


def test_cancel_twice_is_409_wrong_state(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    client = api_as(alice)
    client.post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão"})

    response = client.post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão"})

    assert code_detail(response) == (
        409,
        "wrong_state",
        "Only a scheduled session can be changed.",
    )
