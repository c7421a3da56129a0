"""Booking: one function per secretariat action, each its own transaction.

`check` is the dry run: it answers exactly what `book` would refuse with,
without writing. Every action that changes a booking leaves an audit entry,
and every change attendees would notice raises the meeting's SEQUENCE.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from conferencing.instants import iso
from conferencing.jurisdiction import (
    OutsideJurisdiction,
    booking_office,
    jurisdiction_path,
    refuse_outside,
    require_usable_bridge,
    with_usability,
)
from conferencing.models import MAX_SETUP_MINUTES, Bridge, LegRole, Office
from conferencing.reservations import (
    CapacityOverload,
    ConferencePlan,
    SiteConflict,
    cancel_conference,
    create_conference,
    find_capacity_overloads,
    find_site_conflicts,
    lock_bridge,
    move_conference,
    replace_sites,
)
from conferencing.site_selection import (
    ResolvedSites,
    SiteSelection,
    SiteSelectionError,
    resolve_sites,
)
from meetings.events import ChangeKind, MeetingChange, announce
from meetings.models import Attendee, Classification, Meeting, MeetingStatus
from meetings.revisions import refuse_stale
from meetings.visibility import with_details

MAX_SESSION_LENGTH = timedelta(hours=24)


class BookingError(ValueError):
    """The request itself is wrong (not a conflict); `field` names the culprit."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class WrongStateError(BookingError):
    """The session is no longer in a state the action applies to (cancelled, ended,
    started): not a wrong request but a wrong moment, which the API answers 409."""


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    setup_minutes: int = 60


@dataclass(frozen=True)
class Details:
    title: str
    agenda: str = ""
    organising_unit: str = ""
    classification: str = Classification.INTERNAL
    attendees: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class BookingRequest:
    details: Details
    slot: Slot
    bridge_id: int
    sites: SiteSelection
    host_code: str


@dataclass(frozen=True)
class TakenSite:
    """A chosen site another session holds, named for the person asking: a confidential
    session they may not read has no id and the title "Busy (confidential session)"."""

    site: str
    site_name: str
    meeting_id: int | None
    meeting_title: str
    meeting_start: datetime
    meeting_end: datetime
    overlap_start: datetime
    overlap_end: datetime
    # Which other session: to group a report's sites by session, even hidden ones. Never
    # shown (it would name a session the person may not read).
    conference_id: int = 0

    def as_dict(self) -> dict:
        return {
            "site": self.site,
            "site_name": self.site_name,
            "meeting_id": self.meeting_id,
            "meeting_title": self.meeting_title,
            "meeting_start": iso(self.meeting_start),
            "meeting_end": iso(self.meeting_end),
            "overlap_start": iso(self.overlap_start),
            "overlap_end": iso(self.overlap_end),
        }


@dataclass
class ConflictReport:
    """Everything that stands in the way, described for the person asking: typed, so
    that each edge (the API's serializers, the pages' templates) formats it its own way."""

    sites: list[TakenSite] = field(default_factory=list)
    capacity: list[CapacityOverload] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sites or self.capacity)

    def as_dict(self) -> dict:
        """The report as plain data, instants in UTC ISO 8601 (`iso`): what the bench
        prints when a booking it expected to be free conflicts, and what tests compare."""
        return {
            "site_conflicts": [site.as_dict() for site in self.sites],
            "capacity_conflicts": [
                {"instant": iso(item.instant), "legs": item.legs, "capacity": item.capacity}
                for item in self.capacity
            ],
        }


class BookingConflict(Exception):
    def __init__(self, report: ConflictReport) -> None:
        super().__init__(_("The booking conflicts with existing sessions."))
        self.report = report


def validate_slot(slot: Slot, now: datetime | None = None) -> None:
    now = now or timezone.now()
    for name in ("start", "end"):
        if timezone.is_naive(getattr(slot, name)):
            raise BookingError(_("Give the time with its time zone offset."), name)
    if slot.end <= slot.start:
        raise BookingError(_("The session must end after it starts."), "end")
    if slot.end - slot.start > MAX_SESSION_LENGTH:
        raise BookingError(_("A session cannot last longer than 24 hours."), "end")
    if slot.start <= now:
        raise BookingError(_("Sessions in the past cannot be booked or moved."), "start")
    if not 0 <= slot.setup_minutes <= MAX_SETUP_MINUTES:
        raise BookingError(
            _("The setup window must be between 0 and %(max)d minutes.")
            % {"max": MAX_SETUP_MINUTES},
            "setup_minutes",
        )


