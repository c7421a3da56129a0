"""The steps of a task after publishing, each one transaction: check who may (access),
check the state (transitions), write the task and its TaskEvent, store the evidence,
audit, announce (signals) after the commit.

Each raises access.NoSuchTask when the user may not take the step (a 404, as a missing
task), transitions.WrongState when the task's state does not allow it (409), and
StepRefused for bad input (400); nothing is written then.
"""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from conferencing import jurisdiction
from conferencing.jurisdiction import User
from meetings.conclusions.models import Task, TaskState
from meetings.followup import access, evidence, signals
from meetings.followup.evidence import EvidenceRefused
from meetings.followup.models import EventKind, EvidenceFile, TaskEvent
from meetings.followup.transitions import next_state

MAX_NOTE_LENGTH = 4000


class StepRefused(ValueError):
    """Bad input: `field` names what is wrong (`__all__` for the whole step)."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _locked(task: Task) -> Task:
    """The task's row again, locked for the step (two people deciding at once: the
    second sees the first one's state)."""
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("office", "item__notice__meeting__owner_office")
        .get(pk=task.pk)
    )


def _step(
    user: User,
    task: Task,
    kind: str,
    *,
    note: str = "",
    percent: int | None = None,
    new_deadline: date | None = None,
    files: list[UploadedFile] = (),  # type: ignore[assignment]
) -> TaskEvent:
    deciding = kind not in (
        EventKind.PROGRESS,
        EventKind.EXTENSION_REQUESTED,
        EventKind.COMPLETION_REPORTED,
    )
    allowed = access.may_decide if deciding else access.may_report
    if not allowed(user, task):
        raise access.NoSuchTask
    if len(note) > MAX_NOTE_LENGTH:
        raise StepRefused(_("At most %(count)d characters.") % {"count": MAX_NOTE_LENGTH}, "note")
    try:
        evidence.check(list(files))
    except EvidenceRefused as error:
        raise StepRefused(error.message, "files") from None
    office = jurisdiction.booking_office(user)
    stored = evidence.store(task.pk, list(files)) if files else []
    try:
        with transaction.atomic():
            event = _write(user, _locked(task), kind, office, note, percent, new_deadline)
            EvidenceFile.objects.bulk_create(
                EvidenceFile(
                    event=event,
                    name=item.name,
                    key=item.key,
                    size=item.size,
                    sha256=item.sha256,
                    content_type=item.content_type,
                )
                for item in stored
            )
            trail.record(
                user,
                f"task.{kind}",
                event.task,
                {
                    "event": event.pk,
                    "state": event.state_after,
                    "percent": event.percent,
                    "note": note,
                    "new_deadline": new_deadline.isoformat() if new_deadline else None,
                    "evidence": [{"name": f.name, "sha256": f.sha256} for f in stored],
                },
            )
            signals.announce(event.pk)
    except BaseException:
        evidence.discard(stored)
        raise
    task.refresh_from_db(fields=["state", "percent", "deadline_on"])
    return event


def _write(user, task, kind, office, note, percent, new_deadline) -> TaskEvent:
    """Check the state, move the task, append its event; inside the transaction."""
    asked_in = None
    pending = None
    if kind in (EventKind.EXTENSION_GRANTED, EventKind.EXTENSION_REFUSED):
        pending = pending_extension(task)
        asked_in = pending.state_before if pending else None
    state = next_state(task.state, kind, asked_in)
    old_deadline = task.deadline_on
    completed_on = None
    if kind == EventKind.PROGRESS:
        task.percent = percent if percent is not None else task.percent
    elif kind == EventKind.COMPLETION_REPORTED:
        task.percent = 100
    elif kind == EventKind.EXTENSION_GRANTED:
        new_deadline = pending.new_deadline if pending else None
        if new_deadline is not None:
            task.deadline_on = new_deadline
    elif kind == EventKind.EXTENSION_REFUSED:
        new_deadline = None
    elif kind == EventKind.ACCEPTED:
        completed_on = last_completion_day(task)
    event = TaskEvent.objects.create(
        task=task,
        kind=kind,
        actor=user if user.is_authenticated else None,
        office=office,
        state_before=task.state,
        state_after=state,
        percent=task.percent,
        note=note,
        new_deadline=new_deadline,
        old_deadline=old_deadline,
        completed_on=completed_on,
    )
    task.state = state
    task.save(update_fields=["state", "percent", "deadline_on", "updated_at"])
    return event


