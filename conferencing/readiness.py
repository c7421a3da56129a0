"""The readiness state machine of a site in a session, and the reports that drive it.

A report is written (event appended, leg's state updated, the conference's
readiness sequence raised) in one transaction, and only after commit is the
board told. A failed broadcast loses nothing: boards catch up from the
sequence number, which lives in the database.
"""

import dataclasses
import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conferencing import readiness_rows, readiness_signals
from conferencing.models import ConferenceStatus, Leg, ReadinessEvent, ReadinessState
from conferencing.readiness_broadcast import announce

logger = logging.getLogger(__name__)

CHECK_ITEMS = ("audio", "video", "network", "display")
CHECK_LABELS = {
    "audio": gettext_lazy("Audio"),
    "video": gettext_lazy("Video"),
    "network": gettext_lazy("Network"),
    "display": gettext_lazy("Display"),
}
MAX_NOTE_LENGTH = 500
# A reason, not a second note: short enough for a board cell's panel and the report.
MAX_OVERRIDE_LENGTH = 200
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
# How the pages count a site: ready once it reported ready or joined; a problem while it
# reports one or has dropped out of the running session.
READY_STATES = frozenset({S.READY, S.CONNECTED})
PROBLEM_STATES = frozenset({S.PROBLEM, S.DISCONNECTED})


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
    # Why the site is ready although a check failed (ready_means_checked).
    override_reason: str = ""


@dataclass(frozen=True)
class Outcome:
    event: ReadinessEvent
    replayed: bool


def unchecked(checklist: dict[str, bool]) -> list[str]:
    """The checklist items not reported ok (an item left out is not ok), in CHECK_ITEMS order."""
    return [item for item in CHECK_ITEMS if checklist.get(item) is not True]


def ready_means_checked(report: Report) -> None:
    """A site is ready only when every check is ok, or when the technician says why it is
    ready nonetheless (the override reason, which the board and the report show)."""
    if report.state != S.READY or report.override_reason.strip():
        return
    failed = unchecked(report.checklist)
    if failed:
        raise ReadinessRefused(
            "unchecked",
            _(
                "Not ready: %(items)s not checked ok. Check them, report a problem, or give "
                "the reason the site is ready nonetheless."
            )
            % {"items": ", ".join(str(CHECK_LABELS[item]) for item in failed)},
        )


