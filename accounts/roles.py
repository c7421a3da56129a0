"""The three roles of the system and the questions every view asks about them.

Roles are Django groups created by a data migration; these helpers are the one
place that knows their names, so views, API permissions and sockets agree.
"""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    SECRETARIAT = "Secretariat"
    TECHNICIAN = "Technician"
    ATTENDEE = "Attendee"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.SECRETARIAT: _("Secretariat"),
    Role.TECHNICIAN: _("Technician"),
    Role.ATTENDEE: _("Attendee"),
}

User = AbstractBaseUser | AnonymousUser


def roles_of(user: User) -> frozenset[Role]:
    """The user's roles, read once per request object and remembered on it."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_giaoban_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._giaoban_roles = cached
    return cached


def has_role(user: User, role: Role) -> bool:
    return role in roles_of(user)


def is_secretariat(user: User) -> bool:
    """Secretariat staff by role. What they may book and manage is their office's
    jurisdiction (conferencing.jurisdiction); the superuser is not secretariat: it
    administers offices, people, sites and bridges and acts on no session."""
    return has_role(user, Role.SECRETARIAT)


def is_technician(user: User) -> bool:
    return has_role(user, Role.TECHNICIAN)


def can_view_endpoints(user: User) -> bool:
    """Every signed-in role sees the site directory: it is who-is-where, not a secret."""
    return bool(user.is_authenticated and (user.is_superuser or roles_of(user)))


def can_view_meetings(user: User) -> bool:
    """Every role has sessions that concern it; which ones is meetings.visibility's answer."""
    return can_view_endpoints(user)


def ensure_role_groups(sender=None, using: str = "default", **kwargs) -> None:
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.using(using).get_or_create(name=role.value)
