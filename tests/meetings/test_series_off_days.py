"""Occurrences of a series on a day off: kept (as before), skipped, or moved to the next
working day at the same time. Days off come from the holidays package and from the
announced days (workdays)."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone, translation

from audit.models import AuditEntry
from meetings.booking import BookingError
from meetings.models import Meeting, OffDayPolicy
from meetings.series import book_series, check_series_days
from tests.factories import LOCAL_ZONE, BookingRequestFactory, BridgeFactory, site_tree
from tests.meetings.off_day_helpers import (
    DAY_OFF_NAME,
    announced_day_off_ahead,
    at_eight,
    public_holiday_ahead,
)
from workdays import calendar

WEEK = timedelta(weeks=1)
WEEKLY_2 = "FREQ=WEEKLY;COUNT=2"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    return site_tree(provinces=1, communes=1)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


def request_at(bridge, start):
    return BookingRequestFactory(
        bridge_id=bridge.pk, slot__start=start, details__title="Giao ban tuần"
    )


def local_starts(meetings) -> list:
    return [timezone.localtime(m.conference.start, LOCAL_ZONE) for m in meetings]


def test_occurrence_on_a_public_holiday_is_skipped(alice, sites, bridge):
    holiday, _name = public_holiday_ahead()
    first = at_eight(holiday)

    outcome = book_series(request_at(bridge, first), WEEKLY_2, alice, off_days=OffDayPolicy.SKIP)

    assert local_starts(outcome.booked) == [first + WEEK]
    assert [m.occurrence_start for m in outcome.booked] == [first + WEEK]
    assert (outcome.series.off_days, outcome.series.first_start) == (OffDayPolicy.SKIP, first)
    assert AuditEntry.objects.get(action="series.booked").changes == {
        "rrule": WEEKLY_2,
        "booked": 1,
        "skipped": [],
        "off_days": "skip",
        "off_day_occurrences": [[first.astimezone(UTC).isoformat(), None]],
    }


def test_occurrence_on_a_public_holiday_is_moved_keeping_its_time(alice, sites, bridge):
    holiday, name = public_holiday_ahead()
    first = at_eight(holiday)

    outcome = book_series(request_at(bridge, first), WEEKLY_2, alice, off_days=OffDayPolicy.MOVE)

    moved = outcome.booked[0]
    next_day = at_eight(calendar.next_working_day(holiday))
    assert local_starts(outcome.booked) == [next_day, first + WEEK]
    assert timezone.localtime(moved.conference.start, LOCAL_ZONE).time() == first.time()
    # The moved occurrence stays the rule's instance: calendars show it moved, not added.
    assert (moved.occurrence_start, moved.sequence) == (first, 1)
    assert [(c.reason, c.moved_to.start) for c in outcome.off_day_changes] == [(name, next_day)]


def test_occurrence_on_a_public_holiday_is_kept_by_default(alice, sites, bridge):
    holiday, _name = public_holiday_ahead()
    first = at_eight(holiday)

    outcome = book_series(request_at(bridge, first), WEEKLY_2, alice)

    assert local_starts(outcome.booked) == [first, first + WEEK]
    assert outcome.series.off_days == OffDayPolicy.KEEP
    assert "off_days" not in AuditEntry.objects.get(action="series.booked").changes


def test_occurrence_on_an_announced_day_off_is_moved_to_the_next_day(alice, sites, bridge):
    day_off = announced_day_off_ahead()
    first = at_eight(day_off)

    outcome = book_series(request_at(bridge, first), WEEKLY_2, alice, off_days=OffDayPolicy.MOVE)

    assert local_starts(outcome.booked) == [first + timedelta(days=1), first + WEEK]


def test_dry_run_lists_the_occurrences_on_days_off(alice, sites, bridge):
    day_off = announced_day_off_ahead()
    first = at_eight(day_off)

    checked = check_series_days(request_at(bridge, first), WEEKLY_2, alice, OffDayPolicy.SKIP)

    assert [slot.start for slot, _report in checked.conflicts] == [first + WEEK]
    assert [(c.slot.start, c.reason, c.policy, c.moved_to) for c in checked.off_day_changes] == [
        (first, DAY_OFF_NAME, "skip", None)
    ]
    assert Meeting.objects.count() == 0


def test_series_all_on_days_off_is_refused(alice, sites, bridge):
    first = at_eight(announced_day_off_ahead())

    with pytest.raises(BookingError) as refused:
        book_series(
            request_at(bridge, first), "FREQ=DAILY;COUNT=1", alice, off_days=OffDayPolicy.SKIP
        )

    assert (refused.value.field, refused.value.message) == (
        "rrule",
        "Every occurrence falls on a day off: none is left to book.",
    )
    assert Meeting.objects.count() == 0


def test_moving_onto_another_occurrence_is_refused(alice, sites, bridge):
    day_off = announced_day_off_ahead()

    with pytest.raises(BookingError) as refused:
        book_series(
            request_at(bridge, at_eight(day_off)),
            "FREQ=DAILY;COUNT=2",
            alice,
            off_days=OffDayPolicy.MOVE,
        )

    assert refused.value.field == "off_days"
    assert refused.value.message == (
        f"Moved to the next working day, the session of {day_off:%d/%m/%Y} would overlap "
        "another session of the series; skip the days off instead."
    )
    assert Meeting.objects.count() == 0
