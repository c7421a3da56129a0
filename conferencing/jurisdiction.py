"""Offices and their jurisdiction: for whom a user acts, and what that office may reach.

The lower half of authority (docs/authority.md): an office books and manages only the
sites of its jurisdiction (one node of the site tree and everything below it) and the
bridges it owns or that an office above shared with it. Sessions' rules (who sees,
changes, watches a meeting) live in meetings.visibility and are built on these.

A user acts for one office at a time: the one chosen in the header (remembered in the
session), the one an API token was made for, or else the first of their offices.
Nothing here trusts an office id it was given: `choose` refuses an office the user is
not a member of.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from conferencing.models import (
    Bridge,
    Endpoint,
    EndpointImportJob,
    ImportJobQuerySet,
    Office,
)

User = AbstractBaseUser | AnonymousUser

SESSION_KEY = "acting_office"
# How many outside sites an error names before it says "and N more".
NAMED_OUTSIDE = 5


class NotAMember(ValueError):
    """An office id the user may not act for: not theirs, inactive, or none at all."""

    def __init__(self) -> None:
        super().__init__(_("You are not a member of that office."))
        self.message = str(self.args[0])


class OutsideJurisdiction(ValueError):
    """Something the acting office may not reach; the message names it."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# -- For whom a user acts ---------------------------------------------------------------------


def offices_of(user: User) -> tuple[Office, ...]:
    """The active offices the user belongs to, by code; read once per user object."""
    if not user.is_authenticated:
        return ()
    cached = getattr(user, "_giaoban_offices", None)
    if cached is None:
        cached = tuple(Office.objects.active().filter(members=user).select_related("jurisdiction"))
        user._giaoban_offices = cached
    return cached


def choose(user: User, office_id: object) -> Office:
    """Make the user act for this office (for the rest of the request); NotAMember if
    the id is not one of their active offices, whatever its form."""
    try:
        wanted = int(office_id)
    except (TypeError, ValueError):
        raise NotAMember from None
    office = next((office for office in offices_of(user) if office.pk == wanted), None)
    if office is None:
        raise NotAMember
    user._giaoban_acting_office = office
    return office


def remember_choice(user: User, office_id: object) -> None:
    """Act for a remembered choice (session, token) if it is still valid; else the default."""
    try:
        choose(user, office_id)
    except NotAMember:
        user._giaoban_acting_office = None


def act_for_none(user: User) -> None:
    """Act for no office for the rest of the request, not even the first of the user's:
    for a credential bound to no office, or to one the user no longer belongs to (an
    API token)."""
    user._giaoban_offices = ()
    user._giaoban_acting_office = None


def acting_office(user: User) -> Office | None:
    """The office the user acts for now: the chosen one, else the first of theirs."""
    chosen = getattr(user, "_giaoban_acting_office", None)
    if chosen is not None:
        return chosen
    offices = offices_of(user)
    return offices[0] if offices else None


def acts_for_an_office(user: User) -> bool:
    """Secretariat staff of an office: they book and manage within its jurisdiction. The
    superuser administers offices, people, sites and bridges but acts on no session."""
    return has_role(user, Role.SECRETARIAT) and acting_office(user) is not None


def booking_office(user: User) -> Office | None:
    """The office whose sessions the user books and changes now, or None."""
    return acting_office(user) if acts_for_an_office(user) else None


# -- What an office reaches -------------------------------------------------------------------


def jurisdiction_path(office: Office) -> str:
    return office.jurisdiction.path


def sites_within(office: Office) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(path__startswith=jurisdiction_path(office))


def covers(office: Office, endpoint: Endpoint) -> bool:
    return endpoint.path.startswith(jurisdiction_path(office))


