"""Recurring sessions: expanding the rule, booking each occurrence, editing one or the rest.

Decisions these tests pin down:
- Occurrences keep the first one's wall-clock time in Asia/Ho_Chi_Minh, whatever
  time zone the request runs under.
- "Monthly on the 31st" follows RFC 5545 (and dateutil, and calendar clients):
  months without a 31st are skipped, not moved to the 30th. BYMONTHDAY=-1 is
  the rule for "the last day of every month".
- UNTIL ending in Z is an instant (RFC 5545); without Z it is local wall time.
- A series may not overlap itself (setup window included), span more than 12
  months or have more than 400 occurrences.
"""

import calendar
from datetime import UTC, timedelta

import pytest
from django.utils import timezone, translation

from audit.models import AuditEntry
from conferencing.models import Leg
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingConflict, BookingError, Slot, cancel, reschedule
from meetings.models import Meeting, MeetingStatus, Series
from meetings.series import (
    SeriesConflict,
    book_series,
    cancel_following,
    check_series,
    reschedule_following,
)
from tests.factories import (
    LOCAL_ZONE,
    BookingRequestFactory,
    BridgeFactory,
    booked,
    local_time,
    site_tree,
    stored_counts,
)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


def next_monday(hour: int = 8):
    """The first Monday at least two days ahead, at `hour` local time."""
    day = local_time(2, hour)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def next_31st(hour: int = 8):
    day = local_time(2, hour)
    while day.day != 31:
        day += DAY
    return day


def local_starts(meetings) -> list:
    return [timezone.localtime(meeting.conference.start, LOCAL_ZONE) for meeting in meetings]


def series_request(bridge, start, **overrides):
    return BookingRequestFactory(
        bridge_id=bridge.pk, slot__start=start, details__title="Giao ban tuần", **overrides
    )


def daily_five(alice, bridge, start=None, **overrides):
    start = start or local_time(3, 8)
    return book_series(series_request(bridge, start, **overrides), "FREQ=DAILY;COUNT=5", alice)


def stored() -> dict[str, int]:
    return {**stored_counts(), "series": Series.objects.count()}


