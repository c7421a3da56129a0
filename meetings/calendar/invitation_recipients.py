"""Who gets invitations by e-mail, and for what: the one rule that the invitations
send by and that a personal feed without invitations leaves out.

A person gets invitations when their account is active, has an e-mail address and
they have not turned invitations off (no preference: on). They get them for the
sessions they attend and those of the sites they serve (meetings.calendar.invitations):
`invited_condition` says it per person (the feeds), `invited_users` per set of
meetings (the invitations), the same rule both ways.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from conferencing.models import Endpoint, Leg
from meetings.calendar.models import CalendarPreference
from meetings.models import Attendee, Meeting


def receives_invitations(user: AbstractBaseUser) -> bool:
    """Whether invitations by e-mail reach this person at all (reads their preference:
    select_related("calendar_preference") spares the query)."""
    if not user.is_active or not getattr(user, "email", ""):
        return False
    try:
        return user.calendar_preference.receive_invitations
    except CalendarPreference.DoesNotExist:
        return True


def invited_condition(user: AbstractBaseUser) -> Q:
    """The meetings this person is sent invitations for, when they receive any: those
    they attend, and those with a leg at a site they serve; subqueries, no duplicates."""
    served = Leg.objects.filter(endpoint__technicians=user).values("conference_id")
    return Q(pk__in=Attendee.objects.filter(user=user).values("meeting_id")) | Q(
        conference_id__in=served
    )


def invited_users(meetings: QuerySet[Meeting]) -> set[int]:
    """The ids of the people sent invitations for any of these meetings (when they
    receive any): their attendees and the technicians of their sites (cancelled
    meetings too: their legs stay, so their technicians hear of the cancellation)."""
    attendees = Attendee.objects.filter(meeting__in=meetings).values_list("user_id", flat=True)
    technicians = (
        Endpoint.objects.filter(legs__conference__meeting__in=meetings)
        .exclude(technicians=None)
        .values_list("technicians", flat=True)
    )
    return set(attendees) | set(technicians)
