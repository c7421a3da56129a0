"""One site's readiness in detail, for the board's panel: what the snapshot's cell says
and what it leaves out (the override reason, who serves the site and how to call them,
every report of the session's leg).

The board's snapshot stays small (one line per site); this is asked for one site when
a watcher opens it. Who may ask is decided by the caller, which passes the part of the
board it watches (conferencing.watch_policy.BoardPart): a leg outside that part answers
exactly like a leg that does not exist. Three queries whatever the session's size.
"""

from accounts.names import full_name
from conferencing.instants import iso
from conferencing.models import Leg, LegRole, Level, ReadinessEvent
from conferencing.readiness_board import of_part
from conferencing.watch_policy import BoardPart

# The newest reports shown in the panel; a leg rarely has more than a dozen.
HISTORY_LIMIT = 50


def leg_detail(conference_id: int, leg_id: int, part: BoardPart) -> dict | None:
    """The leg `leg_id` of the conference as JSON-safe data, or None when there is no
    such leg in `part` of its board; three queries."""
    leg = (
        of_part(Leg.objects.filter(conference_id=conference_id, pk=leg_id), part)
        .select_related("endpoint")
        .first()
    )
    if leg is None:
        return None
    site = leg.endpoint
    technicians = site.technicians.filter(is_active=True).select_related("person").order_by("pk")
    events = (
        ReadinessEvent.objects.filter(leg=leg)
        .select_related("actor__person")
        .order_by("-seq")[:HISTORY_LIMIT]
    )
    return {
        "leg": leg.pk,
        "site": site.code,
        "name": site.name,
        "level": Level(site.level).slug,
        "host": leg.role == LegRole.HOST,
        "state": leg.state,
        "seq": leg.state_seq,
        "at": iso(leg.state_changed_at) if leg.state_changed_at else None,
        "people": leg.people_present,
        "note": leg.note,
        "checklist": leg.checklist if isinstance(leg.checklist, dict) else {},
        "override": leg.override_reason,
        "site_phone": site.contact_phone,
        "technicians": [{"name": full_name(user), "phone": phone_of(user)} for user in technicians],
        "history": [
            {
                "seq": event.seq,
                "at": iso(event.at),
                "from": event.from_state,
                "to": event.to_state,
                "by": full_name(event.actor),
                "people": event.people_present,
                "note": event.note,
                "override": event.override_reason,
                "checklist": event.checklist if isinstance(event.checklist, dict) else {},
            }
            for event in events
        ],
    }


def phone_of(user) -> str:
    person = getattr(user, "person", None)  # a missing one-to-one raises AttributeError
    return person.phone if person is not None else ""
