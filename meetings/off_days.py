"""Occurrences of a series that fall on a day off: kept, skipped, or moved to the next
working day at the same wall-clock time (workdays.calendar decides what a day off is).

A moved occurrence keeps its rule instance as `occurrence_start`, so calendars show it
as the instance moved (RECURRENCE-ID); a skipped one is not booked, so calendars get an
EXDATE for it, like an occurrence skipped for a conflict.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from conferencing.models import reservation_start
from meetings.booking import BookingError, Slot
from meetings.models import OffDayPolicy
from workdays.calendar import snapshot


@dataclass(frozen=True)
class Occurrence:
    instance: datetime  # the rule's start for it: its RECURRENCE-ID
    slot: Slot  # where it is booked
    moved: bool = False


@dataclass(frozen=True)
class OffDayChange:
    """One occurrence on a day off and what the policy does with it, for the form's preview."""

    slot: Slot  # the rule's slot, on the day off
    reason: str  # the holiday's or announcement's name; "" for a weekend
    policy: str
    moved_to: Slot | None = None


@dataclass(frozen=True)
class Schedule:
    occurrences: list[Occurrence]  # in time order
    changes: list[OffDayChange]
    first_instance: datetime  # the rule's first start, booked or not


def schedule(slots: list[Slot], policy: str, zone: ZoneInfo) -> Schedule:
    """Where each of the rule's `slots` is booked under `policy`. BookingError (on the
    rule) when no occurrence is left, or when moved ones would overlap others."""
    calendar = snapshot()
    occurrences: list[Occurrence] = []
    changes: list[OffDayChange] = []
    for slot in slots:
        local_start = slot.start.astimezone(zone)
        day = local_start.date()
        if calendar.is_working_day(day):
            occurrences.append(Occurrence(slot.start, slot))
            continue
        reason = calendar.day_off_name(day)
        if policy == OffDayPolicy.SKIP:
            changes.append(OffDayChange(slot, reason, policy))
        elif policy == OffDayPolicy.MOVE:
            moved_start = datetime.combine(
                calendar.next_working_day(day), local_start.time(), tzinfo=zone
            )
            moved = Slot(moved_start, moved_start + (slot.end - slot.start), slot.setup_minutes)
            changes.append(OffDayChange(slot, reason, policy, moved))
            occurrences.append(Occurrence(slot.start, moved, moved=True))
        else:
            changes.append(OffDayChange(slot, reason, OffDayPolicy.KEEP))
            occurrences.append(Occurrence(slot.start, slot))
    if not occurrences:
        raise BookingError(_("Every occurrence falls on a day off: none is left to book."), "rrule")
    occurrences.sort(key=lambda occurrence: occurrence.slot.start)
    for previous, current in pairwise(occurrences):
        start = reservation_start(current.slot.start, current.slot.setup_minutes)
        if start < previous.slot.end:
            moved = current if current.moved else previous
            raise BookingError(
                _(
                    "Moved to the next working day, the session of %(day)s would overlap "
                    "another session of the series; skip the days off instead."
                )
                % {"day": f"{moved.instance.astimezone(zone):%d/%m/%Y}"},
                "off_days",
            )
    return Schedule(occurrences, changes, slots[0].start)
