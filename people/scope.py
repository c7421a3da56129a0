"""Whose people an office manages: the authority of the people pages, the people
import and the directory mapping, built on conferencing.jurisdiction.

The superuser manages everyone. Secretariat staff acting for an office manage the
people of that office and of every office inside its jurisdiction, and the
technicians of its sites; everyone else manages no one. A person outside answers as
a missing one (`managed_person` raises Http404-like `NotManaged`).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.roles import Role
from conferencing import jurisdiction
from conferencing.models import Endpoint, Office

User = AbstractBaseUser | AnonymousUser


class NotManaged(LookupError):
    """A person the user may not manage, answered exactly as one that does not exist."""


def may_manage_people(user: User) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or jurisdiction.acts_for_an_office(user))
    )


def people_offices(user: User) -> QuerySet[Office]:
    """Offices whose people the user manages and may put people in."""
    if user.is_authenticated and user.is_superuser:
        return Office.objects.all()
    office = jurisdiction.booking_office(user)
    if office is None:
        return Office.objects.none()
    return Office.objects.filter(
        jurisdiction__path__startswith=jurisdiction.jurisdiction_path(office)
    )


def people_sites(user: User) -> QuerySet[Endpoint]:
    """Sites the user may assign technicians to: what they manage."""
    return jurisdiction.managed_sites(user)


def managed_people(user: User) -> QuerySet:
    """Accounts the user manages (superusers are managed by no office)."""
    accounts = get_user_model().objects.all()
    if user.is_authenticated and user.is_superuser:
        return accounts
    office = jurisdiction.booking_office(user)
    if office is None:
        return accounts.none()
    path = jurisdiction.jurisdiction_path(office)
    member_here = Office.members.through.objects.filter(
        user_id=OuterRef("pk"), office__jurisdiction__path__startswith=path
    )
    serving_here = Endpoint.technicians.through.objects.filter(
        user_id=OuterRef("pk"), endpoint__path__startswith=path
    )
    return accounts.filter(Q(Exists(member_here)) | Q(Exists(serving_here))).exclude(
        is_superuser=True
    )


def managed_person(user: User, person_id: object) -> AbstractBaseUser:
    """The account with this id if the user manages it; NotManaged otherwise, whether
    it exists or not."""
    try:
        wanted = int(person_id)
    except (TypeError, ValueError):
        raise NotManaged from None
    found = managed_people(user).filter(pk=wanted).select_related("person").first()
    if found is None:
        raise NotManaged
    return found


def wholly_managed(user: User, person: AbstractBaseUser) -> bool:
    """Whether everything the person belongs to (offices, sites) lies in what the user
    manages. A role and the account itself hold everywhere: an office may change them
    only for people who are wholly its own, never for someone another province (or the
    centre) also counts on."""
    if user.is_authenticated and user.is_superuser:
        return True
    office_ids = set(person.offices.values_list("pk", flat=True))
    site_ids = set(person.served_endpoints.values_list("pk", flat=True))
    offices_in = people_offices(user).filter(pk__in=office_ids).count()
    sites_in = people_sites(user).filter(pk__in=site_ids).count()
    return offices_in == len(office_ids) and sites_in == len(site_ids)


def require_assignable(
    user: User, offices: Iterable[Office] = (), sites: Iterable[Endpoint] = ()
) -> None:
    """Refuse (OutsideJurisdiction, naming them) offices or sites the user may not give
    a person."""
    offices, sites = list(offices), list(sites)
    allowed_offices = set(
        people_offices(user).filter(pk__in=[o.pk for o in offices]).values_list("pk", flat=True)
    )
    outside = [office.code for office in offices if office.pk not in allowed_offices]
    if outside:
        raise jurisdiction.OutsideJurisdiction(
            _("These offices are outside what you manage: %(codes)s")
            % {"codes": ", ".join(sorted(outside))},
            "offices",
        )
    allowed_sites = set(
        people_sites(user).filter(pk__in=[s.pk for s in sites]).values_list("pk", flat=True)
    )
    outside = [site.code for site in sites if site.pk not in allowed_sites]
    if outside:
        raise jurisdiction.OutsideJurisdiction(
            _("These sites are outside what you manage: %(codes)s")
            % {"codes": ", ".join(sorted(outside)[:5])},
            "sites",
        )


def assignable_technicians(user: User) -> QuerySet:
    """Active technicians the user manages: whom a bulk site assignment may give sites."""
    return managed_people(user).filter(is_active=True, groups__name=Role.TECHNICIAN.value)
