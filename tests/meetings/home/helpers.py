"""What the home page's tests share: sessions put at a given time (booking refuses the
past), readiness states, and published minutes.

The world: TW → T01 (X0101, X0102) and T02 (X0201, X0202); alice (central office,
VPCP) books; bob serves X0101 and X0102; carol is invited where a test says so."""

import itertools
from datetime import datetime, timedelta

from conferencing.jurisdiction import booking_office
from conferencing.models import Conference, Leg
from conferencing.site_selection import SiteSelection
from meetings.models import Meeting
from meetings.records.models import RecordKind, RecordStatus
from tests.factories import (
    BridgeFactory,
    DetailsFactory,
    RecordFactory,
    RecordVersionFactory,
    booked,
    local_time,
)

# Each session booked on a day of its own, so that none conflicts with another.
BOOKING_DAYS = itertools.count(20)


def session_at(
    user,
    start: datetime,
    sites: tuple[str, ...] = ("T01", "X0101", "X0102"),
    hours: float = 2,
    attendees=(),
    **details,
) -> Meeting:
    """A session booked by `user` (on a bridge of their office) and then moved to `start`
    (past included)."""
    office = booking_office(user)
    meeting = booked(
        user,
        details=DetailsFactory(attendees=tuple((a.pk, "member") for a in attendees), **details),
        sites=SiteSelection(sites=sites),
        host_code=sites[0],
        slot__start=local_time(next(BOOKING_DAYS), 8),
        bridge_id=BridgeFactory(name=f"MCU {office.code}", owner=office).pk,
    )
    conference = meeting.conference
    end = start + timedelta(hours=hours)
    Conference.objects.filter(pk=conference.pk).update(start=start, end=end)
    Leg.objects.filter(conference=conference).update(
        reserved_from=start - timedelta(minutes=conference.setup_minutes), reserved_until=end
    )
    conference.refresh_from_db()
    return meeting


def set_states(meeting: Meeting, **states: str) -> None:
    """`set_states(meeting, X0101="ready", X0102="problem")`."""
    for code, state in states.items():
        Leg.objects.filter(conference=meeting.conference, endpoint__code=code).update(state=state)


def publish_minutes(meeting: Meeting, at: datetime, status: str = RecordStatus.PUBLISHED):
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title="Biên bản")
    return RecordVersionFactory(
        record=record,
        status=status,
        published_at=at if status == RecordStatus.PUBLISHED else None,
    )