def refuse_outside(
    office: Office, outside: Iterable[tuple[int, str]], host_id: int | None = None
) -> None:
    """Refuse sites already found outside the office's jurisdiction ((id, code) pairs,
    as `site_selection.resolve_sites(..., within=jurisdiction_path(office))` lists them);
    the error is the host's if the host is one of them."""
    outside = list(outside)
    if outside:
        field = "host" if any(pk == host_id for pk, _code in outside) else "sites"
        raise OutsideJurisdiction(outside_message([code for _pk, code in outside], office), field)


def outside_message(codes: list[str], office: Office) -> str:
    named = ", ".join(codes[:NAMED_OUTSIDE])
    more = len(codes) - NAMED_OUTSIDE
    if more > 0:
        named = _("%(named)s and %(more)d more") % {"named": named, "more": more}
    return _("Outside the jurisdiction of %(office)s (%(root)s): %(sites)s.") % {
        "office": office.name,
        "root": office.jurisdiction.name,
        "sites": named,
    }


def usable_by(office: Office) -> Q:
    """Bridges the office may book on: its own, and those an office above shared with it."""
    shared = Bridge.shared_with.through.objects.filter(bridge=OuterRef("pk"), office=office)
    return Q(owner=office) | Q(Exists(shared))


def usable_bridges(office: Office | None) -> QuerySet[Bridge]:
    if office is None:
        return Bridge.objects.none()
    return Bridge.objects.filter(usable_by(office))


def with_usability(bridges: QuerySet[Bridge], office: Office) -> QuerySet[Bridge]:
    """The bridges with `usable` (may the office book on it?), read with the bridge itself
    so that booking pays no query for the check."""
    return bridges.annotate(usable=ExpressionWrapper(usable_by(office), BooleanField()))


def require_usable_bridge(office: Office, bridge: Bridge) -> None:
    """Refuse a bridge the office may not use; asks the database unless the bridge was
    read `with_usability`."""
    usable = getattr(bridge, "usable", None)
    if usable is None:
        usable = usable_bridges(office).filter(pk=bridge.pk).exists()
    if not usable:
        raise OutsideJurisdiction(
            _("The bridge %(bridge)s is neither %(office)s's nor shared with it.")
            % {"bridge": bridge.name, "office": office.name},
            "bridge",
        )


def offices_below(office: Office) -> QuerySet[Office]:
    """Offices a bridge of `office` may be shared with: those whose jurisdiction lies
    inside its own (including others sharing the same node), itself excluded."""
    return (
        Office.objects.active()
        .filter(jurisdiction__path__startswith=jurisdiction_path(office))
        .exclude(pk=office.pk)
    )


# -- Who manages sites, bridges and offices ---------------------------------------------------


def managed_sites(user: User) -> QuerySet[Endpoint]:
    """Sites the user may create under, edit, deactivate and staff: every site for the
    superuser, the acting office's jurisdiction for its secretariat, none otherwise."""
    if user.is_authenticated and user.is_superuser:
        return Endpoint.objects.all()
    office = booking_office(user)
    return sites_within(office) if office else Endpoint.objects.none()


def managed_bridges(user: User) -> QuerySet[Bridge]:
    """Bridges the user may edit and share: all for the superuser, the acting office's own."""
    if user.is_authenticated and user.is_superuser:
        return Bridge.objects.all()
    office = booking_office(user)
    return Bridge.objects.filter(owner=office) if office else Bridge.objects.none()


def may_manage_sites(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or booking_office(user)))


