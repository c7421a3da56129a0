"""An action on a session no longer in a state it applies to is 409 `wrong_state`, not a
bad request: moving, re-siting or cancelling a cancelled session or one that started."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conferencing.models import Conference
from tests.meetings.api.helpers import LIST_URL, at, booked, iso, written
from tests.problems import code_detail

ACTIONS = {
    "reschedule": {"start": iso(at(3, 14)), "end": iso(at(3, 16))},
    "sites": {"sites": {"sites": ["HCM"]}, "host": "HCM"},
    "cancel": {"reason": "Bão"},
}


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_on_a_cancelled_session_is_409_wrong_state(api_as, alice, tree, bridge, action):
    meeting = booked(alice, bridge, at(2, 8))
    client = api_as(alice)
    client.post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Hoãn"})
    before = written()

    response = client.post(f"{LIST_URL}{meeting.pk}/{action}/", ACTIONS[action])

    assert code_detail(response) == (409, "wrong_state", "Only a scheduled session can be changed.")
    assert response.json()["title"] == "Not possible in the current state"
    assert written() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_on_a_started_session_is_409_wrong_state(api_as, alice, tree, bridge, action):
    meeting = booked(alice, bridge, at(2, 8))
    started = timezone.now() - timedelta(minutes=5)
    Conference.objects.filter(pk=meeting.conference_id).update(
        start=started, end=started + timedelta(hours=2)
    )

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/{action}/", ACTIONS[action])

    assert code_detail(response) == (
        409,
        "wrong_state",
        "A session that has started cannot be changed.",
    )