def utc_rule_time(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# -- Expanding the rule -------------------------------------------------------------------------


def test_book_series_every_monday_0800_for_six_months_books_each_monday(alice, sites, bridge):
    first = next_monday(8)
    last_day = (first + 25 * WEEK).strftime("%Y%m%d")

    outcome = book_series(
        series_request(bridge, first), f"FREQ=WEEKLY;BYDAY=MO;UNTIL={last_day}T235959", alice
    )

    assert local_starts(outcome.booked) == [first + k * WEEK for k in range(26)]
    assert {start.strftime("%a %H:%M") for start in local_starts(outcome.booked)} == {"Mon 08:00"}
    assert [m.occurrence_start for m in outcome.booked] == [first + k * WEEK for k in range(26)]
    assert (Meeting.objects.count(), Leg.objects.filter(is_reserved=True).count()) == (26, 26)
    assert (outcome.series.rrule, outcome.series.first_start, outcome.skipped) == (
        f"FREQ=WEEKLY;BYDAY=MO;UNTIL={last_day}T235959",
        first,
        [],
    )


def test_book_series_starting_off_the_rule_begins_at_its_first_occurrence(alice, sites, bridge):
    monday = next_monday(8)

    outcome = book_series(
        series_request(bridge, monday + DAY), "FREQ=WEEKLY;BYDAY=MO;COUNT=2", alice
    )

    assert local_starts(outcome.booked) == [monday + WEEK, monday + 2 * WEEK]
    assert outcome.series.first_start == monday + WEEK


def test_book_series_daily_with_count_books_consecutive_days(alice, sites, bridge):
    first = local_time(3, 14, 30)

    outcome = daily_five(alice, bridge, first)

    assert local_starts(outcome.booked) == [first + k * DAY for k in range(5)]
    assert {m.conference.end - m.conference.start for m in outcome.booked} == {2 * HOUR}
    assert {m.series for m in outcome.booked} == {outcome.series}


def test_book_series_accepts_the_rrule_prefix(alice, sites, bridge):
    outcome = book_series(
        series_request(bridge, local_time(3, 8)), "RRULE:FREQ=DAILY;COUNT=2", alice
    )

    assert (len(outcome.booked), outcome.series.rrule) == (2, "FREQ=DAILY;COUNT=2")


@pytest.mark.parametrize(
    ("until", "occurrences"),
    [
        pytest.param(lambda last: utc_rule_time(last), 3, id="utc instant of the last start"),
        pytest.param(lambda last: utc_rule_time(last - timedelta(minutes=1)), 2, id="utc before"),
        pytest.param(lambda last: last.strftime("%Y%m%dT%H%M%S"), 3, id="local wall time"),
        pytest.param(lambda last: last.strftime("%Y%m%d"), 2, id="local date is midnight"),
    ],
)
def test_book_series_until_in_utc_is_an_instant_and_floating_is_local(
    alice, sites, bridge, until, occurrences
):
    first = next_monday(8)

    outcome = book_series(
        series_request(bridge, first), f"FREQ=WEEKLY;UNTIL={until(first + 2 * WEEK)}", alice
    )

    assert local_starts(outcome.booked) == [first + k * WEEK for k in range(occurrences)]


def test_book_series_monthly_on_the_31st_skips_months_without_one(alice, sites, bridge):
    first = next_31st(9)

    outcome = book_series(series_request(bridge, first), "FREQ=MONTHLY;COUNT=4", alice)

    starts = local_starts(outcome.booked)
    assert [start.day for start in starts] == [31, 31, 31, 31]
    assert starts[0] == first
    months = [(start.year, start.month) for start in starts]
    assert all(calendar.monthrange(year, month)[1] == 31 for year, month in months)
    assert len(set(months)) == 4
    assert (starts[-1] - first).days > 3 * 28


def test_book_series_last_day_of_every_month_uses_bymonthday_minus_one(alice, sites, bridge):
    first = next_31st(9)

    outcome = book_series(
        series_request(bridge, first), "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", alice
    )

    starts = local_starts(outcome.booked)
    assert [start.day for start in starts] == [
        calendar.monthrange(start.year, start.month)[1] for start in starts
    ]
    assert [(start.month - first.month) % 12 for start in starts] == [0, 1, 2, 3]
    assert {start.strftime("%H:%M") for start in starts} == {"09:00"}


def test_book_series_daily_across_a_month_end_keeps_the_local_time(alice, sites, bridge):
    first = next_31st(7) - DAY

    outcome = book_series(series_request(bridge, first), "FREQ=DAILY;COUNT=3", alice)

    assert [(s.day, s.hour) for s in local_starts(outcome.booked)] == [(30, 7), (31, 7), (1, 7)]


def test_book_series_sessions_across_midnight_follow_each_other(alice, sites, bridge):
    first = local_time(3, 23)

    outcome = book_series(
        series_request(bridge, first, slot__end=first + 2 * HOUR), "FREQ=DAILY;COUNT=3", alice
    )

    assert [(m.conference.start, m.conference.end) for m in outcome.booked] == [
        (first + k * DAY, first + k * DAY + 2 * HOUR) for k in range(3)
    ]


def test_book_series_keeps_local_wall_time_under_another_active_time_zone(alice, sites, bridge):
    first = next_monday(8)

    with timezone.override("Europe/Paris"):
        outcome = book_series(series_request(bridge, first), "FREQ=WEEKLY;COUNT=3", alice)

    assert local_starts(outcome.booked) == [first, first + WEEK, first + 2 * WEEK]


# -- Conflicts, per occurrence ------------------------------------------------------------------


def test_book_series_with_a_conflicting_occurrence_refuses_all_and_reports_it(alice, sites, bridge):
    first = local_time(3, 8)
    busy = booked(alice, bridge_id=bridge.pk, slot__start=first + 2 * DAY, details__title="Bận")
    before = stored()

    with pytest.raises(SeriesConflict) as refused:
        daily_five(alice, bridge, first)

    [(slot, report)] = refused.value.conflicts
    assert slot == Slot(first + 2 * DAY, first + 2 * DAY + 2 * HOUR, 60)
    assert [(c.site, c.meeting_id, c.meeting_title) for c in report.sites] == [
        ("T01", busy.pk, "Bận")
    ]
    assert stored() == before


def test_book_series_skip_conflicts_books_the_free_occurrences(alice, sites, bridge):
    first = local_time(3, 8)
    booked(alice, bridge_id=bridge.pk, slot__start=first + 2 * DAY)
    booked(alice, bridge_id=bridge.pk, slot__start=first + 4 * DAY)

    outcome = book_series(
        series_request(bridge, first), "FREQ=DAILY;COUNT=5", alice, skip_conflicts=True
    )

    assert local_starts(outcome.booked) == [first, first + DAY, first + 3 * DAY]
    assert [slot.start for slot, _report in outcome.skipped] == [first + 2 * DAY, first + 4 * DAY]
    assert all(len(report.sites) == 1 for _slot, report in outcome.skipped)
    entry = AuditEntry.objects.get(action="series.booked")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        alice,
        "meetings.series",
        str(outcome.series.pk),
    )
    assert entry.changes == {
        "rrule": "FREQ=DAILY;COUNT=5",
        "booked": 3,
        "skipped": [
            (first + 2 * DAY).astimezone(UTC).isoformat(),
            (first + 4 * DAY).astimezone(UTC).isoformat(),
        ],
    }


