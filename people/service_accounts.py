"""Service accounts: an office's accounts for integrations (a document system, a portal).

A service account is a user that cannot sign in with a password (unusable password,
Person.source "service"), a member of one office with one role; it calls the API and
the readiness sockets with its tokens only. The office that made it, and every office
above it (people.scope: the offices whose jurisdiction holds it), manage it and its
tokens; any other asker is answered as if it did not exist (NotManaged).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Source
from accounts.roles import Role
from audit import trail
from conferencing.models import Office
from people import api_tokens, scope
from people.models import ApiToken

USERNAME_MAX_LENGTH = 150


class ServiceAccountRefused(ValueError):
    """A service account that cannot be made (`field`: username, full_name, role,
    office); nothing was written."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def service_accounts(actor: AbstractBaseUser) -> QuerySet:
    """The service accounts the actor manages, with their person, offices, roles and
    the number of their live tokens: a list in a constant number of queries."""
    now = timezone.now()
    live = Q(api_tokens__revoked_at__isnull=True) & (
        Q(api_tokens__expires_at__isnull=True) | Q(api_tokens__expires_at__gt=now)
    )
    return (
        scope.managed_people(actor)
        .filter(person__source=Source.SERVICE)
        .select_related("person")
        .prefetch_related("offices", "groups")
        .annotate(live_tokens=Count("api_tokens", filter=live))
        .order_by("username")
    )


def managed_account(actor: AbstractBaseUser, account_id: object) -> AbstractBaseUser:
    """The service account with this id if the actor manages it; scope.NotManaged
    otherwise, whether it exists or not (a person who is not a service account too)."""
    account = scope.managed_person(actor, account_id)
    if account.person.source != Source.SERVICE:
        raise scope.NotManaged
    return account


def managed_token(actor: AbstractBaseUser, token_id: object) -> ApiToken:
    """A token of a service account the actor manages; scope.NotManaged otherwise."""
    try:
        wanted = int(token_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise scope.NotManaged from None
    accounts = scope.managed_people(actor).filter(person__source=Source.SERVICE)
    token = (
        ApiToken.objects.filter(pk=wanted, user__in=accounts)
        .select_related("user", "office")
        .first()
    )
    if token is None:
        raise scope.NotManaged
    return token


def create(
    actor: AbstractBaseUser, *, username: str, full_name: str, role: str, office_id: object
) -> AbstractBaseUser:
    """Make a service account in one of the offices the actor manages, with this role.
    ServiceAccountRefused (nothing written) for a bad or taken username, an empty name,
    an unknown role or an office outside the actor's reach. Audited
    (people.service_account_created)."""
    User = get_user_model()
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    if not username or len(username) > USERNAME_MAX_LENGTH:
        raise ServiceAccountRefused("username", _("Give the account a user name."))
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ServiceAccountRefused("username", " ".join(error.messages)) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceAccountRefused("username", _("This user name is taken."))
    if not full_name:
        raise ServiceAccountRefused("full_name", _("Give the account a name."))
    if role not in {r.value for r in Role}:
        raise ServiceAccountRefused("role", _("Choose a role."))
    offices = scope.people_offices(actor).filter(is_active=True)
    try:
        office = offices.get(pk=int(office_id))  # type: ignore[call-overload]
    except (TypeError, ValueError, Office.DoesNotExist):
        raise ServiceAccountRefused(
            "office", _("Choose one of the offices whose people you manage.")
        ) from None
    with transaction.atomic():
        account = User(username=username)
        account.set_unusable_password()
        account.save()
        person = account.person
        person.full_name = full_name
        person.source = Source.SERVICE
        person.save()
        account.groups.add(Group.objects.get(name=role))
        office.members.add(account)
        trail.record(
            actor,
            "people.service_account_created",
            account,
            {"username": username, "full_name": full_name, "role": role, "office": office.code},
        )
    return account


def create_token(
    actor: AbstractBaseUser, account: AbstractBaseUser, **fields: object
) -> api_tokens.NewToken:
    """A token of a service account (managed_account found it for the actor)."""
    return api_tokens.create(account, actor=actor, **fields)  # type: ignore[arg-type]
