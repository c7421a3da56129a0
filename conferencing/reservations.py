"""Reserving sites and bridge ports for a conference, and finding what stands in the way.

The callers (meetings.booking) own the transaction; these functions assume one
is open. A booking first locks its bridge row, so bookings on one bridge are
serialised and the capacity sweep cannot race; site overlaps across bridges
are caught by the check here and, on PostgreSQL, by the exclusion constraint.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connections
from django.db.models import Count, QuerySet

from conferencing.models import (
    Bridge,
    Conference,
    ConferenceStatus,
    Leg,
    LegQuerySet,
    LegRole,
    reservation_start,
)

# 6 columns x 4,000 rows stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters,
# so even a national session (3,356 sites) is one INSERT.
LEG_BATCH_SIZE = 4000


@dataclass(frozen=True)
class ConferencePlan:
    """What a booking asks of the network: a bridge, a time and the sites."""

    bridge_id: int
    start: datetime
    end: datetime
    setup_minutes: int
    endpoint_ids: tuple[int, ...]
    host_id: int
    # How the sites were named (SiteSelection.as_json), kept on the conference.
    site_selection: dict = field(default_factory=dict, compare=False)

    @property
    def window_start(self) -> datetime:
        return reservation_start(self.start, self.setup_minutes)

    @property
    def window_end(self) -> datetime:
        return self.end


@dataclass(frozen=True)
class SiteConflict:
    endpoint_id: int
    endpoint_code: str
    endpoint_name: str
    conference_id: int
    overlap_start: datetime
    overlap_end: datetime


@dataclass(frozen=True)
class CapacityOverload:
    instant: datetime
    legs: int
    capacity: int


ExcludedConferences = int | Collection[int] | None


def excluding(legs: LegQuerySet, conference_ids: ExcludedConferences) -> LegQuerySet:
    """Leave out the legs of the conference(s) being changed: one id, or several when a
    series' occurrences move together."""
    if conference_ids is None:
        return legs
    if isinstance(conference_ids, int):
        return legs.exclude(conference_id=conference_ids)
    return legs.exclude(conference_id__in=list(conference_ids))


def find_site_conflicts(
    endpoint_ids: Iterable[int],
    window_start: datetime,
    window_end: datetime,
    exclude_conference_id: ExcludedConferences = None,
) -> list[SiteConflict]:
    """Every reserved leg of these sites whose window overlaps; one query."""
    legs = (
        Leg.objects.reserved()
        .overlapping(window_start, window_end)
        .filter(endpoint_id__in=list(endpoint_ids))
    )
    legs = excluding(legs, exclude_conference_id)
    rows = legs.order_by("endpoint__path", "reserved_from").values_list(
        "endpoint_id",
        "endpoint__code",
        "endpoint__name",
        "conference_id",
        "reserved_from",
        "reserved_until",
    )
    return [
        SiteConflict(
            endpoint_id=endpoint_id,
            endpoint_code=code,
            endpoint_name=name,
            conference_id=conference_id,
            overlap_start=max(reserved_from, window_start),
            overlap_end=min(reserved_until, window_end),
        )
        for endpoint_id, code, name, conference_id, reserved_from, reserved_until in rows
    ]


def find_capacity_overloads(
    bridge: Bridge,
    window_start: datetime,
    window_end: datetime,
    new_legs: int,
    exclude_conference_id: ExcludedConferences = None,
) -> list[CapacityOverload]:
    """Instants where the bridge would carry more legs than its ports; one query.

    A sweep over the start and end of every overlapping conference's window,
    so three sessions that overlap only pairwise are counted right.
    """
    legs = (
        Leg.objects.reserved()
        .overlapping(window_start, window_end)
        .filter(conference__bridge_id=bridge.pk)
    )
    legs = excluding(legs, exclude_conference_id)
    windows = legs.values("conference_id", "reserved_from", "reserved_until").annotate(
        count=Count("id")
    )
    running = new_legs
    changes: dict[datetime, int] = {}
    for window in windows.order_by():
        if window["reserved_from"] <= window_start:
            running += window["count"]
        else:
            changes[window["reserved_from"]] = (
                changes.get(window["reserved_from"], 0) + window["count"]
            )
        if window["reserved_until"] < window_end:
            changes[window["reserved_until"]] = (
                changes.get(window["reserved_until"], 0) - window["count"]
            )
    capacity = bridge.port_capacity
    overloads = [CapacityOverload(window_start, running, capacity)] if running > capacity else []
    # Half-open windows: a session ending at the instant another starts frees
    # its ports first, so all changes at one instant are netted before comparing.
    for instant in sorted(changes):
        change = changes[instant]
        running += change
        if change > 0 and running > capacity:
            overloads.append(CapacityOverload(instant, running, capacity))
    return overloads