def test_book_series_skip_conflicts_with_nothing_free_is_refused(alice, sites, bridge):
    first = local_time(3, 8)
    booked(alice, bridge_id=bridge.pk, slot__start=first)
    before = stored()

    with pytest.raises(SeriesConflict) as refused:
        book_series(series_request(bridge, first), "FREQ=DAILY;COUNT=1", alice, True)

    assert [slot.start for slot, _report in refused.value.conflicts] == [first]
    assert stored() == before


def test_book_series_capacity_is_checked_per_occurrence(alice, sites):
    small = BridgeFactory(name="MCU 3 cổng", port_capacity=3)
    first = local_time(3, 8)
    booked(
        alice,
        bridge_id=small.pk,
        sites=SiteSelection(subtrees=("T02",)),
        host_code="T02",
        slot__start=first + DAY,
    )

    with pytest.raises(SeriesConflict) as refused:
        book_series(series_request(small, first), "FREQ=DAILY;COUNT=3", alice)

    [(slot, report)] = refused.value.conflicts
    assert slot.start == first + DAY
    assert report.as_dict() == {
        "site_conflicts": [],
        "capacity_conflicts": [
            {"instant": (first + DAY - HOUR).astimezone(UTC).isoformat(), "legs": 4, "capacity": 3}
        ],
    }


def test_check_series_reports_every_occurrence_and_writes_nothing(alice, sites, bridge):
    first = local_time(3, 8)
    booked(alice, bridge_id=bridge.pk, slot__start=first + DAY)
    before = stored()

    checked = check_series(series_request(bridge, first), "FREQ=DAILY;COUNT=3", alice)

    assert [(slot.start, bool(report)) for slot, report in checked] == [
        (first, False),
        (first + DAY, True),
        (first + 2 * DAY, False),
    ]
    assert stored() == before


# -- Bad rules: a clear error on the rrule field, nothing written -------------------------------

BAD_RULES = {
    "not a rule": ("every monday", "The recurrence rule is malformed."),
    "unknown frequency": ("FREQ=SOMETIMES;COUNT=3", "The recurrence rule is malformed."),
    "bad count": ("FREQ=DAILY;COUNT=many", "The recurrence rule is malformed."),
    "a DTSTART line": (
        "FREQ=DAILY;COUNT=3\nDTSTART:20000101T080000",
        "The recurrence rule is malformed.",
    ),
    "hourly": ("FREQ=HOURLY;COUNT=3", "A series repeats daily, weekly or monthly."),
    "yearly": ("FREQ=YEARLY;COUNT=3", "A series repeats daily, weekly or monthly."),
    "no end": ("FREQ=WEEKLY;BYDAY=MO", "A series needs an end: COUNT or UNTIL."),
    "ten thousand": (
        "FREQ=DAILY;COUNT=10000",
        "A series can have at most 400 occurrences within 12 months.",
    ),
    "five years": ("FREQ=WEEKLY;UNTIL=20991231T235959", "A series can span at most 12 months."),
    "31st for a year": (
        "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=12",
        "A series can span at most 12 months.",
    ),
    "never happens": (
        "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31;COUNT=5",
        "The recurrence rule gives no occurrence.",
    ),
    "until before the start": (
        "FREQ=DAILY;UNTIL=20000101T000000Z",
        "The recurrence rule gives no occurrence.",
    ),
    "occurrences overlap": (
        "FREQ=DAILY;BYHOUR=8,9;COUNT=4",
        "The occurrences of a series must not overlap (setup window included).",
    ),
}


@pytest.mark.parametrize("case", BAD_RULES, ids=list(BAD_RULES))
def test_book_series_bad_rule_is_refused_and_writes_nothing(alice, sites, bridge, case):
    rule, message = BAD_RULES[case]
    before = stored()

    with pytest.raises(BookingError) as refused:
        book_series(series_request(bridge, local_time(3, 8)), rule, alice)

    assert (refused.value.field, refused.value.message) == ("rrule", message)
    assert stored() == before


@pytest.mark.parametrize("case", BAD_RULES, ids=list(BAD_RULES))
def test_check_series_bad_rule_gives_the_same_error(alice, sites, bridge, case):
    rule, message = BAD_RULES[case]

    with pytest.raises(BookingError) as refused:
        check_series(series_request(bridge, local_time(3, 8)), rule, alice)

    assert (refused.value.field, refused.value.message) == ("rrule", message)


