"""What the shared templates need to offer readiness pages: the console to technicians,
the board and the report on a meeting's page to those who may open them."""

from django import template
from django.utils import timezone

from accounts import roles
from accounts.roles import User
from conferencing.models import Leg
from meetings.models import Meeting, MeetingStatus
from meetings.visibility import may_watch

register = template.Library()


@register.filter
def is_technician(user: User) -> bool:
    """No query: the roles are read once per request (accounts.roles.roles_of)."""
    return roles.is_technician(user)


@register.simple_tag
def readiness_links(user: User, meeting: Meeting) -> dict[str, bool]:
    """Which readiness links the meeting page shows: the board (before the end) and the
    report (after) to those who may watch it — the one rule the pages and the board
    socket ask, visibility.may_watch — and the console to the technicians of its sites.
    One query, and one more for a technician."""
    if meeting.status == MeetingStatus.CANCELLED:
        return {"board": False, "report": False, "console": False}
    conference = meeting.conference
    ended = conference.end <= timezone.now()
    watch = may_watch(meeting, user)
    serves = (
        roles.is_technician(user)
        and not ended
        and Leg.objects.filter(conference=conference, endpoint__technicians=user.pk).exists()
    )
    return {"board": watch and not ended, "report": watch and ended, "console": serves}
