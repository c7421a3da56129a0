"""A directory person (LDAP, OpenID Connect) made current at every sign-in.

The directory is the authority for what it carries: name, e-mail, phone, unit, the
groups that give a role and an office (`rules`: DirectoryRule rows, or while there are
none the DIRECTORY_RULES setting, "group=Role:OFFICE;group=Role"), and, where the
directory has a site-codes attribute, a technician's sites. A person no rule matches
is not a user of this system: the sign-in is refused (`sync_person` says so).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import Person
from accounts.roles import Role
from audit import trail
from conferencing.models import Endpoint, Office
from people.models import DirectoryRule, DirectorySource


@dataclass(frozen=True)
class Rule:
    group: str
    role: Role | None
    office_code: str | None


@dataclass
class DirectoryPerson:
    """What a directory says of one person, read by its backend."""

    source: str  # accounts.models.Source.LDAP / .OIDC
    full_name: str = ""
    email: str = ""
    phone: str = ""
    unit: str = ""
    groups: Iterable[str] = ()
    # None: the directory carries no sites; they are managed in the app.
    site_codes: Iterable[str] | None = None
    extra: dict = field(default_factory=dict)


def parse_rules(text: str) -> list[Rule]:
    """DIRECTORY_RULES: "giaoban-thuky=Secretariat:VPCP;giaoban-daibieu=Attendee"."""
    rules = []
    for item in filter(None, (part.strip() for part in (text or "").split(";"))):
        group, sep, target = item.partition("=")
        role_name, _sep, office_code = target.partition(":")
        try:
            role = Role(role_name.strip()) if role_name.strip() else None
        except ValueError:
            raise ImproperlyConfigured(f"DIRECTORY_RULES: unknown role in {item!r}") from None
        if not sep or not group.strip() or (role is None and not office_code.strip()):
            raise ImproperlyConfigured(f"DIRECTORY_RULES: {item!r} is not group=Role:OFFICE")
        rules.append(Rule(group.strip(), role, office_code.strip() or None))
    return rules


def rules(source: str) -> list[Rule]:
    """The mapping in force for this directory: the rows if the superuser made any."""
    rows = DirectoryRule.objects.filter(source__in=[source, DirectorySource.ANY]).select_related(
        "office"
    )
    if DirectoryRule.objects.exists():
        return [
            Rule(row.group, row.role_value, row.office.code if row.office else None) for row in rows
        ]
    return parse_rules(settings.DIRECTORY_RULES)


def _group_key(name: str) -> str:
    return name.strip().casefold()


def matched_rules(found: DirectoryPerson) -> list[Rule]:
    """The rules this person's groups match: none, and they may not sign in (read only)."""
    wanted = {_group_key(group) for group in found.groups}
    return [rule for rule in rules(found.source) if _group_key(rule.group) in wanted]


def sync_person(user: AbstractBaseUser, found: DirectoryPerson) -> bool:
    """Make the account what the directory says; False (nothing changed) when no rule
    matches its groups, and the sign-in must be refused. One transaction; the changes
    of role, office or sites are audited."""
    matched = matched_rules(found)
    if not matched:
        return False
    roles = {rule.role for rule in matched if rule.role is not None}
    codes = {rule.office_code for rule in matched if rule.office_code}
    with transaction.atomic():
        offices = list(Office.objects.active().filter(code__in=codes))
        person, _created = Person.objects.get_or_create(user=user)
        person.full_name = found.full_name or person.full_name
        person.phone = found.phone[:32]
        person.unit = found.unit[:200]
        person.source = found.source
        if found.email and user.email != found.email:
            user.email = found.email
            user.save(update_fields=["email"])
        person.user = user
        person.save()
        before = describe(user)
        role_groups = Group.objects.filter(name__in=[role.value for role in Role])
        user.groups.remove(*role_groups)
        user.groups.add(*role_groups.filter(name__in=[role.value for role in roles]))
        user.offices.set(offices)
        if found.site_codes is not None:
            user.served_endpoints.set(Endpoint.objects.filter(code__in=list(found.site_codes)))
        after = describe(user)
        if before != after:
            trail.record(None, "person.directory_synced", user, {"before": before, "after": after})
    return True


def describe(user: AbstractBaseUser) -> dict:
    """Role, offices and sites of an account, as the audit trail records them."""
    return {
        "roles": sorted(
            user.groups.filter(name__in=[r.value for r in Role]).values_list("name", flat=True)
        ),
        "offices": sorted(user.offices.values_list("code", flat=True)),
        "sites": sorted(user.served_endpoints.values_list("code", flat=True)),
    }