def test_book_series_more_than_400_in_a_year_is_refused(alice, sites, bridge):
    rule = "FREQ=DAILY;BYHOUR=8,20;UNTIL=20991231T000000Z"

    with pytest.raises(BookingError) as refused:
        book_series(series_request(bridge, local_time(3, 8)), rule, alice)

    assert refused.value.message == "A series can have at most 400 occurrences within 12 months."


def test_book_series_setup_window_reaching_the_previous_occurrence_is_refused(alice, sites, bridge):
    first = local_time(3, 8)
    request = series_request(bridge, first, slot__end=first + 23 * HOUR, slot__setup_minutes=90)

    with pytest.raises(BookingError) as refused:
        book_series(request, "FREQ=DAILY;COUNT=3", alice)

    assert refused.value.field == "rrule"
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slot__start": timezone.make_naive(local_time(3, 8))}, "start"),
        ({"details__title": " "}, "title"),
        ({"sites": SiteSelection()}, "sites"),
        ({"host_code": "T02"}, "host"),
    ],
    ids=["naive start", "no title", "no site", "host not among the sites"],
)
def test_book_series_bad_request_is_refused_and_writes_nothing(
    alice, sites, bridge, overrides, field
):
    request = BookingRequestFactory(
        **{"bridge_id": bridge.pk, "slot__start": local_time(3, 8), **overrides}
    )
    before = stored()

    with pytest.raises(BookingError) as refused:
        book_series(request, "FREQ=DAILY;COUNT=3", alice)

    assert refused.value.field == field
    assert stored() == before


# -- Editing this occurrence --------------------------------------------------------------------


def test_reschedule_one_occurrence_keeps_its_recurrence_id_and_leaves_the_others(
    alice, sites, bridge
):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked
    later = first + 2 * DAY + 5 * HOUR

    reschedule(occurrences[2], Slot(later, later + HOUR, 30), alice)

    stored_meetings = Meeting.objects.order_by("occurrence_start")
    assert [(m.occurrence_start, m.conference.start, m.sequence) for m in stored_meetings] == [
        (first, first, 0),
        (first + DAY, first + DAY, 0),
        (first + 2 * DAY, later, 1),
        (first + 3 * DAY, first + 3 * DAY, 0),
        (first + 4 * DAY, first + 4 * DAY, 0),
    ]


def test_cancel_one_occurrence_leaves_the_others_scheduled(alice, sites, bridge):
    occurrences = daily_five(alice, bridge).booked

    cancel(occurrences[1], "Trùng lịch", alice)

    assert list(Meeting.objects.order_by("occurrence_start").values_list("status", flat=True)) == [
        "scheduled",
        "cancelled",
        "scheduled",
        "scheduled",
        "scheduled",
    ]


def test_reschedule_one_occurrence_onto_its_neighbour_is_refused(alice, sites, bridge):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked

    with pytest.raises(BookingConflict) as refused:
        reschedule(occurrences[0], Slot(first + DAY, first + DAY + HOUR, 0), alice)

    assert [c.meeting_id for c in refused.value.report.sites] == [occurrences[1].pk]


# -- Editing this and the following occurrences ------------------------------------------------


def test_reschedule_following_shifts_this_and_later_occurrences_only(alice, sites, bridge):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked
    new_start = first + 2 * DAY + 2 * HOUR

    moved = reschedule_following(
        occurrences[2], Slot(new_start, new_start + timedelta(minutes=90), 30), alice
    )

    assert [m.pk for m in moved] == [m.pk for m in occurrences[2:]]
    stored_meetings = Meeting.objects.order_by("occurrence_start")
    assert [(m.conference.start, m.conference.end, m.sequence) for m in stored_meetings] == [
        (first, first + 2 * HOUR, 0),
        (first + DAY, first + DAY + 2 * HOUR, 0),
        (first + 2 * DAY + 2 * HOUR, first + 2 * DAY + 3.5 * HOUR, 1),
        (first + 3 * DAY + 2 * HOUR, first + 3 * DAY + 3.5 * HOUR, 1),
        (first + 4 * DAY + 2 * HOUR, first + 4 * DAY + 3.5 * HOUR, 1),
    ]
    assert set(
        Leg.objects.filter(conference__meeting__in=moved).values_list(
            "reserved_from", "conference__start"
        )
    ) == {(m.conference.start - timedelta(minutes=30), m.conference.start) for m in moved}
    entries = AuditEntry.objects.filter(action="meeting.rescheduled")
    assert sorted(int(entry.target_id) for entry in entries) == [m.pk for m in occurrences[2:]]
    assert {entry.changes["following"] for entry in entries} == {True}


