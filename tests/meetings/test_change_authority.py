"""Who may change a session (meetings.visibility.changeable), asked by every path.

The secretariat moves, re-sites and cancels sessions, except a confidential one
it is not invited to: that one answers as if it did not exist, on the web and in
the API, and nothing changes.

Sites: TW; T01, T02 with communes. alice (secretariat) books; dave (secretariat)
is not invited to her confidential session; erin (secretariat) is.
"""

import pytest

from accounts.roles import Role
from conferencing.models import Conference, Leg
from conferencing.site_selection import SiteSelection
from meetings.models import Attendee, Classification, Meeting
from meetings.visibility import changeable, may_change
from tests.factories import BridgeFactory, UserFactory, booked, local_time, site_tree
from tests.meetings.refusals import MISSING, answer
from tests.problems import members

API = "/api/v1/meetings/"


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", roles=[Role.SECRETARIAT])


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", roles=[Role.SECRETARIAT])


@pytest.fixture
def secret(alice, erin):
    site_tree(provinces=2, communes=1)
    return booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01", "X0101")),
        host_code="T01",
        slot__start=local_time(7, 8),
        details__title="Họp mật",
        details__classification=Classification.CONFIDENTIAL,
        details__attendees=((erin.pk, "member"),),
    )


def state_of(meeting: Meeting) -> dict:
    """Everything a change could touch: the meeting, its conference and its legs."""
    conference = Conference.objects.get(pk=meeting.conference_id)
    return {
        "status": Meeting.objects.get(pk=meeting.pk).status,
        "start": conference.start,
        "end": conference.end,
        "sites": sorted(
            Leg.objects.filter(conference=conference).values_list("endpoint__code", "role")
        ),
        "meetings": Meeting.objects.count(),
    }


API_CHANGES = {
    "reschedule": {"start": local_time(9, 8).isoformat(), "end": local_time(9, 10).isoformat()},
    "sites": {"sites": {"sites": ["T02"]}, "host": "T02"},
    "cancel": {"reason": "Bão"},
}


# --- the rule -----------------------------------------------------------------------------------


def test_changeable_leaves_out_a_confidential_session_the_secretariat_is_not_invited_to(
    secret, dave
):
    assert list(changeable(dave).values_list("pk", flat=True)) == []


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("alice", True), ("erin", True), ("dave", False), ("bob", False), ("carol", False)],
    ids=["organiser", "invited-secretariat", "uninvited-secretariat", "technician", "attendee"],
)
def test_may_change_is_the_invited_secretariats(request, secret, persona, allowed):
    user = request.getfixturevalue(persona)

    assert may_change(secret, user) is allowed


def test_may_change_refuses_an_uninvited_superuser(secret):
    admin = UserFactory(username="admin", is_superuser=True)

    assert may_change(secret, admin) is False


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(API_CHANGES))
def test_api_change_of_a_confidential_session_by_an_uninvited_secretariat_is_a_missing_one(
    api_as, secret, dave, action
):
    client = api_as(dave)
    before = state_of(secret)

    refused = client.post(f"{API}{secret.pk}/{action}/", API_CHANGES[action], format="json")
    missing = client.post(f"{API}{MISSING}/{action}/", API_CHANGES[action], format="json")

    assert (refused.status_code, members(refused)) == (missing.status_code, members(missing))
    assert refused.status_code == 404
    assert state_of(secret) == before


@pytest.mark.parametrize("action", sorted(API_CHANGES))
def test_api_change_of_a_confidential_session_by_an_invited_secretariat_is_applied(
    api_as, secret, erin, action
):
    before = state_of(secret)

    response = api_as(erin).post(f"{API}{secret.pk}/{action}/", API_CHANGES[action], format="json")

    assert response.status_code == 200
    assert state_of(secret) != before


# --- the web ------------------------------------------------------------------------------------

WEB_CHANGES = {
    "reschedule": {
        "date": local_time(9, 8).date().isoformat(),
        "start_time": "08:00",
        "end_time": "10:00",
        "setup_minutes": "60",
    },
    "sites": {"sites": "T02", "host": "T02"},
    "cancel": {"reason": "Bão"},
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", sorted(WEB_CHANGES))
def test_web_change_of_a_confidential_session_by_an_uninvited_secretariat_is_a_missing_one(
    client_as, secret, dave, view, method
):
    client = client_as(dave)
    before = state_of(secret)
    send = getattr(client, method)

    refused = send(f"/meetings/{secret.pk}/{view}/", WEB_CHANGES[view])
    missing = send(f"/meetings/{MISSING}/{view}/", WEB_CHANGES[view])

    assert answer(refused, secret.pk) == answer(missing, MISSING)
    assert refused.status_code == 404
    assert state_of(secret) == before


def test_meeting_page_offers_changes_only_to_who_may_change(client_as, secret, erin, carol):
    Attendee.objects.create(meeting=secret, user=carol)

    offered = {
        user.username: f"/meetings/{secret.pk}/cancel/"
        in client_as(user).get(f"/meetings/{secret.pk}/").content.decode()
        for user in (erin, carol)
    }

    assert offered == {"erin": True, "carol": False}