def acting_office_of(user: AbstractBaseUser) -> Office:
    """The office that books for the user now; a user acting for none books nothing."""
    office = booking_office(user)
    if office is None:
        raise BookingError(_("Choose the office you act for before booking a session."))
    return office


def resolve_within(selection: SiteSelection, office: Office) -> ResolvedSites:
    """The sites the selection names, resolved within the office's jurisdiction (those
    outside are listed in `outside`, for the caller to refuse); two queries."""
    try:
        return resolve_sites(selection, within=jurisdiction_path(office))
    except SiteSelectionError as error:
        raise BookingError(str(error), "sites") from None


def count_sites(selection: SiteSelection, office: Office) -> int:
    """How many sites a booking of this selection by this office would reserve; the
    BookingError booking would give for the selection (unknown, inactive, outside the
    jurisdiction, nothing chosen) otherwise. What the site pickers' live count shows."""
    sites = resolve_within(selection, office)
    try:
        refuse_outside(office, sites.outside)
    except OutsideJurisdiction as error:
        raise BookingError(error.message, error.field) from None
    return len(sites.ids)


def resolve_plan(
    request_sites: SiteSelection, host_code: str, bridge_id: int, slot: Slot, office: Office
):
    """The conference to reserve, every site and the host inside the office's jurisdiction."""
    sites = resolve_within(request_sites, office)
    host_id = sites.id_of(host_code)
    if host_id is None:
        raise BookingError(_("The host site must be one of the chosen sites."), "host")
    try:
        refuse_outside(office, sites.outside, host_id)
    except OutsideJurisdiction as error:
        raise BookingError(error.message, error.field) from None
    return ConferencePlan(
        bridge_id=bridge_id,
        start=slot.start,
        end=slot.end,
        setup_minutes=slot.setup_minutes,
        endpoint_ids=sites.ids,
        host_id=host_id,
        site_selection=request_sites.as_json(),
    )


def get_bridge(bridge_id: int, lock: bool, office: Office | None = None) -> Bridge:
    """The bridge, locked if asked; with `office`, refused unless that office may use it."""
    bridges = (
        Bridge.objects.all() if office is None else with_usability(Bridge.objects.all(), office)
    )
    try:
        bridge = lock_bridge(bridge_id, bridges) if lock else bridges.get(pk=bridge_id)
    except Bridge.DoesNotExist:
        raise BookingError(_("Choose an existing bridge."), "bridge") from None
    if not bridge.is_active:
        raise BookingError(_("This bridge is out of service."), "bridge")
    if office is not None:
        try:
            require_usable_bridge(office, bridge)
        except OutsideJurisdiction as error:
            raise BookingError(error.message, error.field) from None
    return bridge


def find_conflicts(
    plan: ConferencePlan, bridge: Bridge, user: AbstractBaseUser, exclude_conference_id=None
) -> ConflictReport:
    site_conflicts = find_site_conflicts(
        plan.endpoint_ids, plan.window_start, plan.window_end, exclude_conference_id
    )
    overloads = find_capacity_overloads(
        bridge, plan.window_start, plan.window_end, len(plan.endpoint_ids), exclude_conference_id
    )
    return ConflictReport(
        sites=describe_site_conflicts(site_conflicts, user), capacity=list(overloads)
    )


def describe_site_conflicts(conflicts: list[SiteConflict], user) -> list[TakenSite]:
    """Name the other session, unless it is confidential and the user is not invited."""
    if not conflicts:
        return []
    conference_ids = {conflict.conference_id for conflict in conflicts}
    meetings = Meeting.objects.filter(conference_id__in=conference_ids)
    visible = set(with_details(user, meetings).values_list("pk", flat=True))
    by_conference = {
        meeting.conference_id: meeting for meeting in meetings.select_related("conference")
    }
    return [describe_site_conflict(conflict, by_conference, visible) for conflict in conflicts]


