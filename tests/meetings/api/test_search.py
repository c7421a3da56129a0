"""The meeting API's `q`: sessions found by title whatever its case and marks; a
confidential one the caller sees as busy time is never found by its words."""

import pytest

from meetings.models import Classification
from tests.meetings.api.helpers import LIST_URL, at, booked, listed_ids


@pytest.fixture
def sessions(alice, tree, bridge):
    return {
        "da_nang": booked(alice, bridge, at(2, 8), title="Giao ban Đà Nẵng"),
        "weekly": booked(alice, bridge, at(3, 8)),
        "secret": booked(
            alice,
            bridge,
            at(4, 8),
            sites=("HN-02",),
            host="HN-02",
            title="Họp mật Đà Nẵng",
            classification=Classification.CONFIDENTIAL,
        ),
    }


@pytest.mark.parametrize("typed", ["da nang", "ĐÀ NẴNG", "Đà Nẵng"])
def test_q_finds_sessions_however_their_title_is_typed(api_as, alice, sessions, typed):
    response = api_as(alice).get(LIST_URL, {"q": typed})

    assert listed_ids(response) == [sessions["da_nang"].pk, sessions["secret"].pk]


def test_q_does_not_find_a_confidential_session_by_its_title_for_the_uninvited(
    api_as, bob, sessions
):
    sessions["secret"].conference.legs.get().endpoint.technicians.add(bob)
    client = api_as(bob)

    assert sessions["secret"].pk in listed_ids(client.get(LIST_URL))
    assert listed_ids(client.get(LIST_URL, {"q": "da nang"})) == [sessions["da_nang"].pk]


def test_an_empty_q_filters_nothing(api_as, alice, sessions):
    response = api_as(alice).get(LIST_URL, {"q": ""})

    assert len(listed_ids(response)) == 3
