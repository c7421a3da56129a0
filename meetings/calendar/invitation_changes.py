"""What an update e-mail says changed: the former time, the sites added and removed.

The booking core announces a change with what was true before it
(meetings.events.MeetingChange); the receiver hands that to the invitations task
as plain JSON (`payload_of`), and the task reads it back (`Change.of`) to tell each
recipient "08:00 → 14:00" or "sites added: …" instead of "this session has changed".
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conferencing.models import Endpoint
from meetings.events import ChangeKind, MeetingChange

DASH = "\N{EN DASH}"
# How many site names an e-mail lists before "and N more".
NAMED_SITES = 10
# How many moved occurrences an e-mail lists one by one.
NAMED_MOVES = 10


def payload_of(change: MeetingChange) -> dict:
    """The change as the task's JSON argument."""
    return {
        "kind": str(change.kind),
        "meetings": list(change.meeting_ids),
        "previous": {str(pk): [start, end] for pk, start, end in change.previous_slots},
        "added": list(change.sites_added),
        "removed": list(change.sites_removed),
        "attendees_removed": list(change.attendees_removed),
    }


@dataclass(frozen=True)
class Change:
    """A change as the task reads it back; the empty Change says nothing changed in
    particular (a booking, or a task enqueued before changes were described)."""

    kind: str = ""
    meeting_ids: tuple[int, ...] = ()
    previous: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    attendees_removed: tuple[int, ...] = ()

    @classmethod
    def of(cls, payload: dict | None) -> "Change":
        if not payload:
            return cls()
        return cls(
            kind=payload.get("kind", ""),
            meeting_ids=tuple(payload.get("meetings", ())),
            previous={
                int(pk): (datetime.fromisoformat(start), datetime.fromisoformat(end))
                for pk, (start, end) in payload.get("previous", {}).items()
            },
            added=tuple(payload.get("added", ())),
            removed=tuple(payload.get("removed", ())),
            attendees_removed=tuple(payload.get("attendees_removed", ())),
        )

    @property
    def cancels(self) -> bool:
        return self.kind == ChangeKind.CANCELLED

    @property
    def moves(self) -> bool:
        return self.kind == ChangeKind.RESCHEDULED


def span_text(start: datetime, end: datetime) -> str:
    """dd/mm/yyyy HH:mm to HH:mm, with the end's date when the session ends another day."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    first = date_format(start, "d/m/Y H:i")
    if end.date() == start.date():
        return f"{first} {DASH} {date_format(end, 'H:i')}"
    return f"{first} {DASH} {date_format(end, 'd/m/Y H:i')}"


@dataclass(frozen=True)
class SiteNames:
    """The names of the sites a change added and removed, NAMED_SITES of each at most,
    read in one query for every recipient of the change."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @classmethod
    def of(cls, change: Change) -> "SiteNames":
        added, removed = change.added[:NAMED_SITES], change.removed[:NAMED_SITES]
        if not added and not removed:
            return cls()
        names = dict(
            Endpoint.objects.filter(pk__in=(*added, *removed))
            .order_by("path")
            .values_list("pk", "name")
        )
        return cls(
            added=tuple(names[pk] for pk in added if pk in names),
            removed=tuple(names[pk] for pk in removed if pk in names),
        )


def change_lines(change: Change, rows: list[dict], sites: SiteNames) -> list[str]:
    """The lines of "What changed" for one recipient, in the active language: each moved
    occurrence of theirs as former → new time; the sites added and removed when they
    may read the session's details (a busy-only recipient sees times, never sites)."""
    lines = []
    moved = [row for row in rows if row["pk"] in change.previous]
    for row in moved[:NAMED_MOVES]:
        before = span_text(*change.previous[row["pk"]])
        after = span_text(row["conference__start"], row["conference__end"])
        lines.append(_("Time: %(before)s → %(after)s") % {"before": before, "after": after})
    if len(moved) > NAMED_MOVES:
        lines.append(
            ngettext(
                "… and %(count)d more session moved the same way.",
                "… and %(count)d more sessions moved the same way.",
                len(moved) - NAMED_MOVES,
            )
            % {"count": len(moved) - NAMED_MOVES}
        )
    if rows and all(row["details"] for row in rows):
        lines += sites_lines(len(change.added), sites.added, "added")
        lines += sites_lines(len(change.removed), sites.removed, "removed")
    return lines


def sites_lines(count: int, names: tuple[str, ...], which: str) -> list[str]:
    if not count:
        return []
    listed = ", ".join(names)
    if count > len(names):
        listed += " " + _("and %(count)d more") % {"count": count - len(names)}
    if which == "added":
        template = ngettext(
            "Site added (%(count)d): %(names)s", "Sites added (%(count)d): %(names)s", count
        )
    else:
        template = ngettext(
            "Site removed (%(count)d): %(names)s", "Sites removed (%(count)d): %(names)s", count
        )
    return [template % {"count": count, "names": listed}]
