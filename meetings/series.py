"""Recurring sessions: expand a rule into occurrences, each booked and checked alone.

Occurrences are materialised as meetings up to a horizon, so each one holds
its own reservation and is conflict-checked like any booking. A cancelled
occurrence stays as a cancelled meeting (the calendar's EXDATE); a moved one
keeps `occurrence_start` (the calendar's RECURRENCE-ID).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rrulestr
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from conferencing.instants import iso
from conferencing.models import Office, reservation_start
from conferencing.reservations import ConferencePlan, create_conference, move_conferences
from meetings.booking import (
    BookingError,
    BookingRequest,
    ConflictReport,
    Slot,
    acting_office_of,
    cancel_reason,
    change_of,
    create_meeting,
    current_plan,
    find_conflicts,
    get_bridge,
    lock_changeable,
    once_more_after_a_deadlock,
    previous_slot,
    raise_sequence,
    refuse_race,
    refuse_unchangeable,
    resolve_plan,
    slot_changes,
    slot_of,
    stop,
    validate_slot,
)
from meetings.events import ChangeKind, announce
from meetings.models import Meeting, MeetingStatus, OffDayPolicy, Series
from meetings.off_days import OffDayChange, Schedule
from meetings.off_days import schedule as off_days_schedule

SERIES_HORIZON = timedelta(days=366)
MAX_OCCURRENCES = 400
ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY}
# Which occurrences a change to one occurrence of a series applies to; the web form and
# the API offer the same two, each with its own wording.
SCOPE_THIS = "this"
SCOPE_FOLLOWING = "following"


@dataclass
class SeriesOutcome:
    series: Series | None
    booked: list[Meeting] = field(default_factory=list)
    skipped: list[tuple[Slot, ConflictReport]] = field(default_factory=list)
    off_day_changes: list[OffDayChange] = field(default_factory=list)


def off_day_trail(off_days: str, changes: list[OffDayChange]) -> dict:
    """What the trail keeps of the days off: nothing when they were kept (as before)."""
    if off_days == OffDayPolicy.KEEP:
        return {}
    return {
        "off_days": off_days,
        "off_day_occurrences": [
            [iso(change.slot.start), iso(change.moved_to.start) if change.moved_to else None]
            for change in changes
        ],
    }


class SeriesConflict(Exception):
    def __init__(self, conflicts: list[tuple[Slot, ConflictReport]]) -> None:
        super().__init__(_("Some occurrences conflict with existing sessions."))
        self.conflicts = conflicts


def series_zone() -> ZoneInfo:
    """The wall clock a series keeps. Always the site's zone, never the request's
    active one: parse_rule and expand must agree, or every occurrence shifts."""
    return ZoneInfo(settings.TIME_ZONE)


def parse_rule(rule: str, first: datetime) -> rrule:
    """A daily, weekly or monthly RRULE bounded by COUNT or UNTIL, in local wall time.

    UNTIL is an instant when it ends in Z (RFC 5545, what calendar clients send) and
    local wall time otherwise (what the web form sends).
    """
    text = rule.strip().removeprefix("RRULE:")
    zone = series_zone()
    local_first = timezone.localtime(first, zone).replace(tzinfo=None)
    try:
        # One RRULE line only: a DTSTART or EXDATE line would move or hide
        # occurrences (a DTSTART in 2000 books sessions in the past).
        if any(char in text for char in ":\r\n"):
            raise ValueError(text)
        try:
            parsed = rrulestr(f"RRULE:{text}", dtstart=local_first.replace(tzinfo=zone))
        except ValueError:
            # A floating UNTIL: dateutil wants both sides naive.
            parsed = rrulestr(f"RRULE:{text}", dtstart=local_first, ignoretz=True)
    except (ValueError, TypeError, OverflowError):
        raise BookingError(_("The recurrence rule is malformed."), "rrule") from None
    if not isinstance(parsed, rrule):
        raise BookingError(_("A series repeats daily, weekly or monthly."), "rrule")
    parts = rule_parts(parsed)
    if parts.frequency not in ALLOWED_FREQUENCIES:
        raise BookingError(_("A series repeats daily, weekly or monthly."), "rrule")
    if parts.count is None and parts.until is None:
        raise BookingError(_("A series needs an end: COUNT or UNTIL."), "rrule")
    if parts.count is not None and parts.count > MAX_OCCURRENCES:
        raise BookingError(too_many_message(), "rrule")
    return parsed


@dataclass(frozen=True)
class RuleParts:
    """What a parsed rule says of its frequency and end: what validation and the
    session page read."""

    frequency: int  # dateutil's DAILY, WEEKLY, MONTHLY…
    count: int | None
    # As written: an aware UTC instant for a "Z" UNTIL, local wall time otherwise.
    until: datetime | None


def rule_parts(parsed: rrule) -> RuleParts:
    """The only reading of dateutil's private attributes: `rrule` has no public accessor
    for its frequency, count and end. tests/meetings/test_series_rule_parts.py fails
    loudly if a dateutil upgrade renames them."""
    return RuleParts(frequency=parsed._freq, count=parsed._count, until=parsed._until)


def too_many_message() -> str:
    return _("A series can have at most %(max)d occurrences within 12 months.") % {
        "max": MAX_OCCURRENCES
    }


def expand(rule: str, slot: Slot) -> list[Slot]:
    """Every occurrence's slot, keeping the first one's local time and length.

    Refuses a rule whose occurrences overlap one another (setup window included):
    they share every site, and none is stored yet for the conflict check to see.
    """
    parsed = parse_rule(rule, slot.start)
    zone = series_zone()
    horizon = slot.start + SERIES_HORIZON
    length = slot.end - slot.start
    slots = []
    for local_start in parsed:
        start = local_start.replace(tzinfo=zone)
        if start > horizon:
            raise BookingError(_("A series can span at most 12 months."), "rrule")
        slots.append(Slot(start, start + length, slot.setup_minutes))
        if len(slots) > MAX_OCCURRENCES:
            raise BookingError(too_many_message(), "rrule")
    if not slots:
        raise BookingError(_("The recurrence rule gives no occurrence."), "rrule")
    reject_overlaps(slots)
    return slots


def reject_overlaps(slots: list[Slot], field: str = "rrule") -> None:
    """Occurrences in time order must not overlap, setup window included."""
    for previous, current in pairwise(slots):
        if reservation_start(current.start, current.setup_minutes) < previous.end:
            raise BookingError(
                _("The occurrences of a series must not overlap (setup window included)."),
                field,
            )


def occurrence_plans(
    request: BookingRequest, rule: str, office: Office, off_days: str = OffDayPolicy.KEEP
) -> tuple[Schedule, list[tuple[Slot, ConferencePlan]]]:
    """Where each occurrence is booked (days off handled by `off_days`) and its plan, in
    the order of `Schedule.occurrences`."""
    validate_slot(request.slot)
    base = resolve_plan(request.sites, request.host_code, request.bridge_id, request.slot, office)
    planned = off_days_schedule(expand(rule, request.slot), off_days, series_zone())
    return planned, [
        (
            occurrence.slot,
            ConferencePlan(
                bridge_id=base.bridge_id,
                start=occurrence.slot.start,
                end=occurrence.slot.end,
                setup_minutes=occurrence.slot.setup_minutes,
                endpoint_ids=base.endpoint_ids,
                host_id=base.host_id,
                site_selection=base.site_selection,
            ),
        )
        for occurrence in planned.occurrences
    ]


@dataclass
class SeriesCheck:
    """The dry run of a series: every booked occurrence with what stands in its way, and
    the occurrences on days off with what happens to them."""

    conflicts: list[tuple[Slot, ConflictReport]]
    off_day_changes: list[OffDayChange]


def check_series_days(
    request: BookingRequest, rule: str, user: AbstractBaseUser, off_days: str = OffDayPolicy.KEEP
) -> SeriesCheck:
    office = acting_office_of(user)
    planned, plans = occurrence_plans(request, rule, office, off_days)
    bridge = get_bridge(request.bridge_id, lock=False, office=office)
    return SeriesCheck(
        [(slot, find_conflicts(plan, bridge, user)) for slot, plan in plans], planned.changes
    )


def check_series(
    request: BookingRequest, rule: str, user: AbstractBaseUser, off_days: str = OffDayPolicy.KEEP
) -> list[tuple[Slot, ConflictReport]]:
    """The dry run of a series: every occurrence with what stands in its way."""
    return check_series_days(request, rule, user, off_days).conflicts


@once_more_after_a_deadlock
def book_series(
    request: BookingRequest,
    rule: str,
    user: AbstractBaseUser,
    skip_conflicts: bool = False,
    off_days: str = OffDayPolicy.KEEP,
) -> SeriesOutcome:
    """Book every occurrence; with conflicts, refuse all unless told to skip those.
    Occurrences on a day off are kept, skipped or moved as `off_days` says."""
    if not request.details.title.strip():
        raise BookingError(_("Give the session a title."), "title")
    office = acting_office_of(user)
    planned, plans = occurrence_plans(request, rule, office, off_days)
    instances = {
        slot.start: occurrence.instance
        for (slot, _plan), occurrence in zip(plans, planned.occurrences, strict=True)
    }
    outcome = SeriesOutcome(series=None, off_day_changes=planned.changes)
    try:
        with transaction.atomic():
            bridge = get_bridge(request.bridge_id, lock=True, office=office)
            free = []
            for slot, plan in plans:
                report = find_conflicts(plan, bridge, user)
                if report:
                    outcome.skipped.append((slot, report))
                else:
                    free.append((slot, plan))
            if outcome.skipped and not skip_conflicts:
                raise SeriesConflict(outcome.skipped)
            if not free:
                raise SeriesConflict(outcome.skipped)
            outcome.series = Series.objects.create(
                rrule=rule.strip().removeprefix("RRULE:"),
                # The rule's first occurrence, which is not the requested start when
                # BYDAY skips that day: RFC 5545 counts DTSTART as an occurrence. Nor
                # is it the first booked one when that day off was skipped or moved.
                first_start=planned.first_instance,
                off_days=off_days,
                created_by=user,
            )
            for slot, plan in free:
                conference = create_conference(plan)
                instance = instances[slot.start]
                outcome.booked.append(
                    create_meeting(
                        request.details,
                        conference,
                        user,
                        office,
                        series=outcome.series,
                        occurrence_start=instance,
                        # Moved off its day off: a calendar's override of the instance.
                        sequence=int(instance != slot.start),
                    )
                )
            # One event for the whole series: one invitation (RRULE), not one per occurrence.
            announce(change_of(ChangeKind.SERIES_BOOKED, outcome.booked, windows_opened=True))
            trail.record(
                user,
                "series.booked",
                outcome.series,
                {
                    "rrule": outcome.series.rrule,
                    "booked": len(outcome.booked),
                    "skipped": [iso(slot.start) for slot, _r in outcome.skipped],
                    **off_day_trail(off_days, planned.changes),
                },
            )
    except IntegrityError as error:
        raise race_lost(error, plans, user) from None
    return outcome


def race_lost(
    error: IntegrityError,
    plans: list[tuple[Slot, ConferencePlan]],
    user: AbstractBaseUser,
    exclude_conference_ids: Collection[int] | None = None,
) -> SeriesConflict:
    """A concurrent booking took a site between our check and our write (PostgreSQL's
    exclusion constraint said so; anything else is re-raised): after the rollback,
    report each occurrence that is no longer free."""
    reports = [
        (slot, refuse_race(plan, user, error, exclude_conference_ids).report)
        for slot, plan in plans
    ]
    return SeriesConflict([(slot, report) for slot, report in reports if report])


def following(meeting: Meeting) -> list[Meeting]:
    """This occurrence and every later scheduled one of its series."""
    if meeting.series_id is None:
        return [meeting]
    return list(
        Meeting.objects.filter(
            series_id=meeting.series_id,
            status=MeetingStatus.SCHEDULED,
            conference__start__gte=meeting.conference.start,
        )
        .select_related("conference")
        .order_by("conference__start")
    )


@once_more_after_a_deadlock
def reschedule_following(meeting: Meeting, slot: Slot, user: AbstractBaseUser) -> list[Meeting]:
    """Move this occurrence to `slot` and shift every later one by the same amount.

    All or nothing: a conflict in any occurrence refuses the whole change and
    reports each conflicting occurrence.
    """
    validate_slot(slot)
    plans: list[tuple[Slot, ConferencePlan]] = []
    moving: set[int] = set()
    try:
        with transaction.atomic():
            occurrences = [lock_changeable(occurrence) for occurrence in following(meeting)]
            moves = shifted(occurrences, meeting, slot)
            plans = [(new_slot, current_plan(occ, new_slot)) for occ, new_slot in moves]
            # Every one of them moves: none may stand in another's way at its old time.
            moving = {occurrence.conference_id for occurrence in occurrences}
            bridge = get_bridge(meeting.conference.bridge_id, lock=True)
            conflicts = []
            for new_slot, plan in plans:
                report = find_conflicts(plan, bridge, user, moving)
                if report:
                    conflicts.append((new_slot, report))
            if conflicts:
                raise SeriesConflict(conflicts)
            move_all(moves, user)
    except IntegrityError as error:
        raise race_lost(error, plans, user, moving) from None
    return [occurrence for occurrence, _slot in moves]


def shifted(occurrences: list[Meeting], meeting: Meeting, slot: Slot) -> list[tuple[Meeting, Slot]]:
    """Where each occurrence goes when `meeting` moves to `slot`: the same shift, the new
    length and setup window; refused if the moved occurrences would overlap."""
    shift = slot.start - meeting.conference.start
    length = slot.end - slot.start
    moves = []
    for occurrence in occurrences:
        start = occurrence.conference.start + shift
        moves.append((occurrence, Slot(start, start + length, slot.setup_minutes)))
    reject_overlaps([new_slot for _occurrence, new_slot in moves], "end")
    return moves


def check_reschedule_following(
    meeting: Meeting, slot: Slot, user: AbstractBaseUser
) -> list[tuple[Slot, ConflictReport]]:
    """The dry run of `reschedule_following`: every occurrence that would move, with
    what stands in its way at its new time (the moving occurrences never do)."""
    validate_slot(slot)
    occurrences = following(meeting)
    for occurrence in occurrences:
        refuse_unchangeable(occurrence)
    moves = shifted(occurrences, meeting, slot)
    moving = {occurrence.conference_id for occurrence in occurrences}
    bridge = get_bridge(meeting.conference.bridge_id, lock=False)
    return [
        (new_slot, find_conflicts(current_plan(occurrence, new_slot), bridge, user, moving))
        for occurrence, new_slot in moves
    ]


def move_all(moves: list[tuple[Meeting, Slot]], user: AbstractBaseUser) -> None:
    befores = [slot_of(occurrence) for occurrence, _slot in moves]
    move_conferences(
        [
            (occurrence.conference, new_slot.start, new_slot.end, new_slot.setup_minutes)
            for occurrence, new_slot in moves
        ]
    )
    occurrences = [occurrence for occurrence, _slot in moves]
    for occurrence in occurrences:
        raise_sequence(occurrence)
    # One event for the whole action: the series' invitation goes once.
    announce(
        change_of(
            ChangeKind.RESCHEDULED,
            occurrences,
            windows_opened=True,
            previous_slots=tuple(
                previous_slot(occurrence, before)
                for occurrence, before in zip(occurrences, befores, strict=True)
            ),
        )
    )
    for (occurrence, new_slot), before in zip(moves, befores, strict=True):
        trail.record(
            user,
            "meeting.rescheduled",
            occurrence,
            {"from": slot_changes(before), "to": slot_changes(new_slot), "following": True},
        )


def cancel_following(meeting: Meeting, reason: str, user: AbstractBaseUser) -> list[Meeting]:
    """Cancel this occurrence and every later one; each becomes a calendar exception.
    One event for the whole action, one audit entry per occurrence."""
    with transaction.atomic():
        occurrences = following(meeting)
        if not occurrences:
            return []
        reason = cancel_reason(reason)
        cancelled = [stop(occurrence, reason) for occurrence in occurrences]
        announce(change_of(ChangeKind.CANCELLED, cancelled))
        for occurrence in cancelled:
            trail.record(user, "meeting.cancelled", occurrence, {"reason": reason})
        return cancelled