def describe_site_conflict(conflict: SiteConflict, by_conference: dict, visible: set) -> TakenSite:
    meeting = by_conference[conflict.conference_id]
    shown = meeting.pk in visible
    return TakenSite(
        site=conflict.endpoint_code,
        site_name=conflict.endpoint_name,
        meeting_id=meeting.pk if shown else None,
        meeting_title=meeting.title if shown else _("Busy (confidential session)"),
        meeting_start=meeting.conference.start,
        meeting_end=meeting.conference.end,
        overlap_start=conflict.overlap_start,
        overlap_end=conflict.overlap_end,
        conference_id=conflict.conference_id,
    )


def check(request: BookingRequest, user: AbstractBaseUser) -> ConflictReport:
    """The dry run: the same answer `book` would give, nothing written."""
    validate_slot(request.slot)
    office = acting_office_of(user)
    plan = resolve_plan(request.sites, request.host_code, request.bridge_id, request.slot, office)
    return find_conflicts(plan, get_bridge(request.bridge_id, lock=False, office=office), user)


def reserve(
    plan: ConferencePlan,
    user: AbstractBaseUser,
    exclude_conference_id=None,
    office: Office | None = None,
) -> Bridge:
    """Lock the bridge (refused unless `office`, if given, may use it) and refuse on any
    conflict; call inside the action's transaction."""
    bridge = get_bridge(plan.bridge_id, lock=True, office=office)
    report = find_conflicts(plan, bridge, user, exclude_conference_id)
    if report:
        raise BookingConflict(report)
    return bridge


EXCLUSION_VIOLATION = "23P01"
DEADLOCK_DETECTED = "40P01"


def once_more_after_a_deadlock[**P, R](action: Callable[P, R]) -> Callable[P, R]:
    """Run a booking action's transaction again if PostgreSQL aborted it to break a
    deadlock.

    Two bookings inserting the same site at once deadlock on the exclusion constraint:
    each finds the other's uncommitted row and waits for it, and PostgreSQL aborts one.
    Run again, the aborted one finds the winner (its check, or the constraint's
    exclusion violation) and answers a conflict rather than an error. Inside a caller's
    transaction, which the abort has spoilt, nothing can be run again.
    """

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return action(*args, **kwargs)
        except OperationalError as error:
            deadlock = getattr(error.__cause__, "sqlstate", None) == DEADLOCK_DETECTED
            if not deadlock or transaction.get_connection().in_atomic_block:
                raise
        return action(*args, **kwargs)

    return run


def refuse_race(
    plan: ConferencePlan, user, error: IntegrityError, exclude_conference_id=None
) -> BookingConflict:
    """A concurrent booking won between our check and our write (PostgreSQL's
    exclusion constraint said so): describe what it took, after the rollback."""
    if getattr(error.__cause__, "sqlstate", None) != EXCLUSION_VIOLATION:
        raise error
    report = find_conflicts(
        plan, get_bridge(plan.bridge_id, lock=False), user, exclude_conference_id
    )
    return BookingConflict(report)


@once_more_after_a_deadlock
def book(request: BookingRequest, user: AbstractBaseUser) -> Meeting:
    """Reserve the sites and the bridge, create the meeting and its attendees; audited."""
    validate_slot(request.slot)
    details = request.details
    if not details.title.strip():
        raise BookingError(_("Give the session a title."), "title")
    office = acting_office_of(user)
    plan = resolve_plan(request.sites, request.host_code, request.bridge_id, request.slot, office)
    try:
        with transaction.atomic():
            reserve(plan, user, office=office)
            meeting = create_meeting(details, create_conference(plan), user, office)
            announce(change_of(ChangeKind.BOOKED, [meeting], windows_opened=True))
            trail.record(user, "meeting.booked", meeting, booking_summary(meeting, plan))
    except IntegrityError as error:
        raise refuse_race(plan, user, error) from None
    return meeting


def create_meeting(details: Details, conference, user, office: Office, **fields) -> Meeting:
    meeting = Meeting.objects.create(
        owner_office=office,
        title=details.title.strip(),
        agenda=details.agenda,
        organising_unit=details.organising_unit,
        classification=details.classification,
        organiser=user,
        conference=conference,
        **fields,
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, user_id=user_id, role=role) for user_id, role in details.attendees
    )
    return meeting


