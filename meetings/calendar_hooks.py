"""The calendar's part of every booking change, called by meetings.booking and
meetings.series inside the change's transaction: feeds' cached validators go stale
and, after the commit, the invitations' e-mails are enqueued.

One call per action: `meeting_changed` (booked, moved, re-sited, cancelled) or
`series_booked`. The feeds' generation is a counter in the cache that every
cached validator is filed under; raising it makes them all stale. It is raised
at once (tests and same-process readers) and again after the commit, so a
validator computed from the old rows in between does not outlive the commit.
With the in-process cache each process has its own counter; changes made in
another process (and changes outside these actions, such as a technician
added to a site) reach a feed within VALIDATOR_SECONDS anyway.
"""

from django.core.cache import cache
from django.db import transaction

from meetings.invitations import schedule_invitations, schedule_series_invitations
from meetings.models import Meeting, Series

GENERATION_KEY = "cal:generation"


def meeting_changed(meeting: Meeting) -> None:
    feeds_changed()
    schedule_invitations(meeting)


def series_booked(series: Series) -> None:
    feeds_changed()
    schedule_series_invitations(series)


def feeds_changed() -> None:
    raise_generation()
    transaction.on_commit(raise_generation)


def raise_generation() -> None:
    if cache.add(GENERATION_KEY, 1, None):
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(GENERATION_KEY, 1, None)


def generation() -> int:
    return cache.get(GENERATION_KEY, 0)