def normalised(report: Report) -> Report:
    """The report as it is stored: its override reason stripped, and kept only where it
    overrides a failed check of a ready report. Any other report clears it, so a leg
    that leaves ready leaves its reason behind (the event log keeps it)."""
    reason = report.override_reason.strip()
    if report.state != S.READY or not unchecked(report.checklist):
        reason = ""
    return dataclasses.replace(report, override_reason=reason)


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
    # Only a ready report keeps its reason (normalised() drops it from any other).
    if report.state == S.READY and len(report.override_reason.strip()) > MAX_OVERRIDE_LENGTH:
        raise ReadinessRefused(
            "invalid",
            _("The reason for ready is longer than %(max)d characters.")
            % {"max": MAX_OVERRIDE_LENGTH},
        )
    ready_means_checked(report)


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
    nothing and returns the first outcome. Refusals raise ReadinessRefused."""
    (result,) = submit_reports([(report, user)], now)
    if isinstance(result, ReadinessRefused):
        raise result
    return result


def submit_reports(
    reports: list[tuple[Report, AbstractBaseUser]], now: datetime | None = None
) -> list[Outcome | ReadinessRefused]:
    """Apply reports in one transaction, each judged as if alone and in this order:
    the outcome of each, or why it was refused (a refusal changes nothing). A report
    the database refuses fails alone (write_batch).

    The server's sockets hand over every report that arrived while the last
    write was under way: a national session's hundreds of reports a second then
    cost a few transactions a second, not one each. Side effects: events
    appended, legs updated, each conference's readiness sequence raised, and
    after commit one nudge per conference to its boards."""
    now = now or timezone.now()
    results: list[Outcome | ReadinessRefused | None] = [None] * len(reports)
    valid = []
    reports = list(reports)
    for index, (report, user) in enumerate(reports):
        try:
            validate(report)
        except ReadinessRefused as refusal:
            results[index] = refusal
        else:
            reports[index] = (normalised(report), user)
            valid.append(index)
    for index, result in zip(
        valid, write_batch([reports[index] for index in valid], now), strict=True
    ):
        results[index] = result
    return results


def write_batch(
    reports: list[tuple[Report, AbstractBaseUser]], now: datetime
) -> list[Outcome | ReadinessRefused]:
    """Judge and write validated reports in one transaction; if the write fails for a
    reason a report may carry, each half is written apart, down to the report that
    fails alone: it is refused (`not_stored`), the others are stored.

    Halves, not one by one: one bad report among 500 costs about 18 transactions, not
    500. Each half is still judged in arrival order, after the halves before it."""
    if not reports:
        return []
    try:
        with transaction.atomic():
            judged, sequences = apply(reports, now)
    except (OperationalError, InterfaceError):
        raise  # the database is unreachable: no report would fare better alone
    except (DatabaseError, ValueError) as error:
        # A row the database refuses (a constraint, a value it cannot store: a driver
        # raises ValueError for text that is not UTF-8), or a client id committed
        # meanwhile by another server process.
        if len(reports) > 1:
            middle = len(reports) // 2
            return write_batch(reports[:middle], now) + write_batch(reports[middle:], now)
        return [unwritten(*reports[0], error)]
    for conference_id, seq in sequences.items():
        transaction.on_commit(functools.partial(announce_change, conference_id, seq))
    return judged


def announce_change(conference_id: int, seq: int) -> None:
    """Once committed: the boards' nudge, then the listeners above conferencing (webhooks).
    Neither raises: a report written stands whatever they do."""
    announce(conference_id, seq)
    readiness_signals.tell_listeners(conference_id, seq)


def unwritten(
    report: Report, user: AbstractBaseUser, error: Exception
) -> Outcome | ReadinessRefused:
    """The answer to one report whose write failed on its own."""
    if isinstance(error, IntegrityError) and report.client_id:
        # The same client id committed by a concurrent retry a moment ago.
        earlier = earlier_reports([(user, report.client_id)]).get((user.pk, report.client_id))
        if earlier is not None:
            return Outcome(earlier, replayed=True)
    logger.error("A readiness report could not be written: %r", report, exc_info=error)
    return ReadinessRefused(
        "not_stored", _("The report could not be stored: nothing of it was kept.")
    )


def earlier_reports(
    keys: list[tuple[AbstractBaseUser, str]],
) -> dict[tuple[int, str], ReadinessEvent]:
    """The events already written for these (user, client id) pairs."""
    keys = [(user, client_id) for user, client_id in keys if client_id]
    if not keys:
        return {}
    wanted = {(user.pk, client_id) for user, client_id in keys}
    events = ReadinessEvent.objects.filter(
        actor__in={user.pk for user, _ in keys}, client_id__in={client_id for _, client_id in keys}
    )
    return {
        (event.actor_id, event.client_id): event
        for event in events
        if (event.actor_id, event.client_id) in wanted
    }


def apply(
    reports: list[tuple[Report, AbstractBaseUser]], now: datetime
) -> tuple[list[Outcome | ReadinessRefused], dict[int, int]]:
    """Judge and write validated reports; their outcomes, and each touched
    conference's new readiness sequence. A fixed number of statements."""
    leg_ids = sorted({report.leg_id for report, _ in reports})
    # Conferences, then legs: the order in which moving, re-siting and cancelling a
    # session take them (the meeting and its conference, then the legs). Leg first
    # would deadlock a report against a reschedule in the open window; this way the
    # report waits for the move and judges the new times. Each in order of id, so
    # two batches never wait for each other's rows crosswise.
    conferences = readiness_rows.lock_conferences(leg_ids, now)
    legs = readiness_rows.lock_legs(leg_ids, now)
    served = readiness_rows.technician_pairs(
        {leg.endpoint_id for leg in legs.values()}, {user.pk for _, user in reports}
    )
    # Retries, perhaps ones that waited for these locks behind their first attempt:
    # answered with that one (judged against the state it produced, they would be
    # refused), even after the window closed.
    earlier = earlier_reports([(user, report.client_id) for report, user in reports])
    outcomes: list[Outcome | ReadinessRefused] = []
    events: list[ReadinessEvent] = []
    for report, user in reports:
        replayed = earlier.get((user.pk, report.client_id)) if report.client_id else None
        if replayed is not None:
            outcomes.append(Outcome(replayed, replayed=True))
            continue
        leg = legs.get(report.leg_id)
        try:
            conference = judge(report, user, leg, conferences, served)
        except ReadinessRefused as refusal:
            outcomes.append(refusal)
            continue
        conference.seq += 1
        event = ReadinessEvent(
            leg_id=report.leg_id,
            seq=conference.seq,
            actor=user,
            at=now,
            from_state=leg.state,
            to_state=report.state,
            checklist=report.checklist,
            people_present=report.people_present,
            note=report.note,
            client_id=report.client_id,
            override_reason=report.override_reason,
        )
        leg.apply(event)
        events.append(event)
        outcomes.append(Outcome(event, replayed=False))
        if report.client_id:
            earlier[(user.pk, report.client_id)] = event
    if events:
        readiness_rows.write(events, legs, conferences)
    return outcomes, {
        conference.pk: conference.seq for conference in conferences.values() if conference.changed
    }


def may_report_on(leg_id: int, user: AbstractBaseUser) -> bool:
    """Whether the user reports on this leg at all: a reserved leg of a site they serve.
    The first question `judge` asks (there of rows locked in a batch), for an edge that
    answers "no such leg" before it reads the report; one query."""
    return Leg.objects.filter(pk=leg_id, is_reserved=True, endpoint__technicians=user.pk).exists()


def judge(
    report: Report,
    user: AbstractBaseUser,
    leg: "readiness_rows.LockedLeg | None",
    conferences: "dict[int, readiness_rows.LockedConference]",
    served: set[tuple[int, int]],
) -> "readiness_rows.LockedConference":
    """The report's conference if the rules accept the report; else ReadinessRefused."""
    # Another site's leg is answered as a missing one: a refusal must not tell whether
    # the leg exists (of a confidential session, say).
    if leg is None or not leg.is_reserved or (leg.endpoint_id, user.pk) not in served:
        raise ReadinessRefused("not_found", _("This site is not in that session."))
    conference = conferences[leg.conference_id]
    if conference.status != ConferenceStatus.SCHEDULED or not leg.window_open:
        raise ReadinessRefused(
            "outside_window",
            _("Reports are accepted from the start of the setup window until the session ends."),
        )
    error = transition_error(leg.state, report.state, conference.started)
    if error:
        raise ReadinessRefused("illegal_transition", error)
    return conference
