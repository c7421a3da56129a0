"""A meeting's revision tag (the API's ETag), and the check that a change was asked
against the revision the caller last read.

The tag changes with every change of the meeting: SEQUENCE rises with each change
calendar clients see (booking.raise_sequence), and `updated_at` with any save.

The check runs where the change locks the meeting's row (booking.lock_changeable), in
the change's own transaction: between the check and the write no other change can
slip in, and a stale revision raises before anything is written. The caller states
what it expects around the domain call (`expecting`), so the many paths that lock a
meeting (one session, or it and the following ones of its series) need no new
parameter each.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext as _

from meetings.models import Meeting

# (meeting id, the tags the caller accepts) while a change is asked with a condition.
_expected: ContextVar[tuple[int, tuple[str, ...]] | None] = ContextVar(
    "expected_revision", default=None
)


class StaleRevision(Exception):
    """The meeting changed since the caller read it; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("The session changed since you read it; nothing was changed."))


def revision_tag(meeting: Meeting) -> str:
    """`<sequence>-<16 hex digits of the SHA-256 of updated_at>`."""
    moment = meeting.updated_at.isoformat()
    return f"{meeting.sequence}-{hashlib.sha256(moment.encode()).hexdigest()[:16]}"


@contextmanager
def expecting(meeting_id: int, tags: tuple[str, ...] | None) -> Iterator[None]:
    """Changes of meeting `meeting_id` inside this block refuse (StaleRevision) unless
    its revision is one of `tags`; None: any revision will do."""
    token = _expected.set(None if tags is None else (meeting_id, tags))
    try:
        yield
    finally:
        _expected.reset(token)


def refuse_stale(locked: Meeting) -> None:
    """Called with the meeting's row locked, before a change writes anything."""
    expected = _expected.get()
    if expected is None:
        return
    meeting_id, tags = expected
    if locked.pk == meeting_id and revision_tag(locked) not in tags:
        raise StaleRevision
