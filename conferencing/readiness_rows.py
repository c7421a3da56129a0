"""The rows a batch of readiness reports reads under lock and writes: a fixed number of
statements whatever the number of reports (conferencing.readiness judges them)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Model

from audit import trail
from conferencing.models import Conference, Endpoint, Leg, ReadinessEvent

LEG_FIELDS = (
    "state",
    "state_seq",
    "state_changed_at",
    "checklist",
    "people_present",
    "note",
    "override_reason",
)


@dataclass
class LockedConference:
    pk: int
    seq: int
    status: str
    started: bool
    first_seq: int = 0

    def __post_init__(self) -> None:
        self.first_seq = self.seq

    @property
    def changed(self) -> bool:
        return self.seq != self.first_seq


@dataclass
class LockedLeg:
    pk: int
    conference_id: int
    endpoint_id: int
    state: str
    is_reserved: bool
    window_open: bool
    latest: ReadinessEvent | None = field(default=None)

    def apply(self, event: ReadinessEvent) -> None:
        self.state, self.latest = event.to_state, event


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def lock_conferences(leg_ids: list[int], now: datetime) -> dict[int, LockedConference]:
    """The legs' conferences, locked in order of id: sequence, status, whether started."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, readiness_seq, status, start <= %s FROM {table(Conference)} "
            f"WHERE id IN (SELECT conference_id FROM {table(Leg)} "
            f"WHERE id IN ({placeholders(leg_ids)})) ORDER BY id{for_update()}",
            [connection.ops.adapt_datetimefield_value(now), *leg_ids],
        )
        return {
            pk: LockedConference(pk, seq, status, bool(started))
            for pk, seq, status, started in cursor.fetchall()
        }


def lock_legs(leg_ids: list[int], now: datetime) -> dict[int, LockedLeg]:
    """The legs, locked in order of id, with whether their reporting window is open."""
    moment = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, conference_id, endpoint_id, state, is_reserved, "
            f"reserved_from <= %s AND %s < reserved_until FROM {table(Leg)} "
            f"WHERE id IN ({placeholders(leg_ids)}) ORDER BY id{for_update()}",
            [moment, moment, *leg_ids],
        )
        return {
            pk: LockedLeg(pk, conference_id, endpoint_id, state, bool(reserved), bool(open_))
            for pk, conference_id, endpoint_id, state, reserved, open_ in cursor.fetchall()
        }


def technician_pairs(endpoint_ids: set[int], user_ids: set[int]) -> set[tuple[int, int]]:
    """(site, user) for each of these users who is a technician of one of these sites."""
    if not endpoint_ids:
        return set()
    sites, users = sorted(endpoint_ids), sorted(user_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT endpoint_id, user_id FROM {table(Endpoint.technicians.through)} "
            f"WHERE endpoint_id IN ({placeholders(sites)}) AND user_id IN ({placeholders(users)})",
            [*sites, *users],
        )
        return set(cursor.fetchall())


def write(
    events: list[ReadinessEvent],
    legs: dict[int, LockedLeg],
    conferences: dict[int, LockedConference],
) -> None:
    """Append the events and their audit entries; each leg takes the state of its
    latest, each conference its new sequence. Four statements, and one more per
    further conference."""
    insert_events(events)
    trail.record_all(
        [
            (
                event.actor,
                "readiness.report",
                Leg(pk=event.leg_id),
                {"from": event.from_state, "to": event.to_state, "seq": event.seq},
            )
            for event in events
        ]
    )
    update_legs([leg.latest for leg in legs.values() if leg.latest is not None])
    with connection.cursor() as cursor:
        for conference in conferences.values():
            if conference.changed:
                cursor.execute(
                    f"UPDATE {table(Conference)} SET readiness_seq = %s WHERE id = %s",
                    [conference.seq, conference.pk],
                )


EVENT_COLUMNS = (
    "leg_id",
    "seq",
    "actor_id",
    "at",
    "from_state",
    "to_state",
    "checklist",
    "people_present",
    "note",
    "client_id",
    "override_reason",
)


def insert_events(events: list[ReadinessEvent]) -> None:
    """Append the events in one statement; each gets its id.

    Hand-written for the same reason as update_legs: the ORM's per-value
    preparation was a tenth of a busy server's time."""
    checklist = ReadinessEvent._meta.get_field("checklist")
    row = "(" + ", ".join(["%s"] * len(EVENT_COLUMNS)) + ")"
    params = []
    for event in events:
        params += [
            event.leg_id,
            event.seq,
            event.actor_id,
            connection.ops.adapt_datetimefield_value(event.at),
            event.from_state,
            event.to_state,
            checklist.get_db_prep_save(event.checklist, connection),
            event.people_present,
            event.note,
            event.client_id,
            event.override_reason,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(ReadinessEvent)} ({', '.join(EVENT_COLUMNS)}) "
            f"VALUES {', '.join([row] * len(events))} RETURNING id",
            params,
        )
        # Both databases return the rows of a multi-row VALUES in its order (the ORM's
        # bulk_create relies on the same).
        for event, (pk,) in zip(events, cursor.fetchall(), strict=True):
            event.pk = pk
            event._state.adding = False


def update_legs(latest: list[ReadinessEvent]) -> None:
    """Each leg to the state its latest event reports, in one statement.

    Hand-written: the ORM's bulk_update builds a CASE per field and leg, and that
    took most of a batch's time."""
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL types a VALUES list from its text parameters only with casts.
    casts = ("::bigint", "", "::bigint", "::timestamptz", "::jsonb", "::integer", "", "")
    if not postgresql:
        casts = ("",) * len(casts)
    row = "(" + ", ".join(f"%s{cast}" for cast in casts) + ")"
    checklist = Leg._meta.get_field("checklist")
    params = []
    for event in latest:
        params += [
            event.leg_id,
            event.to_state,
            event.seq,
            connection.ops.adapt_datetimefield_value(event.at),
            checklist.get_db_prep_save(event.checklist, connection),
            event.people_present,
            event.note,
            event.override_reason,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH latest (id, {', '.join(LEG_FIELDS)}) AS "
            f"(VALUES {', '.join([row] * len(latest))}) "
            f"UPDATE {table(Leg)} SET "
            + ", ".join(f"{name} = latest.{name}" for name in LEG_FIELDS)
            + f" FROM latest WHERE {table(Leg)}.id = latest.id",
            params,
        )