def test_reschedule_following_onto_the_next_occurrences_old_times_is_accepted(alice, sites, bridge):
    first = next_monday(8)
    outcome = book_series(series_request(bridge, first), "FREQ=WEEKLY;COUNT=4", alice)
    second = outcome.booked[1]

    moved = reschedule_following(
        second, Slot(first + 2 * WEEK, first + 2 * WEEK + 2 * HOUR, 60), alice
    )

    assert local_starts(Meeting.objects.order_by("occurrence_start")) == [
        first,
        first + 2 * WEEK,
        first + 3 * WEEK,
        first + 4 * WEEK,
    ]
    assert len(moved) == 3
    assert Leg.objects.filter(is_reserved=True).count() == 4


def test_reschedule_following_a_day_earlier_onto_moving_occurrences_is_accepted(
    alice, sites, bridge
):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked

    reschedule_following(occurrences[0], Slot(first - DAY, first - DAY + 2 * HOUR, 60), alice)

    assert [m.conference.start for m in Meeting.objects.order_by("occurrence_start")] == [
        first + (k - 1) * DAY for k in range(5)
    ]


def test_reschedule_following_reports_each_conflicting_occurrence_and_changes_nothing(
    alice, sites, bridge
):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked
    busy = booked(alice, bridge_id=bridge.pk, slot__start=first + 3 * DAY + 4 * HOUR)
    before = stored()

    with pytest.raises(SeriesConflict) as refused:
        reschedule_following(
            occurrences[1], Slot(first + DAY + 4 * HOUR, first + DAY + 6 * HOUR, 60), alice
        )

    [(slot, report)] = refused.value.conflicts
    assert slot == Slot(first + 3 * DAY + 4 * HOUR, first + 3 * DAY + 6 * HOUR, 60)
    assert [c.meeting_id for c in report.sites] == [busy.pk]
    assert stored() == before
    assert set(Meeting.objects.values_list("sequence", flat=True)) == {0}
    assert [m.conference.start for m in Meeting.objects.filter(series__isnull=False)] == [
        first + k * DAY for k in range(5)
    ]


def test_reschedule_following_that_would_overlap_itself_is_refused(alice, sites, bridge):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked

    with pytest.raises(BookingError) as refused:
        reschedule_following(occurrences[0], Slot(first, first + 23 * HOUR, 120), alice)

    assert (refused.value.field, refused.value.message) == (
        "end",
        "The occurrences of a series must not overlap (setup window included).",
    )
    assert set(Meeting.objects.values_list("sequence", flat=True)) == {0}


def test_reschedule_following_into_the_past_is_refused(alice, sites, bridge):
    occurrences = daily_five(alice, bridge).booked
    past = timezone.now() - DAY

    with pytest.raises(BookingError) as refused:
        reschedule_following(occurrences[0], Slot(past, past + HOUR, 0), alice)

    assert refused.value.field == "start"


def test_cancel_following_cancels_this_and_later_and_frees_their_time(alice, sites, bridge):
    first = local_time(3, 8)
    occurrences = daily_five(alice, bridge, first).booked

    cancelled = cancel_following(occurrences[3], "Kết thúc sớm", alice)

    assert [m.pk for m in cancelled] == [occurrences[3].pk, occurrences[4].pk]
    assert (
        list(Meeting.objects.order_by("occurrence_start").values_list("status", "sequence"))
        == [("scheduled", 0)] * 3 + [("cancelled", 1)] * 2
    )
    assert AuditEntry.objects.filter(action="meeting.cancelled").count() == 2
    assert booked(alice, bridge_id=bridge.pk, slot__start=first + 4 * DAY).status == "scheduled"


def test_cancel_following_without_a_reason_changes_nothing(alice, sites, bridge):
    occurrences = daily_five(alice, bridge).booked
    before = stored()

    with pytest.raises(BookingError) as refused:
        cancel_following(occurrences[0], "", alice)

    assert refused.value.field == "reason"
    assert stored() == before
    assert set(Meeting.objects.values_list("status", flat=True)) == {MeetingStatus.SCHEDULED}


def test_cancel_following_of_a_single_session_cancels_just_it(alice, sites, bridge):
    meeting = booked(alice, bridge_id=bridge.pk)

    cancelled = cancel_following(meeting, "Hoãn", alice)

    assert [(m.pk, m.status) for m in cancelled] == [(meeting.pk, "cancelled")]
