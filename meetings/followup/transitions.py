"""The task's state machine: which step may happen in which state, and where it leads.

The one place that knows it; actions.py asks `next_state` before writing anything and
answers a step that does not fit the state with WrongState (409 in the API, a message
on the page).

    open ─┬─ progress ──────────────▶ in_progress
    in_progress / sent_back ─ progress ─▶ in_progress
    open / in_progress / sent_back ─ extension requested ─▶ extension_requested
    extension_requested ─ progress ─▶ extension_requested (still waiting)
    extension_requested ─ granted / refused ─▶ the state it was asked in
    open / in_progress / sent_back ─ completion reported ─▶ completion_reported
    completion_reported ─ accepted ─▶ done
    completion_reported ─ sent back ─▶ sent_back
"""

from django.utils.translation import gettext as _

from meetings.conclusions.models import TaskState
from meetings.followup.models import EventKind

WORKING = {TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.SENT_BACK}

# What the assigned office does (report) and what the assigning office does (decide).
REPORTS = {EventKind.PROGRESS, EventKind.EXTENSION_REQUESTED, EventKind.COMPLETION_REPORTED}
DECISIONS = {
    EventKind.EXTENSION_GRANTED,
    EventKind.EXTENSION_REFUSED,
    EventKind.ACCEPTED,
    EventKind.SENT_BACK,
}


class WrongState(Exception):
    """The step does not fit the task's state; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# For each step, the states it may happen in.
FROM = {
    EventKind.PROGRESS: {*WORKING, TaskState.EXTENSION_REQUESTED},
    EventKind.EXTENSION_REQUESTED: WORKING,
    EventKind.COMPLETION_REPORTED: WORKING,
    EventKind.EXTENSION_GRANTED: {TaskState.EXTENSION_REQUESTED},
    EventKind.EXTENSION_REFUSED: {TaskState.EXTENSION_REQUESTED},
    EventKind.ACCEPTED: {TaskState.COMPLETION_REPORTED},
    EventKind.SENT_BACK: {TaskState.COMPLETION_REPORTED},
}
# Where a step leads, when that does not depend on the state it happened in.
TO = {
    EventKind.EXTENSION_REQUESTED: TaskState.EXTENSION_REQUESTED,
    EventKind.COMPLETION_REPORTED: TaskState.COMPLETION_REPORTED,
    EventKind.ACCEPTED: TaskState.DONE,
    EventKind.SENT_BACK: TaskState.SENT_BACK,
}


def next_state(state: str, kind: str, state_asked_in: str | None = None) -> str:
    """The task's state after `kind` happens in `state`; WrongState when it may not.
    `state_asked_in` is the state an extension was asked in, for its decision."""
    if state not in FROM.get(kind, ()):
        raise WrongState(refusal(state, kind))
    if kind == EventKind.PROGRESS:
        return state if state == TaskState.EXTENSION_REQUESTED else TaskState.IN_PROGRESS
    if kind in (EventKind.EXTENSION_GRANTED, EventKind.EXTENSION_REFUSED):
        return state_asked_in if state_asked_in in WORKING else TaskState.IN_PROGRESS
    return TO[kind]


def refusal(state: str, kind: str) -> str:
    if state == TaskState.DONE:
        return _("The task is done: nothing more can be reported or decided on it.")
    if kind in (EventKind.EXTENSION_GRANTED, EventKind.EXTENSION_REFUSED):
        return _("No extension is waiting for a decision on this task.")
    if kind in (EventKind.ACCEPTED, EventKind.SENT_BACK):
        return _("No completion is waiting for a decision on this task.")
    if state == TaskState.EXTENSION_REQUESTED:
        return _("An extension is waiting for a decision: wait for it first.")
    return _("The task's completion is waiting for a decision: wait for it first.")


def allowed(state: str, kind: str) -> bool:
    try:
        next_state(state, kind, TaskState.IN_PROGRESS)
    except WrongState:
        return False
    return True