def lock_bridge(bridge_id: int, bridges: QuerySet[Bridge] | None = None) -> Bridge:
    """Serialise bookings on one bridge for the rest of the transaction (`bridges`: the
    queryset to read it from, with its annotations)."""
    bridges = Bridge.objects.all() if bridges is None else bridges
    return bridges.select_for_update().get(pk=bridge_id)


def create_conference(plan: ConferencePlan) -> Conference:
    conference = Conference.objects.create(
        bridge_id=plan.bridge_id,
        start=plan.start,
        end=plan.end,
        setup_minutes=plan.setup_minutes,
        site_selection=plan.site_selection,
    )
    add_legs(conference, plan.endpoint_ids, plan.host_id)
    return conference


def add_legs(conference: Conference, endpoint_ids: Iterable[int], host_id: int) -> None:
    """One INSERT, the legs in the order given (tree order: concurrent bookings then
    take the sites' index entries in the same order and wait rather than deadlock)."""
    endpoint_ids = list(endpoint_ids)
    if not endpoint_ids:
        return
    connection = connections[Leg.objects.db]
    if connection.vendor == "postgresql":
        # The ids travel as one array: building, compiling and binding 3,356 Leg
        # objects (20,000 parameters) took 100 of a national booking's 280 ms
        # (bench/booking.py); the rows PostgreSQL writes are the same.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Leg._meta.db_table} "
                "(conference_id, endpoint_id, role, reserved_from, reserved_until, is_reserved, "
                "state, state_seq, checklist, note, override_reason) "
                "SELECT %s, site, CASE WHEN site = %s THEN %s ELSE %s END, %s, %s, TRUE, "
                "'pending', 0, '{}'::jsonb, '', '' "
                "FROM unnest(%s::bigint[]) WITH ORDINALITY AS sites (site, position) "
                "ORDER BY position",
                [
                    conference.pk,
                    host_id,
                    LegRole.HOST.value,
                    LegRole.PARTICIPANT.value,
                    conference.reserved_from,
                    conference.end,
                    endpoint_ids,
                ],
            )
        return
    Leg.objects.bulk_create(
        [
            Leg(
                conference=conference,
                endpoint_id=endpoint_id,
                role=LegRole.HOST if endpoint_id == host_id else LegRole.PARTICIPANT,
                reserved_from=conference.reserved_from,
                reserved_until=conference.end,
            )
            for endpoint_id in endpoint_ids
        ],
        batch_size=LEG_BATCH_SIZE,
    )


def move_conference(
    conference: Conference, start: datetime, end: datetime, setup_minutes: int
) -> None:
    conference.start, conference.end, conference.setup_minutes = start, end, setup_minutes
    conference.save(update_fields=["start", "end", "setup_minutes", "updated_at"])
    conference.legs.update(reserved_from=conference.reserved_from, reserved_until=end)


def move_conferences(moves: list[tuple[Conference, datetime, datetime, int]]) -> None:
    """Move several conferences together (a series' "this and following").

    Their legs are freed first and reserved again at the end: moved one at a time,
    an occurrence shifted onto a sibling's old time would meet it there, and
    PostgreSQL checks the exclusion constraint row by row, not at commit. The
    caller has checked that the new windows are free and do not overlap.
    """
    conference_ids = [conference.pk for conference, *_times in moves]
    Leg.objects.filter(conference_id__in=conference_ids).update(is_reserved=False)
    for conference, start, end, setup_minutes in moves:
        move_conference(conference, start, end, setup_minutes)
    Leg.objects.filter(conference_id__in=conference_ids).update(is_reserved=True)


def replace_sites(
    conference: Conference, endpoint_ids: Iterable[int], host_id: int, site_selection: dict
) -> None:
    """Make the conference's legs exactly these sites, with this host, named by this
    selection; constant queries."""
    Conference.objects.filter(pk=conference.pk).update(site_selection=site_selection)
    conference.site_selection = site_selection
    wanted = set(endpoint_ids)
    conference.legs.exclude(endpoint_id__in=wanted).delete()
    conference.legs.filter(role=LegRole.HOST).exclude(endpoint_id=host_id).update(
        role=LegRole.PARTICIPANT
    )
    existing = set(conference.legs.values_list("endpoint_id", flat=True))
    add_legs(conference, sorted(wanted - existing), host_id)
    conference.legs.filter(endpoint_id=host_id).update(role=LegRole.HOST)


def cancel_conference(conference: Conference) -> None:
    """Free every site's time; the legs stay as the record of who was to join."""
    conference.status = ConferenceStatus.CANCELLED
    conference.save(update_fields=["status", "updated_at"])
    conference.legs.update(is_reserved=False)
