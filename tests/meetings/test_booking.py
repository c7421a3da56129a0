"""Booking one session: what it reserves, what it refuses and why, and what it records.

Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`); a
reservation window is [start - setup, end), half-open.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.instants import iso
from conferencing.models import Conference, Endpoint, Leg
from conferencing.reservations import CapacityOverload
from conferencing.site_selection import SiteSelection
from meetings.booking import (
    BookingConflict,
    BookingError,
    book,
    cancel,
    change_sites,
    check,
    reschedule,
)
from meetings.booking import Slot as BookingSlot
from meetings.models import Classification, Meeting, MeetingStatus
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    bulk_communes,
    local_time,
    site_tree,
    stored_counts,
)

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    """TW; T01, T02, T03; three communes under each (X0101…X0303)."""
    return site_tree(provinces=3, communes=3)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


@pytest.fixture
def dung(db):
    """A second secretariat member, who books sessions alice is not invited to."""
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


def selection(*codes: str) -> SiteSelection:
    return SiteSelection(sites=codes)


def site_conflict(meeting: Meeting, code: str, overlap_start, overlap_end, shown=True) -> dict:
    name = Endpoint.objects.get(code=code).name
    return {
        "site": code,
        "site_name": name,
        "meeting_id": meeting.pk if shown else None,
        "meeting_title": meeting.title if shown else "Busy (confidential session)",
        "meeting_start": iso(meeting.conference.start),
        "meeting_end": iso(meeting.conference.end),
        "overlap_start": iso(overlap_start),
        "overlap_end": iso(overlap_end),
    }


def refusal(user, **request) -> dict:
    with pytest.raises(BookingConflict) as refused:
        booked(user, **request)
    return refused.value.report.as_dict()


# -- What a booking writes ----------------------------------------------------------------------


def test_book_reserves_every_site_for_the_session_and_its_setup_window(alice, sites, bridge):
    start = local_time(7, 8)

    meeting = booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(subtrees=("T01",)),
        host_code="T01",
        slot__start=start,
        slot__setup_minutes=45,
    )

    legs = meeting.conference.legs.order_by("endpoint__path")
    assert list(legs.values_list("endpoint__code", "role", "is_reserved")) == [
        ("T01", "host", True),
        ("X0101", "participant", True),
        ("X0102", "participant", True),
        ("X0103", "participant", True),
    ]
    assert set(legs.values_list("reserved_from", "reserved_until")) == {
        (start - timedelta(minutes=45), start + 2 * HOUR)
    }
    assert (meeting.conference.bridge, meeting.conference.setup_minutes) == (bridge, 45)


def test_book_creates_the_meeting_with_its_details_and_attendees(alice, carol, sites, bridge):
    meeting = booked(
        alice,
        bridge_id=bridge.pk,
        details__title="  Giao ban quý III  ",
        details__agenda="1. Kinh tế\n2. Xã hội",
        details__organising_unit="Văn phòng Chính phủ",
        details__classification=Classification.CONFIDENTIAL,
        details__attendees=((carol.pk, "chair"),),
    )

    meeting.refresh_from_db()
    assert (meeting.title, meeting.agenda, meeting.organising_unit) == (
        "Giao ban quý III",
        "1. Kinh tế\n2. Xã hội",
        "Văn phòng Chính phủ",
    )
    assert (meeting.classification, meeting.status, meeting.sequence, meeting.organiser) == (
        "confidential",
        "scheduled",
        0,
        alice,
    )
    assert list(meeting.attendees.values_list("user__username", "role")) == [("carol", "chair")]


def test_book_records_who_booked_what_in_the_audit_trail(alice, sites, bridge):
    start = local_time(7, 8)

    meeting = booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(subtrees=("T02",)),
        host_code="T02",
        slot__start=start,
        details__title="Họp tỉnh",
    )

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id) == (
        alice,
        "meeting.booked",
        "meetings.meeting",
        str(meeting.pk),
    )
    assert entry.changes == {
        "office": meeting.owner_office_id,
        "start": iso(start),
        "end": iso(start + 2 * HOUR),
        "setup_minutes": 60,
        "bridge": bridge.pk,
        "sites": 4,
        "host": sites["T02"].pk,
    }


# -- Site overlaps ------------------------------------------------------------------------------


def test_book_identical_slot_on_a_shared_site_is_refused_with_each_site_and_overlap(
    alice, sites, bridge
):
    start = local_time(7, 8)
    first = booked(alice, bridge_id=bridge.pk, sites=selection("T01", "X0101"), slot__start=start)
    before = stored_counts()

    report = refusal(
        alice,
        bridge_id=bridge.pk,
        sites=selection("T01", "X0101", "X0102"),
        slot__start=start,
    )

    assert report == {
        "site_conflicts": [
            site_conflict(first, "T01", start - HOUR, start + 2 * HOUR),
            site_conflict(first, "X0101", start - HOUR, start + 2 * HOUR),
        ],
        "capacity_conflicts": [],
    }
    assert stored_counts() == before


def test_book_back_to_back_sessions_on_one_site_are_both_accepted(alice, sites, bridge):
    start = local_time(7, 8)
    booked(alice, bridge_id=bridge.pk, slot__start=start, slot__setup_minutes=0)

    second = booked(alice, bridge_id=bridge.pk, slot__start=start + 2 * HOUR, slot__setup_minutes=0)

    assert Leg.objects.filter(endpoint=sites["T01"], is_reserved=True).count() == 2
    assert second.conference.start == start + 2 * HOUR


def test_book_back_to_back_including_the_setup_window_is_accepted(alice, sites, bridge):
    start = local_time(7, 8)
    booked(alice, bridge_id=bridge.pk, slot__start=start)

    booked(alice, bridge_id=bridge.pk, slot__start=start + 3 * HOUR, slot__setup_minutes=60)

    assert Meeting.objects.count() == 2


def test_book_setup_window_makes_otherwise_back_to_back_sessions_overlap(alice, sites, bridge):
    start = local_time(7, 8)
    first = booked(alice, bridge_id=bridge.pk, slot__start=start, slot__setup_minutes=0)

    report = refusal(
        alice, bridge_id=bridge.pk, slot__start=start + 2 * HOUR, slot__setup_minutes=30
    )

    assert report["site_conflicts"] == [
        site_conflict(first, "T01", start + timedelta(minutes=90), start + 2 * HOUR)
    ]


def test_book_partial_overlap_reports_only_the_shared_interval(alice, sites, bridge):
    start = local_time(7, 8)
    first = booked(alice, bridge_id=bridge.pk, slot__start=start, slot__setup_minutes=0)

    report = refusal(
        alice,
        bridge_id=bridge.pk,
        slot__start=start - HOUR,
        slot__end=start + HOUR,
        slot__setup_minutes=0,
    )

    assert report["site_conflicts"] == [site_conflict(first, "T01", start, start + HOUR)]


def test_book_sessions_across_local_midnight_overlap_on_the_next_day(alice, sites, bridge):
    evening = local_time(7, 22)
    night = booked(alice, bridge_id=bridge.pk, slot__start=evening, slot__end=evening + 3 * HOUR)
    after_midnight = local_time(8, 0, 30)

    report = refusal(alice, bridge_id=bridge.pk, slot__start=after_midnight, slot__setup_minutes=30)

    assert report["site_conflicts"] == [
        site_conflict(night, "T01", local_time(8, 0), local_time(8, 1))
    ]


def test_book_after_a_session_across_midnight_ends_is_accepted(alice, sites, bridge):
    evening = local_time(7, 22)
    booked(alice, bridge_id=bridge.pk, slot__start=evening, slot__end=evening + 3 * HOUR)

    morning = booked(alice, bridge_id=bridge.pk, slot__start=local_time(8, 2))

    assert morning.conference.legs.get().reserved_from == local_time(8, 1)


def test_book_different_sites_at_the_same_time_are_both_accepted(alice, sites, bridge):
    start = local_time(7, 8)
    booked(alice, bridge_id=bridge.pk, sites=selection("T01"), host_code="T01", slot__start=start)

    booked(alice, bridge_id=bridge.pk, sites=selection("T02"), host_code="T02", slot__start=start)

    assert Meeting.objects.count() == 2


def test_book_a_cancelled_session_no_longer_holds_its_sites(alice, sites, bridge):
    start = local_time(7, 8)
    cancel(booked(alice, bridge_id=bridge.pk, slot__start=start), "Hoãn", alice)

    again = booked(alice, bridge_id=bridge.pk, slot__start=start)

    assert again.status == MeetingStatus.SCHEDULED


def test_book_refusal_lists_conflicts_with_several_sessions(alice, sites, bridge):
    start = local_time(7, 8)
    morning = booked(
        alice, bridge_id=bridge.pk, sites=selection("X0101"), host_code="X0101", slot__start=start
    )
    later = booked(
        alice,
        bridge_id=bridge.pk,
        sites=selection("X0102"),
        host_code="X0102",
        slot__start=start + 2 * HOUR,
        slot__setup_minutes=0,
    )

    report = refusal(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(subtrees=("T01",)),
        slot__start=start + HOUR,
        slot__end=start + 3 * HOUR,
        slot__setup_minutes=0,
    )

    assert report["site_conflicts"] == [
        site_conflict(morning, "X0101", start + HOUR, start + 2 * HOUR),
        site_conflict(later, "X0102", start + 2 * HOUR, start + 3 * HOUR),
    ]


def test_book_conflict_hides_a_confidential_session_the_user_is_not_invited_to(
    alice, dung, sites, bridge
):
    start = local_time(7, 8)
    secret = booked(
        dung,
        bridge_id=bridge.pk,
        slot__start=start,
        details__title="Họp mật",
        details__classification=Classification.CONFIDENTIAL,
    )

    report = refusal(alice, bridge_id=bridge.pk, slot__start=start)

    assert report["site_conflicts"] == [
        site_conflict(secret, "T01", start - HOUR, start + 2 * HOUR, shown=False)
    ]


def test_book_conflict_names_a_confidential_session_the_user_attends(alice, dung, sites, bridge):
    start = local_time(7, 8)
    secret = booked(
        dung,
        bridge_id=bridge.pk,
        slot__start=start,
        details__title="Họp mật",
        details__classification=Classification.CONFIDENTIAL,
        details__attendees=((alice.pk, "member"),),
    )

    report = refusal(alice, bridge_id=bridge.pk, slot__start=start)

    assert report["site_conflicts"][0]["meeting_title"] == "Họp mật"
    assert report["site_conflicts"][0]["meeting_id"] == secret.pk


def test_book_conflict_names_another_organisers_internal_session(alice, dung, sites, bridge):
    start = local_time(7, 8)
    other = booked(dung, bridge_id=bridge.pk, slot__start=start, details__title="Họp nội bộ")

    report = refusal(alice, bridge_id=bridge.pk, slot__start=start)

    assert report["site_conflicts"] == [site_conflict(other, "T01", start - HOUR, start + 2 * HOUR)]


# -- Bridge capacity ----------------------------------------------------------------------------


@pytest.fixture
def small_bridge(db):
    return BridgeFactory(name="MCU nhỏ", port_capacity=10)


def four_sites(province: str) -> SiteSelection:
    """A province and its three communes: four legs."""
    return SiteSelection(subtrees=(province,))


def book_four(user, bridge, province: str, start, end) -> Meeting:
    return booked(
        user,
        bridge_id=bridge.pk,
        sites=four_sites(province),
        host_code=province,
        slot__start=start,
        slot__end=end,
        slot__setup_minutes=0,
    )


def test_book_three_sessions_overlapping_only_pairwise_fit_a_bridge_of_ten(
    alice, sites, small_bridge
):
    t = local_time(7, 8)
    book_four(alice, small_bridge, "T01", t, t + 2 * HOUR)
    book_four(alice, small_bridge, "T02", t + HOUR, t + 3 * HOUR)

    third = book_four(alice, small_bridge, "T03", t + 2 * HOUR, t + 4 * HOUR)

    assert third.conference.legs.count() == 4
    assert Leg.objects.filter(conference__bridge=small_bridge, is_reserved=True).count() == 12


def test_book_refuses_the_instant_twelve_legs_would_share_a_bridge_of_ten(
    alice, sites, small_bridge
):
    t = local_time(7, 8)
    book_four(alice, small_bridge, "T01", t, t + 2 * HOUR)
    book_four(alice, small_bridge, "T02", t + HOUR, t + 3 * HOUR)
    before = stored_counts()

    with pytest.raises(BookingConflict) as refused:
        book_four(alice, small_bridge, "T03", t + timedelta(minutes=90), t + 4 * HOUR)

    assert refused.value.report.as_dict() == {
        "site_conflicts": [],
        "capacity_conflicts": [
            {"instant": iso(t + timedelta(minutes=90)), "legs": 12, "capacity": 10}
        ],
    }
    assert stored_counts() == before


def test_book_capacity_counts_the_setup_window(alice, sites, small_bridge):
    t = local_time(7, 8)
    book_four(alice, small_bridge, "T01", t, t + 2 * HOUR)
    book_four(alice, small_bridge, "T02", t + HOUR, t + 3 * HOUR)

    with pytest.raises(BookingConflict) as refused:
        booked(
            alice,
            bridge_id=small_bridge.pk,
            sites=four_sites("T03"),
            host_code="T03",
            slot__start=t + 2 * HOUR,
            slot__end=t + 4 * HOUR,
            slot__setup_minutes=30,
        )

    assert refused.value.report.capacity == [
        CapacityOverload(instant=t + timedelta(minutes=90), legs=12, capacity=10)
    ]


def test_book_a_bridge_frees_its_ports_at_the_instant_a_session_ends(alice, sites, small_bridge):
    t = local_time(7, 8)
    book_four(alice, small_bridge, "T01", t, t + 2 * HOUR)
    book_four(alice, small_bridge, "T02", t, t + 2 * HOUR)

    third = book_four(alice, small_bridge, "T03", t + 2 * HOUR, t + 3 * HOUR)

    assert third.status == MeetingStatus.SCHEDULED


def test_book_reports_each_instant_a_bridge_would_be_overloaded(alice, sites):
    eight = BridgeFactory(name="MCU 8 cổng", port_capacity=8)
    t = local_time(7, 8)
    book_four(alice, eight, "T01", t, t + HOUR)
    book_four(alice, eight, "T02", t + 2 * HOUR, t + 3 * HOUR)

    report = refusal(
        alice,
        bridge_id=eight.pk,
        sites=SiteSelection(subtrees=("T03",), sites=("TW",)),
        host_code="T03",
        slot__start=t - HOUR,
        slot__end=t + 4 * HOUR,
        slot__setup_minutes=0,
    )

    assert report == {
        "site_conflicts": [],
        "capacity_conflicts": [
            {"instant": iso(t), "legs": 9, "capacity": 8},
            {"instant": iso(t + 2 * HOUR), "legs": 9, "capacity": 8},
        ],
    }


def test_book_more_sites_than_the_bridge_has_ports_is_refused_at_the_window_start(
    alice, sites, bridge
):
    tiny = BridgeFactory(name="MCU 3 cổng", port_capacity=3)
    start = local_time(7, 8)

    report = refusal(
        alice, bridge_id=tiny.pk, sites=four_sites("T01"), host_code="T01", slot__start=start
    )

    assert report == {
        "site_conflicts": [],
        "capacity_conflicts": [{"instant": iso(start - HOUR), "legs": 4, "capacity": 3}],
    }


def test_book_other_bridges_do_not_count_against_a_bridges_ports(alice, sites, small_bridge):
    t = local_time(7, 8)
    other = BridgeFactory(name="MCU khác", port_capacity=10)
    book_four(alice, other, "T01", t, t + 2 * HOUR)
    book_four(alice, other, "T02", t, t + 2 * HOUR)

    book_four(alice, small_bridge, "T03", t, t + 2 * HOUR)

    assert Meeting.objects.count() == 3


# -- Bad input: a clear error naming the field, nothing written ---------------------------------


def naive(moment):
    return timezone.make_naive(moment)


BAD_REQUESTS = {
    "naive start": (
        lambda s: {"slot__start": naive(local_time(7, 8))},
        "start",
        "Give the time with its time zone offset.",
    ),
    "naive end": (
        lambda s: {"slot__end": naive(local_time(7, 10))},
        "end",
        "Give the time with its time zone offset.",
    ),
    "end before start": (
        lambda s: {"slot__start": local_time(7, 10), "slot__end": local_time(7, 9)},
        "end",
        "The session must end after it starts.",
    ),
    "end at start": (
        lambda s: {"slot__start": local_time(7, 10), "slot__end": local_time(7, 10)},
        "end",
        "The session must end after it starts.",
    ),
    "longer than a day": (
        lambda s: {"slot__start": local_time(7, 8), "slot__end": local_time(8, 9)},
        "end",
        "A session cannot last longer than 24 hours.",
    ),
    "in the past": (
        lambda s: {"slot__start": timezone.now() - HOUR},
        "start",
        "Sessions in the past cannot be booked or moved.",
    ),
    "setup too long": (
        lambda s: {"slot__setup_minutes": 24 * 60 + 1},
        "setup_minutes",
        "The setup window must be between 0 and 1440 minutes.",
    ),
    "negative setup": (
        lambda s: {"slot__setup_minutes": -5},
        "setup_minutes",
        "The setup window must be between 0 and 1440 minutes.",
    ),
    "no site": (lambda s: {"sites": SiteSelection()}, "sites", "Choose at least one site."),
    "only exclusions": (
        lambda s: {"sites": SiteSelection(exclude_sites=("T01",))},
        "sites",
        "Choose at least one site.",
    ),
    "unknown site": (
        lambda s: {"sites": selection("T01", "NOPE")},
        "sites",
        "Unknown sites: NOPE.",
    ),
    "inactive site": (
        lambda s: {"sites": selection("T01", "X0102")},
        "sites",
        "Inactive sites cannot be booked: X0102.",
    ),
    "host not among the sites": (
        lambda s: {"sites": selection("T01"), "host_code": "T02"},
        "host",
        "The host site must be one of the chosen sites.",
    ),
    "unknown bridge": (lambda s: {"bridge_id": 999_999}, "bridge", "Choose an existing bridge."),
    "inactive bridge": (
        lambda s: {"bridge_id": BridgeFactory(name="MCU hỏng", is_active=False).pk},
        "bridge",
        "This bridge is out of service.",
    ),
}


@pytest.fixture
def inactive_commune(sites):
    Endpoint.objects.filter(code="X0102").update(is_active=False)


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=list(BAD_REQUESTS))
def test_book_bad_input_is_refused_naming_the_field_and_writes_nothing(
    alice, sites, bridge, inactive_commune, case
):
    overrides, field, message = BAD_REQUESTS[case]
    request = BookingRequestFactory(**{"bridge_id": bridge.pk, **overrides(sites)})
    before = stored_counts()

    with pytest.raises(BookingError) as refused:
        book(request, alice)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert stored_counts() == before


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=list(BAD_REQUESTS))
def test_check_bad_input_gives_the_same_error_as_book(alice, sites, bridge, inactive_commune, case):
    overrides, field, message = BAD_REQUESTS[case]
    request = BookingRequestFactory(**{"bridge_id": bridge.pk, **overrides(sites)})

    with pytest.raises(BookingError) as refused:
        check(request, alice)

    assert (refused.value.field, refused.value.message) == (field, message)


@pytest.mark.parametrize("title", ["", "   "])
def test_book_without_a_title_is_refused_and_writes_nothing(alice, sites, bridge, title):
    before = stored_counts()

    with pytest.raises(BookingError) as refused:
        booked(alice, bridge_id=bridge.pk, details__title=title)

    assert (refused.value.field, refused.value.message) == ("title", "Give the session a title.")
    assert stored_counts() == before


def test_book_a_site_left_inactive_inside_a_chosen_province_is_left_out(
    alice, sites, bridge, inactive_commune
):
    meeting = booked(
        alice, bridge_id=bridge.pk, sites=SiteSelection(subtrees=("T01",)), host_code="T01"
    )

    assert sorted(meeting.conference.legs.values_list("endpoint__code", flat=True)) == [
        "T01",
        "X0101",
        "X0103",
    ]


def test_book_bad_input_is_explained_in_vietnamese(alice, sites, bridge):
    request = BookingRequestFactory(bridge_id=bridge.pk, sites=SiteSelection())

    with translation.override("vi"), pytest.raises(BookingError) as refused:
        book(request, alice)

    assert (refused.value.field, refused.value.message) == (
        "sites",
        "Hãy chọn ít nhất một điểm cầu.",
    )


# -- The dry run --------------------------------------------------------------------------------


def test_check_gives_the_report_book_refuses_with_and_writes_nothing(alice, sites, small_bridge):
    t = local_time(7, 8)
    book_four(alice, small_bridge, "T01", t, t + 2 * HOUR)
    book_four(alice, small_bridge, "T02", t + HOUR, t + 3 * HOUR)
    request = BookingRequestFactory(
        bridge_id=small_bridge.pk,
        sites=SiteSelection(subtrees=("T03",), sites=("X0101",)),
        host_code="T03",
        slot__start=t + timedelta(minutes=90),
        slot__end=t + 4 * HOUR,
        slot__setup_minutes=0,
    )
    before = stored_counts()

    report = check(request, alice)

    assert stored_counts() == before
    with pytest.raises(BookingConflict) as refused:
        book(request, alice)
    assert report.as_dict() == refused.value.report.as_dict()
    assert len(report.sites) == 1
    assert report.capacity == [
        CapacityOverload(instant=t + timedelta(minutes=90), legs=13, capacity=10)
    ]


def test_check_of_a_free_slot_is_an_empty_report_and_writes_nothing(alice, sites, bridge):
    request = BookingRequestFactory(bridge_id=bridge.pk)
    before = stored_counts()

    report = check(request, alice)

    assert (bool(report), report.as_dict()) == (
        False,
        {"site_conflicts": [], "capacity_conflicts": []},
    )
    assert stored_counts() == before


# -- Query counts: constant in the number of sites ----------------------------------------------


@pytest.fixture
def big_bridge(db):
    return BridgeFactory(name="MCU quốc gia", port_capacity=5000)


@pytest.mark.parametrize("communes", [10, 1000])
def test_book_costs_the_same_queries_for_10_or_1000_sites(
    alice, sites, big_bridge, communes, django_assert_num_queries
):
    bulk_communes(sites["T01"], communes)
    request = BookingRequestFactory(
        bridge_id=big_bridge.pk, sites=SiteSelection(subtrees=("T01",)), host_code="T01"
    )

    # One query more than before issue #11: the feeds' generation row, raised in the
    # booking's transaction (meetings.calendar_hooks).
    # Two more since issue #13: the user's role and offices (who books); the bridge is read
    # with whether the office may use it, and the jurisdiction check reads no more rows.
    with django_assert_num_queries(14):
        meeting = book(request, alice)

    assert meeting.conference.legs.count() == communes + 4


@pytest.mark.parametrize("communes", [10, 1000])
def test_refused_book_costs_the_same_queries_for_10_or_1000_conflicting_sites(
    alice, sites, big_bridge, communes, django_assert_num_queries
):
    bulk_communes(sites["T01"], communes)
    province = SiteSelection(subtrees=("T01",))
    booked(alice, bridge_id=big_bridge.pk, sites=province, host_code="T01")
    request = BookingRequestFactory(bridge_id=big_bridge.pk, sites=province, host_code="T01")

    # The user's role and offices were read (once per user object) by the first booking.
    with django_assert_num_queries(10), pytest.raises(BookingConflict) as refused:
        book(request, alice)

    assert len(refused.value.report.sites) == communes + 4


@pytest.mark.parametrize("communes", [10, 1000])
def test_check_costs_the_same_queries_for_10_or_1000_sites(
    alice, sites, big_bridge, communes, django_assert_num_queries
):
    bulk_communes(sites["T01"], communes)
    request = BookingRequestFactory(
        bridge_id=big_bridge.pk, sites=SiteSelection(subtrees=("T01",)), host_code="T01"
    )

    # Two more since issue #13: the user's role and offices (who books); the bridge is read
    # with whether the office may use it, and the jurisdiction check reads no more rows.
    with django_assert_num_queries(7):
        check(request, alice)


# -- Moving a session ---------------------------------------------------------------------------


def test_reschedule_moves_every_leg_raises_the_sequence_and_is_audited(alice, sites, bridge):
    start = local_time(7, 8)
    meeting = booked(
        alice, bridge_id=bridge.pk, sites=SiteSelection(subtrees=("T01",)), slot__start=start
    )
    later = local_time(9, 14)

    moved = reschedule(meeting, BookingSlot(later, later + 3 * HOUR, 30), alice)

    assert set(Leg.objects.values_list("reserved_from", "reserved_until")) == {
        (later - timedelta(minutes=30), later + 3 * HOUR)
    }
    moved.refresh_from_db()
    assert (moved.sequence, moved.conference.start, moved.conference.setup_minutes) == (
        1,
        later,
        30,
    )
    entry = AuditEntry.objects.filter(action="meeting.rescheduled").get()
    assert (entry.actor, entry.target_id) == (alice, str(meeting.pk))
    assert entry.changes == {
        "from": {"start": iso(start), "end": iso(start + 2 * HOUR), "setup_minutes": 60},
        "to": {"start": iso(later), "end": iso(later + 3 * HOUR), "setup_minutes": 30},
    }


def test_reschedule_into_its_own_current_window_is_accepted(alice, sites, bridge):
    start = local_time(7, 8)
    meeting = booked(alice, bridge_id=bridge.pk, slot__start=start)

    reschedule(meeting, BookingSlot(start + HOUR / 2, start + 3 * HOUR, 60), alice)

    assert Conference.objects.get().start == start + HOUR / 2


def test_reschedule_onto_a_busy_site_is_refused_and_changes_nothing(alice, sites, bridge):
    start = local_time(7, 8)
    busy = booked(alice, bridge_id=bridge.pk, slot__start=start, details__title="Họp sáng")
    meeting = booked(alice, bridge_id=bridge.pk, slot__start=start + 4 * HOUR)
    before = stored_counts()

    with pytest.raises(BookingConflict) as refused:
        reschedule(meeting, BookingSlot(start + HOUR, start + 2 * HOUR, 0), alice)

    assert refused.value.report.as_dict()["site_conflicts"] == [
        site_conflict(busy, "T01", start + HOUR, start + 2 * HOUR)
    ]
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.conference.start) == (0, start + 4 * HOUR)
    assert stored_counts() == before


def test_reschedule_into_the_past_is_refused(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk)
    past = timezone.now() - 2 * HOUR

    with pytest.raises(BookingError) as refused:
        reschedule(meeting, BookingSlot(past, past + HOUR, 0), alice)

    assert (refused.value.field, refused.value.message) == (
        "start",
        "Sessions in the past cannot be booked or moved.",
    )


def test_reschedule_a_session_that_has_started_is_refused(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk)
    Conference.objects.update(start=timezone.now() - HOUR, end=timezone.now() + HOUR)
    later = local_time(9, 8)

    with pytest.raises(BookingError) as refused:
        reschedule(meeting, BookingSlot(later, later + HOUR, 0), alice)

    assert refused.value.message == "A session that has started cannot be changed."
    assert Conference.objects.get().end > timezone.now()


def test_reschedule_a_cancelled_session_is_refused(alice, sites, bridge):
    meeting = cancel(booked(alice, bridge_id=bridge.pk), "Hoãn", alice)
    later = local_time(9, 8)

    with pytest.raises(BookingError) as refused:
        reschedule(meeting, BookingSlot(later, later + HOUR, 0), alice)

    assert refused.value.message == "Only a scheduled session can be changed."


def test_reschedule_with_a_naive_time_is_refused(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk)
    later = naive(local_time(9, 8))

    with pytest.raises(BookingError) as refused:
        reschedule(meeting, BookingSlot(later, later + HOUR, 0), alice)

    assert refused.value.field == "start"


# -- Changing the sites -------------------------------------------------------------------------


def test_change_sites_adds_removes_and_moves_the_host(alice, sites, bridge):
    meeting = booked(
        alice, bridge_id=bridge.pk, sites=selection("T01", "X0101", "X0102"), host_code="T01"
    )

    changed = change_sites(meeting, selection("TW", "T01", "X0103"), "TW", alice)

    assert list(
        changed.conference.legs.order_by("endpoint__path").values_list("endpoint__code", "role")
    ) == [("TW", "host"), ("T01", "participant"), ("X0103", "participant")]
    assert changed.sequence == 1
    entry = AuditEntry.objects.filter(action="meeting.sites_changed").get()
    assert entry.changes == {"added": 2, "removed": 2, "sites": 3, "host": sites["TW"].pk}


def test_change_sites_to_a_busy_site_is_refused_and_changes_nothing(alice, sites, bridge):
    start = local_time(7, 8)
    busy = booked(
        alice, bridge_id=bridge.pk, sites=selection("T02"), host_code="T02", slot__start=start
    )
    meeting = booked(alice, bridge_id=bridge.pk, slot__start=start)
    before = stored_counts()

    with pytest.raises(BookingConflict) as refused:
        change_sites(meeting, selection("T01", "T02"), "T01", alice)

    assert refused.value.report.as_dict()["site_conflicts"] == [
        site_conflict(busy, "T02", start - HOUR, start + 2 * HOUR)
    ]
    assert list(meeting.conference.legs.values_list("endpoint__code", flat=True)) == ["T01"]
    assert stored_counts() == before


def test_change_sites_with_the_host_left_out_is_refused(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk)

    with pytest.raises(BookingError) as refused:
        change_sites(meeting, selection("T02"), "T01", alice)

    assert refused.value.field == "host"
    assert Meeting.objects.get().sequence == 0


# -- Cancelling ---------------------------------------------------------------------------------


def test_cancel_frees_the_sites_keeps_the_reason_and_is_audited(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk, sites=SiteSelection(subtrees=("T01",)))

    cancelled = cancel(meeting, "  Lãnh đạo bận  ", alice)

    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == (
        "cancelled",
        "Lãnh đạo bận",
        1,
    )
    assert cancelled.conference.status == "cancelled"
    assert list(Leg.objects.values_list("is_reserved", flat=True)) == [False] * 4
    entry = AuditEntry.objects.filter(action="meeting.cancelled").get()
    assert (entry.actor, entry.changes) == (alice, {"reason": "Lãnh đạo bận"})


def test_cancel_without_a_reason_is_refused_and_writes_nothing(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk)
    before = stored_counts()

    with pytest.raises(BookingError) as refused:
        cancel(meeting, "   ", alice)

    assert (refused.value.field, refused.value.message) == (
        "reason",
        "Give a reason for cancelling.",
    )
    assert stored_counts() == before
    assert Meeting.objects.get().status == "scheduled"


def test_cancel_twice_is_refused(alice, sites, bridge):
    meeting = cancel(booked(alice, bridge_id=bridge.pk), "Hoãn", alice)

    with pytest.raises(BookingError) as refused:
        cancel(meeting, "Hoãn lần nữa", alice)

    assert refused.value.message == "Only a scheduled session can be changed."
    assert Meeting.objects.get().sequence == 1
