"""The audit trail through the API: GET /api/v1/audit/, the /audit/ page's entries
(meetings.trail.scope), filtered, newest first, cursor-paginated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit import trail
from audit.models import AuditEntry
from conferencing.models import Endpoint
from conferencing.site_selection import SiteSelection
from meetings.models import Classification
from tests.factories import (
    BridgeFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    site_tree,
)
from tests.problems import field_errors

URL = "/api/v1/audit/"


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


def site(code: str) -> Endpoint:
    return Endpoint.objects.get(code=code)


def actions(response) -> list[str]:
    return [entry["action"] for entry in response.json()["results"]]


def test_an_office_reads_the_entries_about_what_it_answers_for(api_as, hana, hanoi, sites):
    trail.record(hana, "site.changed", site("X0101"), {"name": "Xã mới"})
    trail.record(None, "site.changed", site("X0201"))

    response = api_as(hana).get(URL)

    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry == {
        "id": AuditEntry.objects.get(target_id=str(site("X0101").pk)).pk,
        "at": entry["at"],
        "actor": {"id": hana.pk, "username": "hana", "full_name": "hana"},
        "action": "site.changed",
        "target_type": "conferencing.endpoint",
        "target_id": str(site("X0101").pk),
        "changes": {"name": "Xã mới"},
    }


def test_the_entries_come_newest_first_page_by_page(api_as, alice, sites):
    for n in range(3):
        trail.record(None, f"site.step{n}", site("TW"))
    client = api_as(alice)

    first = client.get(URL, {"page_size": 2})
    second = client.get(first.json()["next"])

    assert actions(first) + actions(second) == ["site.step2", "site.step1", "site.step0"]
    assert second.json()["next"] is None


def test_the_filters_narrow_by_object_actor_action_and_time(api_as, alice, hana, hanoi, sites):
    trail.record(alice, "site.changed", site("X0101"))
    trail.record(hana, "site.changed", site("X0101"))
    trail.record(alice, "site.created", site("T02"))
    old = trail.record(alice, "site.changed", site("T02"))
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    client = api_as(alice)
    x0101 = {"target_type": "conferencing.endpoint", "target_id": site("X0101").pk}
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()

    assert len(client.get(URL, x0101).json()["results"]) == 2
    assert len(client.get(URL, {**x0101, "actor": hana.pk}).json()["results"]) == 1
    assert actions(client.get(URL, {"action": "site.created"})) == ["site.created"]
    assert len(client.get(URL, {"from": yesterday}).json()["results"]) == 3
    assert [e["id"] for e in client.get(URL, {"to": yesterday}).json()["results"]] == [old.pk]


def test_a_confidential_sessions_entries_only_to_who_may_see_it(api_as, alice, sites):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    secret = booked(
        alice,
        bridge_id=BridgeFactory(owner=central_office()).pk,
        sites=SiteSelection(sites=("TW",)),
        host_code="TW",
        slot__start=local_time(3, 8),
        details__classification=Classification.CONFIDENTIAL,
    )
    about_secret = {"target_type": "meetings.meeting", "target_id": secret.pk}

    seen = api_as(alice).get(URL, about_secret)
    hidden = api_as(dung).get(URL, about_secret)

    assert [entry["target_id"] for entry in seen.json()["results"]] == [str(secret.pk)]
    assert hidden.status_code == 200
    assert hidden.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"target_id": "1"}, "target_type"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-12-02T00:00:00+07:00", "to": "2026-12-01T00:00:00+07:00"}, "to"),
        ({"actor": "someone"}, "actor"),
        # Beyond any id: SQLite cannot even take it as a parameter (it was a 500).
        ({"actor": str(2**64)}, "actor"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_a_bad_filter_is_a_400(api_as, alice, query, field):
    response = api_as(alice).get(URL, query)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]


def test_who_may_not_open_the_audit_page_is_refused(api, api_as, bob, carol):
    assert api.get(URL).status_code == 401
    assert api_as(bob).get(URL).status_code == 403
    assert api_as(carol).get(URL).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_whatever_its_length(
    api_as, hana, hanoi, sites, count, django_assert_num_queries
):
    for _ in range(count):
        trail.record(hana, "site.changed", site("X0101"))
    client = api_as(hana)

    with django_assert_num_queries(5):
        assert len(client.get(URL).json()["results"]) == count