def change_of(
    kind: ChangeKind, meetings: list[Meeting], windows_opened: bool = False, **before
) -> MeetingChange:
    """The event of one action on these meetings (one, or occurrences of one series);
    `windows_opened` when their conferences' readiness windows are new (booked, moved);
    `before`: what changed (`MeetingChange.previous_slots`, `sites_added`, `sites_removed`)."""
    return MeetingChange(
        **before,
        kind=kind,
        meeting_ids=tuple(meeting.pk for meeting in meetings),
        series_id=meetings[0].series_id,
        opened_windows=tuple(
            (meeting.conference_id, meeting.conference.reserved_from.isoformat())
            for meeting in meetings
        )
        if windows_opened
        else (),
    )


def booking_summary(meeting: Meeting, plan: ConferencePlan) -> dict:
    """What the trail keeps of a booking: no title, which the trail's readers (the
    superuser among them) may not be allowed to read for a confidential session."""
    return {
        "office": meeting.owner_office_id,
        "start": iso(plan.start),
        "end": iso(plan.end),
        "setup_minutes": plan.setup_minutes,
        "bridge": plan.bridge_id,
        "sites": len(plan.endpoint_ids),
        "host": plan.host_id,
    }


def change_refusal(meeting: Meeting, now: datetime | None = None) -> str | None:
    """Why the session can no longer be moved, re-sited or cancelled, or None if it can:
    the one statement of the rule (a scheduled session that has not started)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return _("Only a scheduled session can be changed.")
    if meeting.conference.start <= (now or timezone.now()):
        return _("A session that has started cannot be changed.")
    return None


def is_changeable(meeting: Meeting) -> bool:
    """Whether the session may still be changed (`change_refusal`), whoever asks."""
    return change_refusal(meeting) is None


def lock_changeable(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock and refuse changes to what is over, or to a
    revision other than the one the caller read (meetings.revisions)."""
    locked = Meeting.objects.select_for_update().select_related("conference").get(pk=meeting.pk)
    refuse_stale(locked)
    refuse_unchangeable(locked)
    return locked


def current_plan(meeting: Meeting, slot: Slot) -> ConferencePlan:
    legs = list(meeting.conference.legs.values_list("endpoint_id", "role"))
    return ConferencePlan(
        bridge_id=meeting.conference.bridge_id,
        start=slot.start,
        end=slot.end,
        setup_minutes=slot.setup_minutes,
        endpoint_ids=tuple(endpoint_id for endpoint_id, _role in legs),
        host_id=next(endpoint_id for endpoint_id, role in legs if role == LegRole.HOST),
        site_selection=meeting.conference.site_selection,
    )


def slot_of(meeting: Meeting) -> Slot:
    conference = meeting.conference
    return Slot(conference.start, conference.end, conference.setup_minutes)


def revise(
    meeting: Meeting,
    user: AbstractBaseUser,
    action: str,
    changes: dict,
    kind: ChangeKind,
    windows_opened: bool = False,
    **before,
) -> Meeting:
    """Raise the SEQUENCE calendar clients compare, announce the change (the calendar
    sends the invitations' update or cancellation after the commit) and audit it."""
    raise_sequence(meeting)
    announce(change_of(kind, [meeting], windows_opened, **before))
    trail.record(user, action, meeting, changes)
    return meeting


def raise_sequence(meeting: Meeting) -> None:
    meeting.sequence += 1
    meeting.save(update_fields=["sequence", "status", "cancel_reason", "updated_at"])


@once_more_after_a_deadlock
def reschedule(meeting: Meeting, slot: Slot, user: AbstractBaseUser) -> Meeting:
    """Move the session (and its setup window) to a new time, if every site is free then."""
    validate_slot(slot)
    try:
        with transaction.atomic():
            meeting = lock_changeable(meeting)
            before = slot_of(meeting)
            plan = current_plan(meeting, slot)
            reserve(plan, user, exclude_conference_id=meeting.conference_id)
            move_conference(meeting.conference, slot.start, slot.end, slot.setup_minutes)
            return revise(
                meeting,
                user,
                "meeting.rescheduled",
                {"from": slot_changes(before), "to": slot_changes(slot)},
                ChangeKind.RESCHEDULED,
                windows_opened=True,
                previous_slots=(previous_slot(meeting, before),),
            )
    except IntegrityError as error:
        raise refuse_race(plan, user, error, meeting.conference_id) from None


def previous_slot(meeting: Meeting, before: Slot) -> tuple[int, str, str]:
    return (meeting.pk, iso(before.start), iso(before.end))


