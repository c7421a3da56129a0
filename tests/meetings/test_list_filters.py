"""The site filters of the lists (level, province), one implementation for the web and the API.

A filter must not tell where a confidential session takes place: for a session
the user sees only as busy time, only the sites the user serves count.

Sites: TW; provinces T01, T02 with communes X0101, X0201. alice books a
confidential session at T01 (host) and X0201; bob, technician of X0201, is not
invited; dave is an uninvited secretariat.
"""

import pytest

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.models import Classification
from tests.factories import BridgeFactory, UserFactory, booked, local_time, serve, site_tree

QUERIES = {
    "province-of-another-site": {"province": "T01"},
    "province-of-my-site": {"province": "T02"},
    "level-of-another-site": {"level": "province"},
    "level-of-my-site": {"level": "commune"},
}


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", roles=[Role.SECRETARIAT])


@pytest.fixture
def secret(alice, bob):
    site_tree(provinces=2, communes=1)
    serve(bob, "X0201")
    return booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01", "X0201")),
        host_code="T01",
        slot__start=local_time(7, 8),
        details__title="Họp mật",
        details__classification=Classification.CONFIDENTIAL,
    )


def agenda_ids(client, query: dict) -> list[int]:
    response = client.get("/meetings/", query)
    assert response.status_code == 200
    return [row.pk for row in response.context["rows"]]


def api_ids(client, query: dict) -> list[int]:
    response = client.get("/api/v1/meetings/", query)
    assert response.status_code == 200
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("province-of-another-site", False),
        ("province-of-my-site", True),
        ("level-of-another-site", False),
        ("level-of-my-site", True),
    ],
)
def test_agenda_filter_counts_only_a_technicians_own_sites_of_a_confidential_session(
    client_as, bob, secret, name, shown
):
    assert agenda_ids(client_as(bob), QUERIES[name]) == ([secret.pk] if shown else [])


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_week_filter_counts_only_a_technicians_own_sites_of_a_confidential_session(
    client_as, bob, secret, name
):
    start = local_time(7, 8).date().isoformat()

    response = client_as(bob).get("/meetings/week/", {**QUERIES[name], "start": start})

    listed = [meeting.pk for day in response.context["days"] for meeting in day.meetings]
    assert listed == ([secret.pk] if name.endswith("my-site") else [])


@pytest.mark.parametrize("persona", ["bob", "dave"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_agenda_and_api_filters_give_the_same_sessions(
    request, client_as, api_as, secret, persona, name
):
    user = request.getfixturevalue(persona)

    assert agenda_ids(client_as(user), QUERIES[name]) == api_ids(api_as(user), QUERIES[name])
