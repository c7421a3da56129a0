"""The readiness state machine of a site in a session, and the reports that drive it.

A report is written (event appended, leg's state updated, the conference's
readiness sequence raised) in one transaction, and only after commit is the
board told. A failed broadcast loses nothing: boards catch up from the
sequence number, which lives in the database.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferencing.conference_models import Conference, ConferenceStatus, Leg
from conferencing.models import Endpoint
from conferencing.readiness_broadcast import announce
from conferencing.readiness_models import ReadinessEvent, ReadinessState

CHECK_ITEMS = ("audio", "video", "network", "display")
MAX_NOTE_LENGTH = 500
MAX_PEOPLE = 10_000

S = ReadinessState
PRE_SESSION_STATES = {S.PENDING, S.CHECKING, S.READY, S.PROBLEM}
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.CHECKING},
    S.CHECKING: {S.READY, S.PROBLEM},
    S.READY: {S.CHECKING, S.PROBLEM},
    S.PROBLEM: {S.CHECKING},
    S.CONNECTED: {S.DISCONNECTED},
    S.DISCONNECTED: {S.CONNECTED, S.PROBLEM},
}
# Once the session runs, any site may say it joined, whatever it reported before.
IN_SESSION_ONLY = {S.CONNECTED, S.DISCONNECTED}


class ReadinessRefused(Exception):
    """A report the rules refuse; `code` is stable for clients, the message translated."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Report:
    leg_id: int
    state: str
    checklist: dict[str, bool] = field(default_factory=dict)
    people_present: int | None = None
    note: str = ""
    client_id: str = ""


@dataclass(frozen=True)
class Outcome:
    event: ReadinessEvent
    replayed: bool


def validate(report: Report) -> None:
    if report.state not in ReadinessState.values or report.state == S.PENDING:
        raise ReadinessRefused("invalid", _("Unknown readiness state."))
    unknown = set(report.checklist) - set(CHECK_ITEMS)
    if unknown or not all(isinstance(value, bool) for value in report.checklist.values()):
        raise ReadinessRefused(
            "invalid", _("The checklist has audio, video, network and display: each ok or not.")
        )
    if report.people_present is not None and not 0 <= report.people_present <= MAX_PEOPLE:
        raise ReadinessRefused("invalid", _("The number of people present is not plausible."))
    if len(report.note) > MAX_NOTE_LENGTH:
        raise ReadinessRefused(
            "invalid", _("The note is longer than %(max)d characters.") % {"max": MAX_NOTE_LENGTH}
        )
    if len(report.client_id) > 64:
        raise ReadinessRefused("invalid", _("The message id is too long."))


def transition_error(current: str, wanted: str, in_session: bool) -> str | None:
    if wanted in IN_SESSION_ONLY and not in_session:
        return _("A site can report connected or disconnected only while the session runs.")
    if wanted == S.CONNECTED and current in PRE_SESSION_STATES:
        return None
    if wanted not in TRANSITIONS.get(current, set()):
        return _("A site cannot go from “%(from)s” to “%(to)s”.") % {
            "from": ReadinessState(current).label,
            "to": ReadinessState(wanted).label,
        }
    return None


def submit_report(report: Report, user: AbstractBaseUser, now: datetime | None = None) -> Outcome:
    """Apply a technician's report: appended to the log, the leg's state updated,
    the board told after commit. A retried message (same client id) changes
    nothing and returns the first outcome."""
    validate(report)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            event, conference_id = apply(report, user, now)
    except Replayed as replay:
        return Outcome(ReadinessEvent.objects.get(pk=replay.event_id), replayed=True)
    except IntegrityError:
        # The same client id committed by a concurrent retry a moment ago.
        earlier = earlier_report(user, report.client_id)
        if earlier is None:
            raise
        return Outcome(earlier, replayed=True)
    transaction.on_commit(lambda: announce(conference_id, event.seq))
    return Outcome(event, replayed=False)