def may_manage_offices(user: User) -> bool:
    """The superuser, and the central office's secretariat acting for it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    office = booking_office(user)
    return bool(office and office.is_central)


def managed_offices(user: User) -> QuerySet[Office]:
    return Office.objects.all() if may_manage_offices(user) else Office.objects.none()


# -- Rules of the management pages (sites, bridges, offices, imports) -------------------------


def may_manage_site(user: User, endpoint: Endpoint) -> bool:
    """The user may edit, deactivate and staff this site: it lies in what they manage."""
    if user.is_authenticated and user.is_superuser:
        return True
    office = booking_office(user)
    return bool(office and covers(office, endpoint))


def require_managed_parent(user: User, parent: Endpoint | None) -> None:
    """Refuse, naming it, a parent the user may not hang a site under. Only the superuser
    makes a site at the top of the tree; an office makes them inside its jurisdiction."""
    if user.is_authenticated and user.is_superuser:
        return
    office = booking_office(user)
    if office is None:
        raise OutsideJurisdiction(_("You manage no sites."), "parent")
    if parent is None:
        raise OutsideJurisdiction(
            _("Only the administrator creates a site at the top of the tree."), "parent"
        )
    if not covers(office, parent):
        raise OutsideJurisdiction(outside_message([parent.code], office), "parent")


def require_shareable(owner: Office, offices: Iterable[Office]) -> None:
    """Refuse, naming them, offices a bridge of `owner` may not be shared with: one query."""
    wanted = {office.pk: office for office in offices}
    below = set(offices_below(owner).filter(pk__in=list(wanted)).values_list("pk", flat=True))
    refused = sorted(office.code for pk, office in wanted.items() if pk not in below)
    if refused:
        raise OutsideJurisdiction(
            _(
                "A bridge of %(owner)s can be shared only with the offices below it, "
                "not with: %(offices)s."
            )
            % {"owner": owner.name, "offices": ", ".join(refused)},
            "shared_with",
        )


def bridge_owners(user: User) -> QuerySet[Office]:
    """The offices the user may make a bridge for: any active one for the superuser, the
    acting office for its secretariat, none otherwise."""
    if user.is_authenticated and user.is_superuser:
        return Office.objects.active()
    office = booking_office(user)
    return Office.objects.filter(pk=office.pk) if office else Office.objects.none()


def visible_bridges(user: User) -> QuerySet[Bridge]:
    """Bridges the user sees in lists: all for the superuser, those the acting office may
    book on (its own and those shared with it) for its secretariat, none otherwise."""
    if user.is_authenticated and user.is_superuser:
        return Bridge.objects.all()
    return usable_bridges(booking_office(user))


def import_office(user: User) -> Office | None:
    """The office a CSV import of the user is scoped to: None for the superuser (the whole
    tree), else the acting office (the caller checks `may_manage_sites` first)."""
    if user.is_authenticated and user.is_superuser:
        return None
    return booking_office(user)


@dataclass(frozen=True)
class ImportScope:
    """Where a CSV import may write: anywhere (`unrestricted`), inside `office`'s
    jurisdiction, or nowhere (no office, not the superuser)."""

    office: Office | None = None
    unrestricted: bool = False

    def admits(self, path: str) -> bool:
        if self.unrestricted:
            return True
        return self.office is not None and path.startswith(jurisdiction_path(self.office))

    def refusal(self, code: str) -> str:
        if self.office is not None:
            return outside_message([code], self.office)
        return _("%(code)s: this import acts for no office, so it may change no site.") % {
            "code": code
        }


def import_scope(user: User, office: Office | None) -> ImportScope:
    """The scope of a queued import, checked again when it runs: anywhere for a superuser;
    the office's jurisdiction while the user is still an active member of it; nowhere
    otherwise (an old job of a non-superuser recorded without an office, a user who left
    the office since). Two queries at most."""
    if user.is_superuser:
        return ImportScope(unrestricted=True)
    if office is None or not office.is_active or not office.members.filter(pk=user.pk).exists():
        return ImportScope()
    return ImportScope(office=office)


def visible_import_jobs(user: User) -> ImportJobQuerySet:
    """Import jobs the user may follow: all for the superuser, the acting office's for its
    secretariat (whoever of it uploaded them), none otherwise."""
    if user.is_authenticated and user.is_superuser:
        return EndpointImportJob.objects.all()
    office = booking_office(user)
    return (
        EndpointImportJob.objects.filter(office=office)
        if office
        else EndpointImportJob.objects.none()
    )
