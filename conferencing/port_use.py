"""How many legs a bridge carries over one day, quarter-hour by quarter-hour, against its
ports.

Counted from the reservations themselves (each reserved leg's window, setup included),
as conferencing.reservations counts them when it refuses an overload: one query grouped
by window, however many sites the day's sessions have, then a sweep in memory.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from conferencing.instants import local_midnight
from conferencing.models import Bridge, Leg

SLOT = timedelta(minutes=15)


@dataclass(frozen=True)
class PortUse:
    """`in_use[i]`: the most legs the bridge carried at once during the quarter-hour
    starting at `slots[i]` (local time)."""

    day: date
    capacity: int
    slots: tuple[datetime, ...]
    in_use: tuple[int, ...]

    @property
    def peak(self) -> int:
        return max(self.in_use, default=0)

    @property
    def peak_at(self) -> datetime | None:
        """The first quarter-hour of the peak; None on a day with no leg."""
        if not self.peak:
            return None
        return self.slots[self.in_use.index(self.peak)]

    @property
    def over_capacity(self) -> int:
        """Quarter-hours when more legs were reserved than the bridge has ports (a
        capacity lowered after booking)."""
        return sum(1 for used in self.in_use if used > self.capacity)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight of the day and of the next, aware."""
    return local_midnight(day), local_midnight(day + timedelta(days=1))


def port_use(bridge: Bridge, day: date) -> PortUse:
    """The bridge's legs in use over the local day, by quarter-hour; one query. A leg is
    in use from the start of its window (the setup) to its end, half-open: a session
    ending at 09:00 frees its ports for one starting then."""
    start, end = day_bounds(day)
    windows = (
        Leg.objects.reserved()
        .overlapping(start, end)
        .filter(conference__bridge_id=bridge.pk)
        .values("reserved_from", "reserved_until")
        .annotate(count=Count("id"))
        .order_by()
    )
    running = 0
    changes: dict[datetime, int] = {}
    for window in windows:
        if window["reserved_from"] <= start:
            running += window["count"]
        else:
            changes[window["reserved_from"]] = (
                changes.get(window["reserved_from"], 0) + window["count"]
            )
        if window["reserved_until"] < end:
            changes[window["reserved_until"]] = (
                changes.get(window["reserved_until"], 0) - window["count"]
            )
    instants = sorted(changes)
    slots, in_use = [], []
    index = 0
    slot = start
    while slot < end:
        slot_end = slot + SLOT
        # What changes at the slot's first instant counts for it; the changes at one
        # instant are netted before looking, as the capacity check does.
        while index < len(instants) and instants[index] <= slot:
            running += changes[instants[index]]
            index += 1
        most = running
        while index < len(instants) and instants[index] < slot_end:
            running += changes[instants[index]]
            most = max(most, running)
            index += 1
        slots.append(timezone.localtime(slot))
        in_use.append(most)
        slot = slot_end
    return PortUse(day=day, capacity=bridge.port_capacity, slots=tuple(slots), in_use=tuple(in_use))
