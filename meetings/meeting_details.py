"""Editing what a session is about after booking: its title, agenda and classification.

Confidentiality is read from the meeting's row by every question of
meetings.visibility, so changing the classification changes who may read the session
at once: nothing else to update. The calendar re-renders each recipient's update for
what they may now read (busy time for those not invited to a session made
confidential).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.attendance import lock_open
from meetings.booking import BookingError, revise
from meetings.events import ChangeKind
from meetings.models import Classification, Meeting

EDITABLE = ("title", "agenda", "classification")


def change_details(meeting: Meeting, changes: dict[str, str], actor: AbstractBaseUser) -> Meeting:
    """Set the given fields (of EDITABLE); values equal to the current ones change nothing,
    and nothing changed raises no SEQUENCE and sends nothing. Audited as
    meeting.details_changed with the fields' names (and the classification before and
    after), never the title or the agenda, which the trail's readers may not read."""
    if unknown := sorted(set(changes) - set(EDITABLE)):
        raise BookingError(
            _("These fields cannot be changed here: %(names)s.") % {"names": ", ".join(unknown)}
        )
    if "title" in changes:
        changes = {**changes, "title": changes["title"].strip()}
        if not changes["title"]:
            raise BookingError(_("Give the session a title."), "title")
    if "classification" in changes and changes["classification"] not in Classification.values:
        raise BookingError(_("Choose a known classification."), "classification")
    with transaction.atomic():
        meeting = lock_open(meeting)
        changed = sorted(name for name, value in changes.items() if getattr(meeting, name) != value)
        if not changed:
            return meeting
        summary: dict = {"fields": changed}
        if "classification" in changed:
            summary["classification"] = {
                "from": meeting.classification,
                "to": changes["classification"],
            }
        for name in changed:
            setattr(meeting, name, changes[name])
        meeting.save(update_fields=changed)
        return revise(
            meeting, actor, "meeting.details_changed", summary, ChangeKind.DETAILS_CHANGED
        )
