"""The calendar's part of every booking change, called by meetings.booking and
meetings.series inside the change's transaction: feeds' validators go stale and,
after the commit, the invitations' e-mails are enqueued.

One call per action: `meeting_changed` (booked, moved, re-sited, cancelled) or
`series_booked`. The feeds' generation is one database row (FeedsStamp) raised in
the change's own transaction, so it commits or rolls back with the change and every
process sees it at once; a validator computed under an older generation is stale.
Nothing here touches the cache: a booking never depends on Redis.

Every booking action raises it after its other writes (sites, bridge, meeting,
legs), with only the audit entry after it, so bookings hold the row's lock for the
last moment of their transaction and always take it after their other locks.
"""

from django.db.models import F
from django.utils import timezone

from meetings.calendar.invitations import schedule_invitations, schedule_series_invitations
from meetings.calendar.models import FeedsStamp
from meetings.models import Meeting, Series

STAMP_PK = 1


def meeting_changed(meeting: Meeting) -> None:
    feeds_changed()
    schedule_invitations(meeting)


def series_booked(series: Series) -> None:
    feeds_changed()
    schedule_series_invitations(series)


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
