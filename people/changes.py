"""Changes of a person's role, offices and sites made on the people pages, one
transaction each, audited with what the person had before and has after.

Every function re-checks the scope (people.scope) whatever the form checked: offices
and sites given must lie in what the actor manages (`OutsideJurisdiction`, nothing
written). Offices and sites the person has outside that scope are the business of
another office and are kept as they are.

A person who signs in through a directory (LDAP, OpenID Connect) gets role and offices
from it at every sign-in (people.directory.sync_person): those are not changed here
(`ChangeRefused`); sites are, and stay until the directory carries site codes for them.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import Source
from accounts.roles import Role
from audit import trail
from conferencing.models import Endpoint, Level, Office
from people import scope
from people.directory import describe
from people.scope import NotManaged, User


class ChangeRefused(ValueError):
    """A change the people pages do not make; the message says why, `field` where."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Reach(models.TextChoices):
    """Which sites a bulk assignment covers, from the site chosen."""

    SITE = "site", _("This site only")
    CHILDREN = "children", _("Its sub-sites (one level down)")
    SUBTREE = "subtree", _("Every site below it")


def from_directory(user: AbstractBaseUser) -> bool:
    person = getattr(user, "person", None)
    return person is not None and person.source != Source.LOCAL


def _role_groups() -> models.QuerySet[Group]:
    return Group.objects.filter(name__in=[role.value for role in Role])


def change_person(
    actor: User,
    user: AbstractBaseUser,
    roles: Iterable[Role],
    offices: Iterable[Office],
    sites: Iterable[Endpoint],
) -> bool:
    """Give a person the roles, and within the actor's scope the offices and sites,
    chosen; whether anything changed.

    Refused (ChangeRefused, nothing written): another role or other offices for a
    directory person, or for oneself (a manager does not take away their own rights
    by accident: another manager or the administrator does). OutsideJurisdiction:
    offices or sites the actor does not manage.

    Side effects: the person's role groups, office memberships and site links; one
    audit entry "person.changed" with `before` and `after` (roles, office codes, site
    codes) when something changed.
    """
    roles, offices, sites = set(roles), list(offices), list(sites)
    scope.require_assignable(actor, offices, sites)
    # The offices the form offers: an inactive office of the person is kept as it is.
    office_scope = set(scope.people_offices(actor).active().values_list("pk", flat=True))
    with transaction.atomic():
        before = describe(user)
        had_roles = {Role(name) for name in before["roles"]}
        kept_offices = [
            pk for pk in user.offices.values_list("pk", flat=True) if pk not in office_scope
        ]
        wanted_offices = set(kept_offices) | {office.pk for office in offices}
        offices_change = wanted_offices != set(user.offices.values_list("pk", flat=True))
        if roles != had_roles or offices_change:
            if from_directory(user):
                raise ChangeRefused(directory_person_message(), "roles")
            if actor.is_authenticated and user.pk == actor.pk:
                raise ChangeRefused(own_rights_message(), "roles")
        if roles != had_roles and not scope.wholly_managed(actor, user):
            raise ChangeRefused(shared_person_message(), "roles")
        if roles != had_roles:
            groups = _role_groups()
            user.groups.remove(*groups)
            user.groups.add(*groups.filter(name__in=[role.value for role in roles]))
        if offices_change:
            user.offices.set(sorted(wanted_offices))
        site_scope = scope.people_sites(actor)
        kept_sites = set(
            user.served_endpoints.exclude(pk__in=site_scope.values("pk")).values_list(
                "pk", flat=True
            )
        )
        user.served_endpoints.set(sorted(kept_sites | {site.pk for site in sites}))
        after = describe(user)
        if before == after:
            return False
        trail.record(actor, "person.changed", user, {"before": before, "after": after})
    return True


def directory_person_message() -> str:
    return _(
        "This person signs in through the directory: their role and offices "
        "come from it at every sign-in and are not changed here."
    )


def own_rights_message() -> str:
    return _(
        "You cannot change your own role or offices: ask another manager or the administrator."
    )


def shared_person_message() -> str:
    return _(
        "This person also belongs to offices or sites outside what you manage: their role "
        "and their account are changed by an office above both, or by the administrator."
    )


def sites_reached(site: Endpoint, reach: str, level: str = "") -> models.QuerySet[Endpoint]:
    """The active sites a bulk assignment from `site` covers."""
    if reach == Reach.SITE:
        sites = Endpoint.objects.filter(pk=site.pk)
    elif reach == Reach.CHILDREN:
        sites = Endpoint.objects.filter(parent=site)
    else:
        sites = Endpoint.objects.filter(path__startswith=site.path).exclude(pk=site.pk)
    if level:
        sites = sites.filter(level=Level(int(level)))
    return sites.filter(is_active=True)


def assign_sites(
    actor: User,
    site: Endpoint,
    reach: str,
    technicians: Iterable[AbstractBaseUser],
    level: str = "",
    remove: bool = False,
) -> int:
    """Give these technicians (or take from them, `remove`) the sites `reach` covers
    from `site` ("all communes of this province get these two technicians"); how many
    person-site links were made (or removed).

    One transaction and a handful of queries whatever the number of sites: the links
    are one bulk insert (or one delete) on the technicians' table. Refused
    (OutsideJurisdiction) for a site outside the actor's scope; NotManaged for someone
    who is not an active technician the actor manages.

    Side effects: the site links; one audit entry per technician whose sites changed,
    "person.sites_assigned" or "person.sites_unassigned", with the site chosen, the
    reach and the codes added or removed (the change, not the whole list: a subtree
    can hold thousands of sites).
    """
    technicians = list(technicians)
    scope.require_assignable(actor, sites=[site])
    ids = {technician.pk for technician in technicians}
    if not ids:
        return 0
    if scope.assignable_technicians(actor).filter(pk__in=ids).count() != len(ids):
        raise NotManaged
    links = Endpoint.technicians.through
    with transaction.atomic():
        codes = dict(sites_reached(site, reach, level).values_list("pk", "code"))
        existing = set(
            links.objects.filter(user_id__in=ids, endpoint_id__in=list(codes)).values_list(
                "user_id", "endpoint_id"
            )
        )
        if remove:
            changed = sorted(existing)
            if changed:
                links.objects.filter(user_id__in=ids, endpoint_id__in=list(codes)).delete()
        else:
            changed = sorted(
                (user_id, endpoint_id)
                for user_id in ids
                for endpoint_id in codes
                if (user_id, endpoint_id) not in existing
            )
            links.objects.bulk_create(
                [
                    links(user_id=user_id, endpoint_id=endpoint_id)
                    for user_id, endpoint_id in changed
                ],
                ignore_conflicts=True,
            )
        per_person: dict[int, list[str]] = {}
        for user_id, endpoint_id in changed:
            per_person.setdefault(user_id, []).append(codes[endpoint_id])
        action = "person.sites_unassigned" if remove else "person.sites_assigned"
        key = "removed" if remove else "added"
        trail.record_all(
            [
                (
                    actor,
                    action,
                    technician,
                    {
                        "site": site.code,
                        "reach": reach,
                        "level": level,
                        key: sorted(per_person[technician.pk]),
                    },
                )
                for technician in technicians
                if technician.pk in per_person
            ]
        )
    return len(changed)
