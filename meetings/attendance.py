"""Who attends a session: adding, re-roling and removing attendees after booking.

Each function is one transaction on one meeting the caller may change (the view asks
meetings.visibility.changeable): it locks the meeting, refuses a session that is over,
started or cancelled (`booking.change_refusal`, as `SessionClosed`), writes, raises the
SEQUENCE calendar clients compare, announces ATTENDEES_CHANGED (the calendar sends
the new attendee an invitation, the others an update, the removed one a withdrawal)
and leaves an audit entry naming the person and the role, never the title.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meetings.booking import BookingError, change_refusal, revise
from meetings.events import ChangeKind
from meetings.models import Attendee, AttendeeRole, Meeting
from meetings.revisions import refuse_stale


class SessionClosed(Exception):
    """The session can no longer be changed (over, started or cancelled): a conflict with
    its state, not a wrong request."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def invitable_users() -> QuerySet:
    """Whom a session may invite: every active person, whichever office they belong to
    (the rule booking applies to `details.attendees`, meetings.api.serializers)."""
    return get_user_model().objects.filter(is_active=True)


def unknown_invitees(user_ids: list[int]) -> list[int]:
    """Of these ids, in order, those nobody invitable has; one query."""
    known = set(invitable_users().filter(pk__in=user_ids).values_list("pk", flat=True))
    return sorted(set(user_ids) - known)


def lock_open(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock; SessionClosed unless it may still change,
    StaleRevision if the caller expected another revision (meetings.revisions)."""
    locked = Meeting.objects.select_for_update().select_related("conference").get(pk=meeting.pk)
    refusal = change_refusal(locked)
    if refusal is not None:
        raise SessionClosed(refusal)
    refuse_stale(locked)
    return locked


def refuse_unknown_role(role: str) -> None:
    if role not in AttendeeRole.values:
        raise BookingError(_("Choose the role chair, member or observer."), "role")


def add_attendee(meeting: Meeting, user_id: int, role: str, actor: AbstractBaseUser) -> Attendee:
    """Invite one more person with this role; audited as meeting.attendee_added."""
    refuse_unknown_role(role)
    if unknown_invitees([user_id]):
        raise BookingError(_("Unknown users: %(ids)s.") % {"ids": user_id}, "user")
    with transaction.atomic():
        meeting = lock_open(meeting)
        if meeting.attendees.filter(user_id=user_id).exists():
            raise BookingError(_("This person is already invited."), "user")
        attendee = Attendee.objects.create(meeting=meeting, user_id=user_id, role=role)
        revise(
            meeting,
            actor,
            "meeting.attendee_added",
            {"user": user_id, "role": role},
            ChangeKind.ATTENDEES_CHANGED,
        )
    return attendee


def change_role(meeting: Meeting, user_id: int, role: str, actor: AbstractBaseUser) -> Attendee:
    """Give an attendee another role; Attendee.DoesNotExist for someone not invited.
    The same role again changes nothing (no new SEQUENCE, no e-mail, no entry)."""
    refuse_unknown_role(role)
    with transaction.atomic():
        meeting = lock_open(meeting)
        attendee = meeting.attendees.select_for_update().get(user_id=user_id)
        if attendee.role == role:
            return attendee
        before = attendee.role
        attendee.role = role
        attendee.save(update_fields=["role"])
        revise(
            meeting,
            actor,
            "meeting.attendee_role_changed",
            {"user": user_id, "from": before, "to": role},
            ChangeKind.ATTENDEES_CHANGED,
        )
    return attendee


def remove_attendee(meeting: Meeting, user_id: int, actor: AbstractBaseUser) -> None:
    """Take a person off the session; Attendee.DoesNotExist for someone not invited. The
    calendar tells them they were removed (attendees_removed in the event)."""
    with transaction.atomic():
        meeting = lock_open(meeting)
        attendee = meeting.attendees.select_for_update().get(user_id=user_id)
        role = attendee.role
        attendee.delete()
        revise(
            meeting,
            actor,
            "meeting.attendee_removed",
            {"user": user_id, "role": role},
            ChangeKind.ATTENDEES_CHANGED,
            attendees_removed=(user_id,),
        )
