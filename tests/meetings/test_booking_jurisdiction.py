"""Booking within an office's jurisdiction (meetings.booking, meetings.series).

An office books only sessions whose sites and host lie inside its jurisdiction, on a
bridge it owns or that was shared with it; a refusal names what is outside and writes
nothing. The office that books owns the session. Conflicts name the other session
unless it is confidential.

The tree: TW → T01 (Hà Nội), T02, each with communes X0101… Lan is Hà Nội's secretariat;
alice the centre's.
"""

import pytest
from django.utils import translation

from accounts.roles import Role
from conferencing.models import Level
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingConflict, BookingError, change_sites, check
from meetings.models import Classification
from meetings.series import book_series
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    office_of,
    site_tree,
    stored_counts,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def lan(sites):
    lan = UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[])
    office_of(sites["T01"], "VP-HN", lan, name="Văn phòng UBND Hà Nội")
    return lan


@pytest.fixture
def hanoi_bridge(lan):
    return BridgeFactory(name="MCU Hà Nội", owner=lan.offices.get())


def test_the_booking_office_owns_the_session(lan, hanoi_bridge):
    meeting = booked(lan, bridge_id=hanoi_bridge.pk, sites=SiteSelection(subtrees=("T01",)))

    assert meeting.owner_office.code == "VP-HN"
    assert meeting.conference.legs.count() == 3


def test_a_level_means_the_sites_of_that_level_in_the_jurisdiction(lan, hanoi_bridge):
    meeting = booked(
        lan,
        bridge_id=hanoi_bridge.pk,
        sites=SiteSelection(levels=(Level.PROVINCE, Level.COMMUNE)),
    )

    codes = sorted(meeting.conference.legs.values_list("endpoint__code", flat=True))
    assert codes == ["T01", "X0101", "X0102"]


@pytest.mark.parametrize(
    ("selection", "host", "field", "named"),
    [
        (SiteSelection(sites=("T01", "X0201")), "T01", "sites", "X0201"),
        (SiteSelection(subtrees=("T02",)), "T02", "host", "T02, X0201, X0202"),
        (SiteSelection(sites=("TW", "T01")), "TW", "host", "TW"),
    ],
)
def test_sites_or_a_host_outside_the_jurisdiction_are_refused_by_name(
    lan, hanoi_bridge, selection, host, field, named
):
    before = stored_counts()
    request = BookingRequestFactory(bridge_id=hanoi_bridge.pk, sites=selection, host_code=host)

    with pytest.raises(BookingError) as refused:
        booked(lan, bridge_id=hanoi_bridge.pk, sites=selection, host_code=host)
    with pytest.raises(BookingError):
        check(request, lan)

    assert refused.value.field == field
    assert refused.value.message == (
        f"Outside the jurisdiction of Văn phòng UBND Hà Nội (Điểm cầu T01): {named}."
    )
    assert stored_counts() == before


def test_a_bridge_of_the_centre_not_shared_with_the_office_is_refused(lan, sites):
    central = BridgeFactory(name="MCU Quốc gia", port_capacity=4000)
    before = stored_counts()

    with pytest.raises(BookingError) as refused:
        booked(lan, bridge_id=central.pk)

    assert refused.value.field == "bridge"
    assert "MCU Quốc gia" in refused.value.message
    assert stored_counts() == before


def test_a_bridge_the_centre_shared_with_the_office_may_be_used(lan, sites):
    central = BridgeFactory(name="MCU Quốc gia", port_capacity=4000)
    central.shared_with.add(lan.offices.get())

    assert booked(lan, bridge_id=central.pk).conference.bridge == central


def test_a_secretariat_member_of_no_office_books_nothing(sites, hanoi_bridge):
    loner = UserFactory(username="loner", roles=[Role.SECRETARIAT], offices=[])
    before = stored_counts()

    with pytest.raises(BookingError, match="Choose the office you act for"):
        booked(loner, bridge_id=hanoi_bridge.pk)
    assert stored_counts() == before


def test_the_superuser_books_nothing(sites, hanoi_bridge):
    admin = UserFactory(username="root", is_superuser=True)

    with pytest.raises(BookingError, match="Choose the office you act for"):
        booked(admin, bridge_id=hanoi_bridge.pk)


def test_re_siting_outside_the_owning_offices_jurisdiction_is_refused(lan, hanoi_bridge):
    meeting = booked(lan, bridge_id=hanoi_bridge.pk, sites=SiteSelection(sites=("T01",)))

    with pytest.raises(BookingError) as refused:
        change_sites(meeting, SiteSelection(sites=("T01", "X0201")), "T01", lan)

    assert "X0201" in refused.value.message
    assert meeting.conference.legs.count() == 1


def test_a_series_outside_the_jurisdiction_is_refused_whole(lan, hanoi_bridge):
    before = stored_counts()
    request = BookingRequestFactory(
        bridge_id=hanoi_bridge.pk, sites=SiteSelection(sites=("T01", "T02")), host_code="T01"
    )

    with pytest.raises(BookingError, match="T02"):
        book_series(request, "FREQ=WEEKLY;COUNT=3", lan)
    assert stored_counts() == before


def test_a_conflict_in_the_jurisdiction_names_the_centres_session(lan, alice, sites):
    central = BridgeFactory(name="MCU Quốc gia", port_capacity=4000)
    central.shared_with.add(lan.offices.get())
    booked(
        alice,
        bridge_id=central.pk,
        sites=SiteSelection(levels=(Level.CENTRAL, Level.PROVINCE)),
        host_code="TW",
        slot__start=local_time(7, 8),
        details__title="Giao ban quốc gia",
    )

    with pytest.raises(BookingConflict) as refused:
        booked(
            lan,
            bridge_id=central.pk,
            sites=SiteSelection(subtrees=("T01",)),
            slot__start=local_time(7, 8),
        )

    (taken,) = refused.value.report.sites
    assert (taken.site, taken.meeting_title) == ("T01", "Giao ban quốc gia")


def test_a_conflict_with_a_confidential_session_names_no_title(lan, alice, sites, carol):
    central = BridgeFactory(name="MCU Quốc gia", port_capacity=4000)
    central.shared_with.add(lan.offices.get())
    booked(
        alice,
        bridge_id=central.pk,
        sites=SiteSelection(sites=("X0101",)),
        host_code="X0101",
        slot__start=local_time(7, 8),
        details__title="Mật",
        details__classification=Classification.CONFIDENTIAL,
    )

    with pytest.raises(BookingConflict) as refused:
        booked(
            lan,
            bridge_id=central.pk,
            sites=SiteSelection(subtrees=("T01",)),
            slot__start=local_time(7, 8),
        )

    (taken,) = refused.value.report.sites
    assert (taken.site, taken.meeting_id, taken.meeting_title) == (
        "X0101",
        None,
        "Busy (confidential session)",
    )
