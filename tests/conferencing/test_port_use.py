"""A bridge's legs in use over a day, by quarter-hour (conferencing.port_use)."""

from datetime import datetime, time, timedelta

import pytest

from conferencing.models import Conference, Leg
from conferencing.port_use import port_use
from tests.factories import LOCAL_ZONE, BridgeFactory, local_time, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Hà Nội", port_capacity=4)


def reserve(bridge, sites, codes: str, opens: datetime, until: datetime, reserved=True):
    """A conference on `bridge` whose legs take these sites from `opens` to `until`."""
    conference = Conference.objects.create(
        bridge=bridge, start=opens + timedelta(minutes=5), end=until, setup_minutes=5
    )
    for code in codes.split():
        Leg.objects.create(
            conference=conference,
            endpoint=sites[code],
            reserved_from=opens,
            reserved_until=until,
            is_reserved=reserved,
        )


def at(hour: int, minute: int = 0) -> datetime:
    return local_time(1, hour, minute)


def slot_of(use, hour: int, minute: int = 0) -> int:
    return use.in_use[(hour * 60 + minute) // 15]


def test_each_quarter_hour_counts_the_most_legs_at_once(bridge, sites):
    reserve(bridge, sites, "T01 X0101 X0102", at(8), at(10))
    reserve(bridge, sites, "T02 X0201", at(9, 50), at(11))
    reserve(bridge, sites, "X0103", at(10), at(10, 30))  # takes ports as the first frees them
    day = at(0).date()

    use = port_use(bridge, day)

    assert len(use.slots) == 96
    assert use.slots[0] == datetime.combine(day, time.min, LOCAL_ZONE)
    assert slot_of(use, 7, 45) == 0
    assert slot_of(use, 8) == 3
    assert slot_of(use, 9, 30) == 3
    assert slot_of(use, 9, 45) == 5  # 3, then 5 from 09:50
    assert slot_of(use, 10) == 3  # the first session ended at 10:00
    assert slot_of(use, 10, 30) == 2
    assert slot_of(use, 11) == 0
    assert use.peak == 5
    assert use.peak_at == at(9, 45)
    assert use.capacity == 4
    assert use.over_capacity == 1


def test_a_session_from_the_day_before_counts_until_it_ends(bridge, sites):
    reserve(bridge, sites, "T01", at(0) - timedelta(hours=1), at(0, 20))
    reserve(bridge, sites, "T02", at(23, 50), at(0) + timedelta(days=1, hours=1))

    use = port_use(bridge, at(0).date())

    assert use.in_use[:3] == (1, 1, 0)
    assert use.in_use[-1] == 1


def test_cancelled_legs_and_other_bridges_take_no_port(bridge, sites):
    reserve(bridge, sites, "T01 X0101", at(8), at(9), reserved=False)
    reserve(BridgeFactory(name="MCU khác"), sites, "T02", at(8), at(9))

    use = port_use(bridge, at(0).date())

    assert use.peak == 0
    assert use.peak_at is None


@pytest.mark.parametrize("sessions", [1, 3])
def test_one_query_whatever_the_number_of_sessions(
    bridge, sites, sessions, django_assert_num_queries
):
    for index, code in enumerate(("T01", "T02", "X0101")[:sessions]):
        reserve(bridge, sites, code, at(8 + index), at(9 + index))

    with django_assert_num_queries(1):
        use = port_use(bridge, at(0).date())

    assert use.peak == 1
