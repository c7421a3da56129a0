"""What the shared templates need to offer readiness pages: the console to technicians,
the board and the report on a meeting's page to those who may open them."""

from django import template
from django.utils import timezone

from accounts import roles
from accounts.roles import User
from conferencing.conference_models import Leg, LegRole
from meetings.models import Meeting, MeetingStatus

register = template.Library()


@register.filter
def is_technician(user: User) -> bool:
    """No query: the roles are read once per request (accounts.roles.roles_of)."""
    return roles.is_technician(user)


@register.simple_tag
def readiness_links(user: User, meeting: Meeting) -> dict[str, bool]:
    """Which readiness links the meeting page shows: the board to those who may watch it
    (readiness_board.may_watch), the report after the session, the console to the
    technicians of its sites. No query for the secretariat, one for anyone else."""
    if meeting.status == MeetingStatus.CANCELLED:
        return {"board": False, "report": False, "console": False}
    conference = meeting.conference
    ended = conference.end <= timezone.now()
    if roles.is_secretariat(user):
        served: set[str] = set()
        watch = True
    else:
        served = set(
            Leg.objects.filter(conference=conference, endpoint__technicians=user.pk).values_list(
                "role", flat=True
            )
        )
        watch = LegRole.HOST in served
    return {
        "board": watch and not ended,
        "report": watch and ended,
        "console": bool(served) and roles.is_technician(user) and not ended,
    }
