"""Bringing a person in from the people pages: the account is made with no usable
password, and an e-mail with a one-time link to set one is sent once it is committed
(people.invitation_queue). Sending the invitation again voids the earlier link.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.folding import fold
from accounts.models import Person, Source
from accounts.roles import Role
from audit import trail
from conferencing.models import Endpoint, Office
from people import scope
from people.changes import ChangeRefused
from people.directory import describe
from people.invitation_queue import invite_after_commit
from people.scope import User

USERNAME_MAX = 150
_NOT_IN_USERNAME = re.compile(r"[^a-z0-9]")


@dataclass
class Newcomer:
    """What the invitation form says of the person to bring in."""

    full_name: str
    email: str
    role: Role
    phone: str = ""
    username: str = ""
    offices: list[Office] = field(default_factory=list)
    sites: list[Endpoint] = field(default_factory=list)


def username_base(full_name: str, email: str = "") -> str:
    """The usual Vietnamese account name: the given name (last word) then the initials
    of the family and middle names, folded: "Nguyễn Thị Lan" → "lannt". From the
    e-mail's local part when the name gives nothing."""
    words = [_NOT_IN_USERNAME.sub("", word) for word in fold(full_name).split()]
    words = [word for word in words if word]
    if words:
        return (words[-1] + "".join(word[0] for word in words[:-1]))[:USERNAME_MAX]
    local = _NOT_IN_USERNAME.sub("", fold(email.partition("@")[0]))
    return local[:USERNAME_MAX] or "user"


def suggest_username(full_name: str, email: str = "") -> str:
    """A free username for this person: `username_base`, then with 2, 3, … after it."""
    base = username_base(full_name, email)
    model = get_user_model()
    taken = set(model.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def invite(actor: User, newcomer: Newcomer) -> AbstractBaseUser:
    """Make a local account for the newcomer, in the offices and sites given (inside the
    actor's scope), and e-mail them an invitation after commit.

    Refused, nothing written: OutsideJurisdiction for an office or site the actor does
    not manage; ChangeRefused for a username or e-mail already in use, or for a person
    who would be in no office and serve no site (no office would manage them).

    Side effects: the account (no usable password) and its person; one audit entry
    "person.created" with its roles, offices and sites; the invitation e-mail, after
    commit (which writes its own "person.invited").
    """
    if not newcomer.offices and not newcomer.sites:
        raise ChangeRefused(
            _("Choose an office or at least one site: otherwise no office manages this person."),
            "offices",
        )
    scope.require_assignable(actor, newcomer.offices, newcomer.sites)
    model = get_user_model()
    email = newcomer.email.strip()
    username = newcomer.username.strip() or suggest_username(newcomer.full_name, email)
    with transaction.atomic():
        if model.objects.filter(username__iexact=username).exists():
            raise ChangeRefused(
                _("The username %(username)s is taken.") % {"username": username}, "username"
            )
        if model.objects.filter(email__iexact=email).exists():
            raise ChangeRefused(
                _("A person with the e-mail %(email)s already has an account.") % {"email": email},
                "email",
            )
        user = model.objects.create_user(username=username, email=email, password=None)
        person = Person.objects.get(user=user)
        person.full_name = newcomer.full_name.strip()
        person.phone = newcomer.phone.strip()
        person.source = Source.LOCAL
        person.user = user
        person.save()
        user.groups.add(Group.objects.get_or_create(name=newcomer.role.value)[0])
        user.offices.set(newcomer.offices)
        user.served_endpoints.set(newcomer.sites)
        trail.record(actor, "person.created", user, {"after": describe(user)})
        invite_after_commit(actor, [user.pk])
    return user


def invite_again(actor: User, user: AbstractBaseUser) -> None:
    """E-mail the person a new invitation link (the earlier one stops working when it is
    sent). Refused (ChangeRefused) for an inactive account, one without an e-mail
    address, or a directory person (whose password is the directory's)."""
    if not user.is_active:
        raise ChangeRefused(_("This account is deactivated: reactivate it first."))
    if not user.email:
        raise ChangeRefused(_("This person has no e-mail address to send the invitation to."))
    person = getattr(user, "person", None)
    if person is not None and person.source != Source.LOCAL:
        raise ChangeRefused(
            _("This person signs in through the directory, with the directory's password.")
        )
    with transaction.atomic():
        invite_after_commit(actor, [user.pk])
