"""The readiness state machine of a site in a session, and the reports that drive it.

A report is written (event appended, leg's state updated, the conference's
readiness sequence raised) in one transaction, and only after commit is the
board told. A failed broadcast loses nothing: boards catch up from the
sequence number, which lives in the database.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conferencing.conference_models import Conference, ConferenceStatus, Leg
from conferencing.readiness_models import ReadinessEvent, ReadinessState

logger = logging.getLogger(__name__)

CHECK_ITEMS = ("audio", "video", "network", "display")
MAX_NOTE_LENGTH = 500
MAX_PEOPLE = 10_000
ANNOUNCE_TIMEOUT_SECONDS = 1.0

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


def board_group(conference_id: int) -> str:
    return f"board.{conference_id}"


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


def serves(user: AbstractBaseUser, leg: Leg) -> bool:
    return leg.endpoint.technicians.filter(pk=user.pk).exists()


def next_seq(conference_id: int) -> int:
    """Raise the conference's readiness sequence and return it; the row lock it
    takes orders concurrent reports of one conference."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conferencing_conference SET readiness_seq = readiness_seq + 1 "
            "WHERE id = %s RETURNING readiness_seq",
            [conference_id],
        )
        return cursor.fetchone()[0]


def submit_report(report: Report, user: AbstractBaseUser, now: datetime | None = None) -> Outcome:
    """Apply a technician's report: appended to the log, the leg's state updated,
    the board told after commit. A retried message (same client id) changes
    nothing and returns the first outcome."""
    validate(report)
    now = now or timezone.now()
    earlier = earlier_report(user, report.client_id)
    if earlier is not None:
        return Outcome(earlier, replayed=True)
    try:
        with transaction.atomic():
            outcome = apply(report, user, now)
    except IntegrityError:
        # The same client id committed by a concurrent retry a moment ago.
        earlier = earlier_report(user, report.client_id)
        if earlier is None:
            raise
        return Outcome(earlier, replayed=True)
    if not outcome.replayed:
        conference_id, seq = outcome.event.leg.conference_id, outcome.event.seq
        transaction.on_commit(lambda: announce(conference_id, seq))
    return outcome


def earlier_report(user: AbstractBaseUser, client_id: str) -> ReadinessEvent | None:
    if not client_id:
        return None
    return ReadinessEvent.objects.filter(actor=user, client_id=client_id).first()


def apply(report: Report, user: AbstractBaseUser, now: datetime) -> Outcome:
    # Lock the conference, then the leg: the order in which moving, re-siting and
    # cancelling a session take them (the meeting and its conference, then the
    # legs). Leg first would deadlock a report against a reschedule in the open
    # window; this way the report waits for the move and judges the new times.
    conference = (
        Conference.objects.select_for_update(of=("self",)).filter(legs__pk=report.leg_id).first()
    )
    leg = (
        Leg.objects.select_for_update(of=("self",))
        .select_related("endpoint")
        .filter(pk=report.leg_id, conference=conference)
        .first()
        if conference is not None
        else None
    )
    if leg is None or not leg.is_reserved:
        raise ReadinessRefused("not_found", _("This site is not in that session."))
    if not serves(user, leg):
        raise ReadinessRefused("forbidden", _("You are not a technician of this site."))
    # A retry that waited for these locks behind its own first attempt: answer that
    # one (judged against the state the first attempt produced, it would be refused).
    earlier = earlier_report(user, report.client_id)
    if earlier is not None:
        return Outcome(earlier, replayed=True)
    leg.conference = conference
    if conference.status != ConferenceStatus.SCHEDULED or not (
        conference.reserved_from <= now < conference.end
    ):
        raise ReadinessRefused(
            "outside_window",
            _("Reports are accepted from the start of the setup window until the session ends."),
        )
    error = transition_error(leg.state, report.state, conference.start <= now)
    if error:
        raise ReadinessRefused("illegal_transition", error)
    seq = next_seq(conference.pk)
    event = ReadinessEvent.objects.create(
        leg=leg,
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
    leg.state, leg.state_seq, leg.state_changed_at = report.state, seq, now
    leg.checklist, leg.people_present, leg.note = (
        report.checklist,
        report.people_present,
        report.note,
    )
    leg.save(
        update_fields=[
            "state",
            "state_seq",
            "state_changed_at",
            "checklist",
            "people_present",
            "note",
        ]
    )
    return Outcome(event, replayed=False)


def announce(conference_id: int, seq: int) -> None:
    """Tell the conference's boards there is news; never raises: the report is safe."""
    try:
        async_to_sync(notify_boards)(conference_id, seq)
    except Exception:
        logger.warning("readiness broadcast for conference %s failed", conference_id, exc_info=True)


async def notify_boards(conference_id: int, seq: int) -> None:
    # Bounded: a Redis that accepts connections but does not answer would otherwise
    # hold the technician's acknowledgement, and the thread that does every
    # consumer's database work, for as long as TCP takes to give up.
    await asyncio.wait_for(
        get_channel_layer().group_send(
            board_group(conference_id), {"type": "readiness.changed", "seq": seq}
        ),
        ANNOUNCE_TIMEOUT_SECONDS,
    )