def earlier_report(user: AbstractBaseUser, client_id: str) -> ReadinessEvent | None:
    if not client_id:
        return None
    return ReadinessEvent.objects.filter(actor=user, client_id=client_id).first()


class Replayed(Exception):
    """Raised inside the report's transaction to undo its sequence number."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id


def apply(report: Report, user: AbstractBaseUser, now: datetime) -> tuple[ReadinessEvent, int]:
    """The event written and its conference, in four statements: the hot path of a
    national session's thousands of reports."""
    # Lock the conference, then the leg: the order in which moving, re-siting and
    # cancelling a session take them (the meeting and its conference, then the
    # legs). Leg first would deadlock a report against a reschedule in the open
    # window; this way the report waits for the move and judges the new times.
    # Raising the sequence is what takes the conference's lock; a refusal rolls it back.
    locked = lock_conference(report.leg_id, now)
    if locked is None:
        raise ReadinessRefused("not_found", _("This site is not in that session."))
    seq, conference_id, status, started = locked
    leg = lock_leg(report.leg_id, user, report.client_id, now)
    if leg.earlier_event_id is not None:
        # A retry, perhaps one that waited for these locks behind its own first
        # attempt: answer that one (judged against the state the first attempt
        # produced, it would be refused), even after the window closed.
        raise Replayed(leg.earlier_event_id)
    if not leg.is_reserved:
        raise ReadinessRefused("not_found", _("This site is not in that session."))
    if not leg.served:
        raise ReadinessRefused("forbidden", _("You are not a technician of this site."))
    if status != ConferenceStatus.SCHEDULED or not leg.window_open:
        raise ReadinessRefused(
            "outside_window",
            _("Reports are accepted from the start of the setup window until the session ends."),
        )
    error = transition_error(leg.state, report.state, started)
    if error:
        raise ReadinessRefused("illegal_transition", error)
    event = ReadinessEvent(
        leg_id=report.leg_id,
        seq=seq,
        actor=user,
        at=now,
        from_state=leg.state,
        to_state=report.state,
        checklist=report.checklist,
        people_present=report.people_present,
        note=report.note,
        client_id=report.client_id,
    )
    event.save(force_insert=True)
    Leg.objects.filter(pk=report.leg_id).update(
        state=report.state,
        state_seq=seq,
        state_changed_at=now,
        checklist=report.checklist,
        people_present=report.people_present,
        note=report.note,
    )
    return event, conference_id


@dataclass(frozen=True)
class LockedLeg:
    state: str
    is_reserved: bool
    window_open: bool
    served: bool
    earlier_event_id: int | None


def lock_conference(leg_id: int, now: datetime) -> tuple[int, int, str, bool] | None:
    """Raise the readiness sequence of the leg's conference; the new sequence, the
    conference, its status and whether it has started."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table(Conference)} SET readiness_seq = readiness_seq + 1 "
            f"WHERE id = (SELECT conference_id FROM {table(Leg)} WHERE id = %s) "
            "RETURNING readiness_seq, id, status, start <= %s",
            [leg_id, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2], bool(row[3]))


def lock_leg(leg_id: int, user: AbstractBaseUser, client_id: str, now: datetime) -> LockedLeg:
    technicians = Endpoint.technicians.through
    moment = connection.ops.adapt_datetimefield_value(now)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT leg.state, leg.is_reserved, "
            "leg.reserved_from <= %s AND %s < leg.reserved_until, "
            f"EXISTS (SELECT 1 FROM {table(technicians)} t "
            "WHERE t.endpoint_id = leg.endpoint_id AND t.user_id = %s), "
            f"(SELECT e.id FROM {table(ReadinessEvent)} e "
            "WHERE e.actor_id = %s AND e.client_id = %s AND e.client_id <> '') "
            f"FROM {table(Leg)} leg WHERE leg.id = %s{lock}",
            [moment, moment, user.pk, user.pk, client_id, leg_id],
        )
        state, is_reserved, window_open, served, earlier = cursor.fetchone()
    return LockedLeg(state, bool(is_reserved), bool(window_open), bool(served), earlier)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
