"""How the booking core tells the rest of the system that a meeting changed.

The core announces each action once (`announce`) and knows none of its listeners:
calendars, readiness notices and anything later connect to these signals in their
AppConfig.ready(). Two signals carry the same payload, because listeners need two
moments:

- `meeting_changing`, sent at once, inside the action's transaction: for what must
  commit or roll back with the change itself (the feeds' generation row, so every
  process sees a stale ETag the moment the change is visible). Its receivers write
  to the database only; they must not enqueue or send anything.
- `meeting_changed`, sent after the commit (nothing on rollback): for side effects
  that must never act on a change that did not happen (e-mails, tasks).

The payload is ids and ISO strings only, so a receiver can hand it to a task as is.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

meeting_changing = Signal()
meeting_changed = Signal()


class ChangeKind(StrEnum):
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    SITES_CHANGED = "sites_changed"
    CANCELLED = "cancelled"
    SERIES_BOOKED = "series_booked"
    ATTENDEES_CHANGED = "attendees_changed"
    DETAILS_CHANGED = "details_changed"


@dataclass(frozen=True)
class MeetingChange:
    """One action on one meeting or on several occurrences of one series.

    `opened_windows` lists the conferences whose readiness window is new (booked or
    moved) as (conference id, window opening in ISO 8601); empty for a change of sites
    or a cancellation, which leave the window where it was.

    What the people already told must hear about, since it is gone once committed:
    `previous_slots`, for a move, each meeting's former (id, start, end) in ISO 8601;
    `sites_added` and `sites_removed`, for a change of sites, the sites' ids;
    `attendees_removed`, for a change of attendees, the ids of the people taken off.
    """

    kind: ChangeKind
    meeting_ids: tuple[int, ...]
    series_id: int | None = None
    opened_windows: tuple[tuple[int, str], ...] = ()
    previous_slots: tuple[tuple[int, str, str], ...] = ()
    sites_added: tuple[int, ...] = ()
    sites_removed: tuple[int, ...] = ()
    attendees_removed: tuple[int, ...] = ()


def announce(change: MeetingChange) -> None:
    """Send `meeting_changing` now and `meeting_changed` once the transaction commits.

    Called once per action, inside its transaction, after the action's own writes and
    before its audit entry: the feeds' generation row is then locked for the last
    moment of the transaction, and always after the action's other locks.
    """
    meeting_changing.send(sender=MeetingChange, change=change)
    transaction.on_commit(lambda: tell_listeners(change), robust=True)


def tell_listeners(change: MeetingChange) -> None:
    """Send `meeting_changed` to every listener, each on its own: the change is committed,
    so one listener's failure (a queue that cannot be written) must neither make the
    action answer an error nor keep the other listeners from hearing it. Logged."""
    for receiver, outcome in meeting_changed.send_robust(sender=MeetingChange, change=change):
        if isinstance(outcome, Exception):
            logger.error(
                "%r failed to act on %s of meetings %s",
                receiver,
                change.kind,
                change.meeting_ids,
                exc_info=outcome,
            )
