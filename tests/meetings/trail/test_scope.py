"""Which audit entries an office reads (meetings.trail.scope): about the sessions it
owns (a confidential one only when invited) and their series, records, uploads and
readiness; about its sites, bridges and itself. The superuser reads every entry.

Sites: TW; T01 (Hà Nội) with X0101; T02 with X0201. alice: central secretariat
(VPCP); hana: Hà Nội secretariat (VP-HN); dung: central secretariat, not invited.
"""

import pytest

from accounts.roles import Role
from audit import trail
from audit.models import AuditEntry
from conferencing.models import Bridge, Endpoint, Leg
from conferencing.site_selection import SiteSelection
from meetings.models import Classification
from meetings.trail.scope import may_read_trail, readable_entries
from tests.factories import (
    BridgeFactory,
    RecordFactory,
    RecordVersionFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    site_tree,
)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def dung(sites):
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


@pytest.fixture
def world(alice, hana, hanoi, sites):
    """Sessions of both offices and an entry about each kind of target."""
    central_bridge = BridgeFactory(name="MCU Trung ương", owner=central_office())
    hanoi_bridge = BridgeFactory(name="MCU Hà Nội", owner=hanoi)

    def book(user, bridge, day, codes, host, **details):
        return booked(
            user,
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=codes),
            host_code=host,
            slot__start=local_time(day, 8),
            **{f"details__{name}": value for name, value in details.items()},
        )

    national = book(alice, central_bridge, 3, ("TW", "X0101"), "TW")
    own = book(hana, hanoi_bridge, 4, ("T01", "X0101"), "T01")
    secret = book(
        alice, central_bridge, 5, ("TW",), "TW", classification=Classification.CONFIDENTIAL
    )
    version = RecordVersionFactory(record=RecordFactory(meeting=national), uploaded_by=alice)
    trail.record(alice, "record.uploaded", version)
    own_leg = Leg.objects.get(conference=own.conference, endpoint__code="X0101")
    trail.record(hana, "readiness.report", own_leg)
    trail.record(None, "site.changed", Endpoint.objects.get(code="X0101"))
    trail.record(None, "site.changed", Endpoint.objects.get(code="X0201"))
    trail.record(None, "bridge.changed", Bridge.objects.get(pk=hanoi_bridge.pk))
    trail.record(None, "bridge.changed", Bridge.objects.get(pk=central_bridge.pk))
    trail.record(None, "office.changed", hanoi)
    trail.record_about(None, "auth.login_failed", "auth.user", "")
    return {"national": national, "own": own, "secret": secret}


def described(entries) -> list[tuple[str, str]]:
    return sorted((entry.action, entry.target_type) for entry in entries)


def test_hanoi_reads_its_own_session_sites_bridges_and_office(hana, world):
    entries = readable_entries(hana)

    assert described(entries) == [
        ("bridge.changed", "conferencing.bridge"),
        ("meeting.booked", "meetings.meeting"),
        ("office.changed", "conferencing.office"),
        ("readiness.report", "conferencing.leg"),
        ("site.changed", "conferencing.endpoint"),
    ]
    assert entries.get(action="meeting.booked").target_id == str(world["own"].pk)
    assert entries.get(action="site.changed").target_id == str(
        Endpoint.objects.get(code="X0101").pk
    )


def test_the_centre_reads_its_sessions_and_records_not_hanoi_ones(alice, world):
    entries = readable_entries(alice)

    booked_ids = sorted(int(entry.target_id) for entry in entries.filter(action="meeting.booked"))
    assert booked_ids == sorted([world["national"].pk, world["secret"].pk])
    assert entries.filter(action="record.uploaded").count() == 1
    assert entries.filter(action="readiness.report").count() == 0
    assert entries.filter(action="site.changed").count() == 2
    assert entries.filter(action="bridge.changed").count() == 1
    assert entries.filter(action="office.changed").count() == 0


def test_a_colleague_not_invited_does_not_read_a_confidential_session(dung, world):
    booked_ids = [
        int(entry.target_id) for entry in readable_entries(dung).filter(action="meeting.booked")
    ]

    assert booked_ids == [world["national"].pk]


def test_the_superuser_reads_every_entry(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    assert readable_entries(root).count() == AuditEntry.objects.count()
    assert may_read_trail(root) is True


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_people_acting_for_no_office_read_nothing(request, world, persona):
    user = request.getfixturevalue(persona)

    assert (may_read_trail(user), readable_entries(user).count()) == (False, 0)


@pytest.mark.parametrize("count", [1, 3])
def test_the_scope_is_one_query(hana, hanoi, sites, django_assert_num_queries, count):
    for _ in range(count):
        trail.record(None, "office.changed", hanoi)
    hana_offices = list(readable_entries(hana)[:0])  # reads the user's offices once
    assert hana_offices == []

    with django_assert_num_queries(1):
        entries = list(readable_entries(hana))

    assert len(entries) == count
