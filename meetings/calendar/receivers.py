"""The calendar's part of every booking change: it listens to meetings.events.

Inside the change's transaction (`meeting_changing`) the feeds' validators go stale;
after the commit (`meeting_changed`) the invitations' e-mails are enqueued, once per
action. The feeds' generation is one database row (FeedsStamp) raised in the change's
own transaction, so it commits or rolls back with the change and every process sees
it at once; a validator computed under an older generation is stale. Nothing here
touches the cache: a booking never depends on Redis.

The core announces after its other writes (sites, bridge, meeting, legs), with only
the audit entry after it, so bookings hold the row's lock for the last moment of
their transaction and always take it after their other locks.
"""

from django.db.models import F
from django.utils import timezone

from meetings.calendar.invitations import enqueue_change
from meetings.calendar.models import FeedsStamp
from meetings.events import MeetingChange

STAMP_PK = 1


def on_meeting_changing(sender: type, change: MeetingChange, **kwargs: object) -> None:
    feeds_changed()


def on_meeting_changed(sender: type, change: MeetingChange, **kwargs: object) -> None:
    """Enqueue the invitations of the change (meetings.calendar.invitations decides what
    travels: a meeting, a series, or some of its occurrences)."""
    enqueue_change(change)


def feeds_changed() -> None:
    """Raise the feeds' generation; also for changes made outside the booking actions
    (a script, a shell) that should reach feeds before their validators expire."""
    now = timezone.now()
    stamps = FeedsStamp.objects.filter(pk=STAMP_PK)
    if not stamps.update(generation=F("generation") + 1, changed_at=now):
        # The first change ever (or after a flush): make the row, then raise it; another
        # transaction making it at the same time is fine.
        FeedsStamp.objects.bulk_create([FeedsStamp(pk=STAMP_PK)], ignore_conflicts=True)
        stamps.update(generation=F("generation") + 1, changed_at=now)


def generation() -> int:
    """The feeds' generation: one read by primary key."""
    return FeedsStamp.objects.filter(pk=STAMP_PK).values_list("generation", flat=True).first() or 0
