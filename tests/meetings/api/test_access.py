"""The meeting API: who may do what (401, 403, 404), session and token authentication,
and which sessions each role may list."""

import pytest

from meetings.models import AttendeeRole, Meeting
from people import api_tokens
from people.models import TokenScope
from tests.factories import central_office
from tests.meetings.api.helpers import (
    CHECK_URL,
    LIST_URL,
    at,
    booked,
    booking_body,
    iso,
    listed_ids,
    summary,
    written,
)
from tests.problems import code_detail


def requests_for(meeting: Meeting, bridge) -> list[tuple[str, str, dict | None]]:
    detail = f"{LIST_URL}{meeting.pk}/"
    return [
        ("get", LIST_URL, None),
        ("get", detail, None),
        ("post", LIST_URL, booking_body(bridge)),
        ("post", CHECK_URL, booking_body(bridge)),
        ("post", f"{detail}reschedule/", {"start": iso(at(3, 8)), "end": iso(at(3, 10))}),
        ("post", f"{detail}sites/", {"sites": {"sites": ["HN"]}, "host": "HN"}),
        ("post", f"{detail}cancel/", {"reason": "Bão"}),
    ]


REQUESTS = ["list", "detail", "book", "check", "reschedule", "sites", "cancel"]

CHANGES = ["book", "check", "reschedule", "sites", "cancel"]


def request_named(name: str, meeting: Meeting, bridge) -> tuple[str, str, dict | None]:
    return dict(zip(REQUESTS, requests_for(meeting, bridge), strict=True))[name]


@pytest.mark.parametrize("name", REQUESTS)
def test_meeting_api_anonymous_gets_401(api, alice, tree, bridge, name):
    meeting = booked(alice, bridge, at(2, 8))
    method, url, data = request_named(name, meeting, bridge)
    before = written()

    response = getattr(api, method)(url, data)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert written() == before


@pytest.mark.parametrize("name", REQUESTS)
def test_meeting_api_user_without_role_gets_403(api_as, alice, mallory, tree, bridge, name):
    meeting = booked(alice, bridge, at(2, 8), attendees=((mallory.pk, AttendeeRole.MEMBER),))
    method, url, data = request_named(name, meeting, bridge)
    before = written()

    response = getattr(api_as(mallory), method)(url, data)

    assert response.status_code == 403
    assert written() == before


@pytest.mark.parametrize("persona", ["bob", "carol"])
@pytest.mark.parametrize("name", CHANGES)
def test_meeting_changes_refused_to_technician_and_attendee(
    api_as, alice, carol, tree, bridge, request, persona, name
):
    meeting = booked(alice, bridge, at(2, 8), attendees=((carol.pk, AttendeeRole.MEMBER),))
    method, url, data = request_named(name, meeting, bridge)
    before = written()

    response = getattr(api_as(request.getfixturevalue(persona)), method)(url, data)

    assert response.status_code == 403
    assert written() == before


def test_meeting_list_secretariat_sees_every_session(api_as, alice, dave, tree, bridge):
    first = booked(alice, bridge, at(2, 8))
    second = booked(dave, bridge, at(3, 8), sites=("HCM",), host="HCM")

    response = api_as(alice).get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [summary(first), summary(second)],
    }


def test_meeting_list_technician_sees_sessions_of_the_sites_they_serve(
    api_as, alice, bob, tree, bridge
):
    at_hanoi = booked(alice, bridge, at(2, 8), sites=("HN", "HCM"))
    booked(alice, bridge, at(3, 8), sites=("HCM",), host="HCM")

    response = api_as(bob).get(LIST_URL)

    assert response.json()["results"] == [summary(at_hanoi)]


def test_meeting_list_attendee_sees_sessions_they_are_invited_to(
    api_as, alice, carol, tree, bridge
):
    booked(alice, bridge, at(2, 8))
    invited = booked(
        alice,
        bridge,
        at(3, 8),
        sites=("HCM",),
        host="HCM",
        attendees=((carol.pk, AttendeeRole.CHAIR),),
    )

    response = api_as(carol).get(LIST_URL)

    assert response.json()["results"] == [summary(invited)]


def test_meeting_api_accepts_a_token(api, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    made = api_tokens.create(alice, name="Tích hợp", scope=TokenScope.READ)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert listed_ids(response) == [meeting.pk]


def test_meeting_api_books_with_a_token(api, alice, tree, bridge):
    # Made for her office (people.api_tokens): a token bound to none books nothing.
    made = api_tokens.create(
        alice, name="Tích hợp", scope=TokenScope.READ_WRITE, office_id=central_office().pk
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    response = api.post(LIST_URL, booking_body(bridge))

    assert response.status_code == 201
    assert Meeting.objects.get().organiser == alice


def test_meeting_api_refuses_an_unknown_token_with_401(api, alice, tree, bridge):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = api.get(LIST_URL)

    assert response.status_code == 401
    assert code_detail(response) == (401, "token_invalid", "This API token is not valid.")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_meeting_detail_not_concerning_the_user_is_404(api_as, alice, carol, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(carol).get(f"{LIST_URL}{meeting.pk}/")

    assert response.status_code == 404


def test_meeting_detail_unknown_id_is_404(api_as, alice, tree):
    response = api_as(alice).get(f"{LIST_URL}999999/")

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["reschedule", "sites", "cancel"])
def test_meeting_change_of_an_unknown_meeting_is_404(api_as, alice, tree, bridge, action):
    response = api_as(alice).post(f"{LIST_URL}999999/{action}/", {})

    assert response.status_code == 404
