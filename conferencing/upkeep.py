"""Upkeep of offices, sites and bridges from the management pages: each change is
checked against the user's scope (conferencing.jurisdiction), saved, and written to
the audit trail in one transaction.

Forms check the same rules first to word their errors; these functions check them
again so no caller can write past the scope. Each raises
`jurisdiction.OutsideJurisdiction` (nothing written) when the user may not make the change.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from audit import trail
from conferencing import jurisdiction
from conferencing.jurisdiction import OutsideJurisdiction, User
from conferencing.models import Bridge, Endpoint, Office


def _value(value: object) -> Any:
    """A JSON-safe audit value: a row by its primary key, rows by their sorted keys."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_value(item) for item in value)
    return value


def _changes(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        changes[name] = _value(getattr(instance, attname))
    return changes


def _require_site(user: User, site: Endpoint) -> None:
    if not jurisdiction.may_manage_site(user, site):
        office = jurisdiction.booking_office(user)
        if office is None:
            raise OutsideJurisdiction(_("You manage no sites."))
        raise OutsideJurisdiction(jurisdiction.outside_message([site.code], office))


# -- Sites ------------------------------------------------------------------------------------


def create_site(user: User, site: Endpoint) -> Endpoint:
    """Save a new site under a parent the user manages.

    Side effects: one Endpoint row; one audit entry "site.created" with its fields.
    """
    jurisdiction.require_managed_parent(user, site.parent)
    with transaction.atomic():
        site.save()
        trail.record(
            user,
            "site.created",
            site,
            _changes(site, ["code", "name", "level", "parent", "is_active"]),
        )
    return site


def update_site(
    user: User, site: Endpoint, changed: Sequence[str], old_parent_id: int | None
) -> Endpoint:
    """Save the changed fields of a site the user manages; a new parent must be managed
    too (an unchanged one may lie above, as the jurisdiction's own root's does).

    Side effects: the site's row (and its sub-sites' paths if it moved); one audit entry
    "site.updated" with the changed fields, if any changed.
    """
    _require_site(user, site)
    if site.parent_id != old_parent_id:
        jurisdiction.require_managed_parent(user, site.parent)
    with transaction.atomic():
        site.save()
        if changed:
            trail.record(user, "site.updated", site, _changes(site, changed))
    return site


def set_site_active(user: User, site: Endpoint, active: bool) -> Endpoint:
    """Deactivate or reactivate a site the user manages (its sub-sites keep their state).

    Side effects: the site's is_active; one audit entry "site.deactivated" or
    "site.reactivated" when the state changes.
    """
    _require_site(user, site)
    if site.is_active == active:
        return site
    with transaction.atomic():
        site.is_active = active
        site.save(update_fields=["is_active", "updated_at"])
        action = "site.reactivated" if active else "site.deactivated"
        trail.record(user, action, site, {"is_active": active})
    return site


def set_technicians(user: User, site: Endpoint, technicians: Iterable[models.Model]) -> None:
    """Make these the site's technicians.

    Side effects: the site's technician links; one audit entry "site.technicians_set"
    with the users added and removed, when any changed.
    """
    _require_site(user, site)
    wanted = {technician.pk for technician in technicians}
    with transaction.atomic():
        current = set(site.technicians.values_list("pk", flat=True))
        if wanted == current:
            return
        site.technicians.set(wanted)
        trail.record(
            user,
            "site.technicians_set",
            site,
            {"added": sorted(wanted - current), "removed": sorted(current - wanted)},
        )


# -- Offices ----------------------------------------------------------------------------------


def _require_offices(user: User) -> None:
    if not jurisdiction.may_manage_offices(user):
        raise OutsideJurisdiction(_("Only the central office manages offices."))


def save_office(
    user: User,
    office: Office,
    members: Iterable[models.Model],
    changed: Sequence[str],
    created: bool,
) -> Office:
    """Create or update an office and its members (the superuser and the central office).

    Side effects: the office row and its member links; one audit entry "office.created"
    or "office.updated" (the changed fields, members as user ids).
    """
    _require_offices(user)
    member_ids = sorted({member.pk for member in members})
    with transaction.atomic():
        before = set() if created else set(office.members.values_list("pk", flat=True))
        office.save()
        office.members.set(member_ids)
        fields = (
            ["code", "name", "jurisdiction", "is_active", "single_secretary"]
            if created
            else list(changed)
        )
        changes = _changes(office, [name for name in fields if name != "members"])
        if created or set(member_ids) != before:
            changes["members"] = member_ids
        if created or changes:
            trail.record(user, "office.created" if created else "office.updated", office, changes)
    return office


def deactivate_office(user: User, office: Office) -> Office:
    """Side effects: the office's is_active; one audit entry "office.deactivated"."""
    _require_offices(user)
    if not office.is_active:
        return office
    with transaction.atomic():
        office.is_active = False
        office.save(update_fields=["is_active"])
        trail.record(user, "office.deactivated", office, {"is_active": False})
    return office


# -- Bridges ----------------------------------------------------------------------------------


def save_bridge(
    user: User,
    bridge: Bridge,
    shared_with: Iterable[Office],
    changed: Sequence[str],
    created: bool,
) -> Bridge:
    """Create or update a bridge the user manages, shared only with offices below its owner.

    Side effects: the bridge row and its sharing links; one audit entry "bridge.created"
    or "bridge.updated" (the changed fields, shared_with as office ids).
    """
    shared = list(shared_with)
    if not jurisdiction.bridge_owners(user).filter(pk=bridge.owner_id).exists():
        raise OutsideJurisdiction(_("You may not make or keep a bridge for that office."), "owner")
    if not created and not jurisdiction.managed_bridges(user).filter(pk=bridge.pk).exists():
        raise OutsideJurisdiction(_("You may not change that bridge."))
    jurisdiction.require_shareable(bridge.owner, shared)
    shared_ids = sorted(office.pk for office in shared)
    with transaction.atomic():
        before = set() if created else set(bridge.shared_with.values_list("pk", flat=True))
        bridge.save()
        bridge.shared_with.set(shared_ids)
        fields = (
            ["name", "dial_in", "port_capacity", "is_active", "owner"] if created else list(changed)
        )
        changes = _changes(bridge, [name for name in fields if name != "shared_with"])
        if created or set(shared_ids) != before:
            changes["shared_with"] = shared_ids
        if created or changes:
            trail.record(user, "bridge.created" if created else "bridge.updated", bridge, changes)
    return bridge