def pending_extension(task: Task) -> TaskEvent | None:
    if task.state != TaskState.EXTENSION_REQUESTED:
        return None
    return (
        TaskEvent.objects.filter(task=task, kind=EventKind.EXTENSION_REQUESTED)
        .order_by("-at", "-id")
        .first()
    )


def last_completion_day(task: Task) -> date:
    reported = (
        TaskEvent.objects.filter(task=task, kind=EventKind.COMPLETION_REPORTED)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(reported or timezone.now())


def _required(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise StepRefused(_("Give a reason."), field)
    return text


# -- What the assigned office does ----------------------------------------------------------------


def report_progress(
    user: User, task: Task, *, percent: int, note: str = "", files: list[UploadedFile] = ()
) -> TaskEvent:
    """Side effects: the task's state (in progress) and percent; a TaskEvent "progress"
    with its evidence files stored; an audit entry "task.progress"; task_changed."""
    if not 0 <= percent <= 100:
        raise StepRefused(_("Give a percentage from 0 to 100."), "percent")
    return _step(user, task, EventKind.PROGRESS, note=note.strip(), percent=percent, files=files)


def request_extension(user: User, task: Task, *, new_deadline: date, reason: str) -> TaskEvent:
    """Ask the assigning office for a later deadline (after the current one).

    Side effects: the task waits (extension_requested); a TaskEvent with the date asked
    for; an audit entry "task.extension_requested"; task_changed."""
    reason = _required(reason, "reason")
    if new_deadline <= task.deadline_on:
        raise StepRefused(_("Ask for a date after the current deadline."), "new_deadline")
    return _step(user, task, EventKind.EXTENSION_REQUESTED, note=reason, new_deadline=new_deadline)


def report_completion(
    user: User, task: Task, *, note: str = "", files: list[UploadedFile] = ()
) -> TaskEvent:
    """Side effects: the task waits for acceptance (completion_reported, 100 %); a
    TaskEvent with its evidence; an audit entry "task.completion_reported"; task_changed."""
    return _step(user, task, EventKind.COMPLETION_REPORTED, note=note.strip(), files=files)


# -- What the assigning office does ---------------------------------------------------------------


def decide_extension(user: User, task: Task, *, grant: bool, reason: str = "") -> TaskEvent:
    """Grant (the deadline becomes the date asked for) or refuse (a reason is required).

    Side effects: the task back in the state it was asked in, its deadline when granted;
    a TaskEvent "extension_granted" / "extension_refused"; an audit entry; task_changed."""
    if not grant:
        reason = _required(reason, "reason")
    kind = EventKind.EXTENSION_GRANTED if grant else EventKind.EXTENSION_REFUSED
    return _step(user, task, kind, note=(reason or "").strip())


def decide_completion(user: User, task: Task, *, accept: bool, reason: str = "") -> TaskEvent:
    """Accept (done) or send back (a reason is required).

    Side effects: the task done or sent back; a TaskEvent "accepted" (with the day the
    completion was reported) or "sent_back"; an audit entry; task_changed."""
    if not accept:
        reason = _required(reason, "reason")
    kind = EventKind.ACCEPTED if accept else EventKind.SENT_BACK
    return _step(user, task, kind, note=(reason or "").strip())


def accepted_day(task: Task) -> date | None:
    """The day the accepted completion was reported (None while not done)."""
    return (
        TaskEvent.objects.filter(task=task, kind=EventKind.ACCEPTED)
        .order_by("-at", "-id")
        .values_list("completed_on", flat=True)
        .first()
    )
