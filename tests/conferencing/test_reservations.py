"""The conference network's reservations: windows, overlaps, bridge capacity, and
PostgreSQL's exclusion constraint beneath them.

Windows are [start - setup, end), half-open. Times are minutes after 08:00 local
time a week ahead, to keep the arithmetic readable.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from conferencing.models import Conference, Leg
from conferencing.reservations import (
    ConferencePlan,
    SiteConflict,
    cancel_conference,
    create_conference,
    find_capacity_overloads,
    find_site_conflicts,
    move_conference,
    move_conferences,
    replace_sites,
)
from tests.factories import BridgeFactory, local_time, site_tree

POSTGRESQL = connection.vendor == "postgresql"
ONLY_POSTGRESQL = pytest.mark.skipif(
    not POSTGRESQL, reason="PostgreSQL only: SQLite has no exclusion constraint"
)
ONLY_SQLITE = pytest.mark.skipif(
    POSTGRESQL, reason="SQLite only: on PostgreSQL the exclusion constraint refuses this"
)


def at(minutes: int):
    return local_time(7, 8) + timedelta(minutes=minutes)


@pytest.fixture
def sites(db):
    """TW; T01, T02, T03; three communes under each."""
    return site_tree(provinces=3, communes=3)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU 10 cổng", port_capacity=10)


def ids(sites, *codes: str) -> tuple[int, ...]:
    return tuple(sites[code].pk for code in codes)


def province(sites, code: str) -> tuple[int, ...]:
    """A province and its three communes: four sites."""
    return ids(sites, code, *(f"X{code[1:]}{n:02d}" for n in (1, 2, 3)))


def conference(bridge, endpoint_ids, start: int, end: int, setup: int = 0) -> Conference:
    return create_conference(
        ConferencePlan(
            bridge_id=bridge.pk,
            start=at(start),
            end=at(end),
            setup_minutes=setup,
            endpoint_ids=endpoint_ids,
            host_id=endpoint_ids[0],
        )
    )


# -- Site conflicts -----------------------------------------------------------------------------


def test_create_conference_reserves_each_site_from_the_setup_window(sites, bridge):
    created = conference(bridge, ids(sites, "T01", "X0101"), 60, 180, setup=45)

    assert list(
        created.legs.order_by("endpoint__path").values_list(
            "endpoint__code", "role", "reserved_from", "reserved_until", "is_reserved"
        )
    ) == [
        ("T01", "host", at(15), at(180), True),
        ("X0101", "participant", at(15), at(180), True),
    ]


def test_find_site_conflicts_identical_windows_overlap_entirely(sites, bridge):
    existing = conference(bridge, ids(sites, "T01", "X0101"), 0, 120, setup=60)

    conflicts = find_site_conflicts(ids(sites, "X0101", "T01", "T02"), at(-60), at(120))

    assert conflicts == [
        SiteConflict(sites["T01"].pk, "T01", "Điểm cầu T01", existing.pk, at(-60), at(120)),
        SiteConflict(sites["X0101"].pk, "X0101", "Điểm cầu X0101", existing.pk, at(-60), at(120)),
    ]


def test_find_site_conflicts_back_to_back_windows_do_not_overlap(sites, bridge):
    conference(bridge, ids(sites, "T01"), 0, 120, setup=60)

    assert find_site_conflicts(ids(sites, "T01"), at(120), at(240)) == []
    assert find_site_conflicts(ids(sites, "T01"), at(-180), at(-60)) == []


def test_find_site_conflicts_the_setup_window_counts(sites, bridge):
    existing = conference(bridge, ids(sites, "T01"), 0, 120, setup=60)

    [conflict] = find_site_conflicts(ids(sites, "T01"), at(-90), at(-59))

    assert (conflict.conference_id, conflict.overlap_start, conflict.overlap_end) == (
        existing.pk,
        at(-60),
        at(-59),
    )


def test_find_site_conflicts_one_minute_of_overlap_is_a_conflict(sites, bridge):
    conference(bridge, ids(sites, "T01"), 0, 120)

    [conflict] = find_site_conflicts(ids(sites, "T01"), at(119), at(200))

    assert (conflict.overlap_start, conflict.overlap_end) == (at(119), at(120))


def test_find_site_conflicts_ignores_a_cancelled_conference(sites, bridge):
    cancel_conference(conference(bridge, ids(sites, "T01"), 0, 120))

    assert find_site_conflicts(ids(sites, "T01"), at(0), at(120)) == []


def test_find_site_conflicts_leaves_out_the_conferences_being_changed(sites, bridge):
    first = conference(bridge, ids(sites, "T01"), 0, 120)
    second = conference(bridge, ids(sites, "T01"), 120, 240)
    third = conference(bridge, ids(sites, "T01"), 240, 360)

    one = find_site_conflicts(ids(sites, "T01"), at(0), at(360), first.pk)
    several = find_site_conflicts(ids(sites, "T01"), at(0), at(360), {first.pk, third.pk})

    assert [c.conference_id for c in one] == [second.pk, third.pk]
    assert [c.conference_id for c in several] == [second.pk]


def test_find_site_conflicts_is_one_query_for_any_number_of_sites(
    sites, bridge, django_assert_num_queries
):
    conference(bridge, province(sites, "T01"), 0, 120)

    with django_assert_num_queries(1):
        conflicts = find_site_conflicts(ids(sites, *sites), at(0), at(120))

    assert len(conflicts) == 4


# -- Bridge capacity: a sweep over instants, not pairs ------------------------------------------


def test_capacity_three_sessions_overlapping_only_pairwise_fit_ten_ports(sites, bridge):
    conference(bridge, province(sites, "T01"), 0, 120)
    conference(bridge, province(sites, "T02"), 60, 180)

    assert find_capacity_overloads(bridge, at(120), at(240), new_legs=4) == []


def test_capacity_reports_the_instant_twelve_legs_would_meet(sites, bridge):
    conference(bridge, province(sites, "T01"), 0, 120)
    conference(bridge, province(sites, "T02"), 60, 180)

    overloads = find_capacity_overloads(bridge, at(90), at(240), new_legs=4)

    assert [(o.instant, o.legs, o.capacity) for o in overloads] == [(at(90), 12, 10)]


def test_capacity_reports_an_instant_inside_the_new_window(sites, bridge):
    conference(bridge, province(sites, "T01"), 0, 120)
    conference(bridge, province(sites, "T02"), 60, 180)

    overloads = find_capacity_overloads(bridge, at(-60), at(240), new_legs=4)

    assert [(o.instant, o.legs) for o in overloads] == [(at(60), 12)]


def test_capacity_ports_are_freed_at_the_instant_a_session_ends(sites, bridge):
    conference(bridge, province(sites, "T01"), 0, 120)
    conference(bridge, province(sites, "T02"), 0, 120)
    conference(bridge, ids(sites, "TW", "T03"), 120, 240)

    assert find_capacity_overloads(bridge, at(60), at(240), new_legs=2) == []
    assert [(o.instant, o.legs) for o in find_capacity_overloads(bridge, at(60), at(240), 3)] == [
        (at(60), 11)
    ]


def test_capacity_counts_only_this_bridges_reserved_legs(sites, bridge):
    other = BridgeFactory(name="MCU khác", port_capacity=10)
    conference(other, province(sites, "T01"), 0, 120)
    cancel_conference(conference(bridge, province(sites, "T02"), 0, 120))

    assert find_capacity_overloads(bridge, at(0), at(120), new_legs=10) == []


def test_capacity_leaves_out_the_conference_being_changed(sites, bridge):
    moving = conference(bridge, province(sites, "T01"), 0, 120)
    conference(bridge, province(sites, "T02"), 0, 120)

    assert find_capacity_overloads(bridge, at(30), at(150), 4, moving.pk) == []
    assert find_capacity_overloads(bridge, at(30), at(150), 4, [moving.pk]) == []


def test_capacity_a_session_alone_larger_than_the_bridge_is_reported(sites, bridge):
    overloads = find_capacity_overloads(bridge, at(0), at(60), new_legs=11)

    assert [(o.instant, o.legs, o.capacity) for o in overloads] == [(at(0), 11, 10)]


def test_capacity_is_one_query_for_any_number_of_conferences(
    sites, bridge, django_assert_num_queries
):
    for n, start in enumerate((0, 30, 60)):
        conference(bridge, province(sites, f"T0{n + 1}"), start, start + 120)

    with django_assert_num_queries(1):
        overloads = find_capacity_overloads(bridge, at(0), at(200), new_legs=1)

    assert [(o.instant, o.legs) for o in overloads] == [(at(60), 13)]


# -- Moving, re-siting, cancelling --------------------------------------------------------------


def test_move_conference_moves_every_legs_window(sites, bridge):
    moved = conference(bridge, province(sites, "T01"), 0, 120, setup=60)

    move_conference(moved, at(300), at(360), 15)

    assert set(moved.legs.values_list("reserved_from", "reserved_until")) == {(at(285), at(360))}


def test_move_conferences_onto_each_others_old_times_at_once(sites, bridge):
    first = conference(bridge, ids(sites, "T01"), 0, 120)
    second = conference(bridge, ids(sites, "T01"), 120, 240)

    move_conferences([(first, at(120), at(240), 0), (second, at(240), at(360), 0)])

    assert list(
        Leg.objects.order_by("reserved_from").values_list(
            "conference_id", "reserved_from", "is_reserved"
        )
    ) == [(first.pk, at(120), True), (second.pk, at(240), True)]


def test_replace_sites_keeps_the_legs_that_stay_and_moves_the_host(sites, bridge):
    changed = conference(bridge, ids(sites, "T01", "X0101", "X0102"), 0, 120)
    kept = changed.legs.get(endpoint=sites["X0101"]).pk

    replace_sites(changed, ids(sites, "TW", "X0101"), sites["TW"].pk, {"sites": ["TW", "X0101"]})

    assert list(changed.legs.order_by("endpoint__path").values_list("endpoint__code", "role")) == [
        ("TW", "host"),
        ("X0101", "participant"),
    ]
    assert changed.legs.get(endpoint=sites["X0101"]).pk == kept


def test_cancel_conference_frees_the_time_and_keeps_the_legs(sites, bridge):
    cancelled = conference(bridge, province(sites, "T01"), 0, 120)

    cancel_conference(cancelled)

    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"
    assert list(cancelled.legs.values_list("is_reserved", flat=True)) == [False] * 4


# -- The database's own guard -------------------------------------------------------------------


@ONLY_POSTGRESQL
def test_postgresql_refuses_two_overlapping_reservations_of_one_site(sites, bridge):
    conference(bridge, ids(sites, "T01"), 0, 120)

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        conference(bridge, ids(sites, "T01"), 119, 200)

    assert refused.value.__cause__.sqlstate == "23P01"
    assert refused.value.__cause__.diag.constraint_name == "leg_site_no_overlap"


@ONLY_POSTGRESQL
def test_postgresql_accepts_back_to_back_and_cancelled_reservations(sites, bridge):
    cancelled = conference(bridge, ids(sites, "T01"), 0, 120)
    conference(bridge, ids(sites, "T01"), 120, 240)
    cancel_conference(cancelled)

    conference(bridge, ids(sites, "T01"), 0, 120)

    assert Leg.objects.filter(is_reserved=True).count() == 2


@ONLY_POSTGRESQL
def test_postgresql_checks_each_row_so_siblings_must_move_together(sites, bridge):
    first = conference(bridge, ids(sites, "T01"), 0, 120)
    conference(bridge, ids(sites, "T01"), 120, 240)

    with pytest.raises(IntegrityError), transaction.atomic():
        move_conference(first, at(120), at(240), 0)


@ONLY_SQLITE
def test_sqlite_stores_overlapping_reservations_so_the_booking_check_is_the_guard(sites, bridge):
    conference(bridge, ids(sites, "T01"), 0, 120)

    conference(bridge, ids(sites, "T01"), 60, 180)

    assert Leg.objects.filter(endpoint=sites["T01"], is_reserved=True).count() == 2