def slot_changes(slot: Slot) -> dict:
    return {
        "start": iso(slot.start),
        "end": iso(slot.end),
        "setup_minutes": slot.setup_minutes,
    }


@once_more_after_a_deadlock
def change_sites(
    meeting: Meeting, sites: SiteSelection, host_code: str, user: AbstractBaseUser
) -> Meeting:
    """Make the session's sites exactly this selection, if the new ones are free."""
    try:
        with transaction.atomic():
            meeting = lock_changeable(meeting)
            before = set(meeting.conference.legs.values_list("endpoint_id", flat=True))
            plan = resolve_plan(
                sites,
                host_code,
                meeting.conference.bridge_id,
                slot_of(meeting),
                meeting.owner_office,
            )
            reserve(plan, user, exclude_conference_id=meeting.conference_id)
            replace_sites(meeting.conference, plan.endpoint_ids, plan.host_id, plan.site_selection)
            after = set(plan.endpoint_ids)
            return revise(
                meeting,
                user,
                "meeting.sites_changed",
                {
                    "added": len(after - before),
                    "removed": len(before - after),
                    "sites": len(after),
                    "host": plan.host_id,
                },
                ChangeKind.SITES_CHANGED,
                sites_added=tuple(sorted(after - before)),
                sites_removed=tuple(sorted(before - after)),
            )
    except IntegrityError as error:
        raise refuse_race(plan, user, error, meeting.conference_id) from None


def check_reschedule(meeting: Meeting, slot: Slot, user: AbstractBaseUser) -> ConflictReport:
    """The dry run of `reschedule`: what it would refuse with, nothing written. The
    session's own reservation does not stand in its way."""
    validate_slot(slot)
    refuse_unchangeable(meeting)
    plan = current_plan(meeting, slot)
    bridge = get_bridge(plan.bridge_id, lock=False)
    return find_conflicts(plan, bridge, user, exclude_conference_id=meeting.conference_id)


def check_change_sites(
    meeting: Meeting, sites: SiteSelection, host_code: str, user: AbstractBaseUser
) -> ConflictReport:
    """The dry run of `change_sites`: what it would refuse with, nothing written. The
    session's own sites do not stand in its way."""
    refuse_unchangeable(meeting)
    plan = resolve_plan(
        sites, host_code, meeting.conference.bridge_id, slot_of(meeting), meeting.owner_office
    )
    bridge = get_bridge(plan.bridge_id, lock=False)
    return find_conflicts(plan, bridge, user, exclude_conference_id=meeting.conference_id)


def refuse_unchangeable(meeting: Meeting) -> None:
    refusal = change_refusal(meeting)
    if refusal is not None:
        raise WrongStateError(refusal)


def booked_selection(meeting: Meeting) -> SiteSelection:
    """The selection the session's sites were chosen with (levels, provinces, single
    sites, exclusions), as booking or the last change of sites kept it; a session kept
    without one has its sites one by one, in tree order."""
    selection = SiteSelection.from_json(meeting.conference.site_selection)
    if selection.is_empty():
        legs = meeting.conference.legs.order_by("endpoint__path")
        selection = SiteSelection(sites=tuple(legs.values_list("endpoint__code", flat=True)))
    return selection


def host_code_of(meeting: Meeting) -> str:
    host = meeting.conference.legs.filter(role=LegRole.HOST)
    return host.values_list("endpoint__code", flat=True).first() or ""


def cancel(meeting: Meeting, reason: str, user: AbstractBaseUser) -> Meeting:
    """Cancel the session and free its sites; the reason is kept and audited."""
    reason = cancel_reason(reason)
    with transaction.atomic():
        meeting = stop(meeting, reason)
        announce(change_of(ChangeKind.CANCELLED, [meeting]))
        trail.record(user, "meeting.cancelled", meeting, {"reason": reason})
        return meeting


def cancel_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise BookingError(_("Give a reason for cancelling."), "reason")
    return reason


def stop(meeting: Meeting, reason: str) -> Meeting:
    """Cancel one meeting and free its sites, without announcing or auditing: the
    caller does both once for its whole action."""
    meeting = lock_changeable(meeting)
    cancel_conference(meeting.conference)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    raise_sequence(meeting)
    return meeting
