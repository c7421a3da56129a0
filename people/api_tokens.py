"""API tokens: made, listed, revoked by their owner (or, for a service account, by the
office that manages it), and checked on every API request and token socket.

A token is 43 URL-safe characters (32 random bytes), shown once when made. Kept: its
first 8 characters (the public prefix the lookup uses and the lists show) and the
SHA-256 of the whole token, compared in constant time. Tokens made before this module
(rest_framework.authtoken's 40 hex characters) were carried over by migration, hashed
the same way, so integrations keep working.

Rules (each tested once in tests/people/test_api_tokens.py):
- a token acts for one of its owner's active offices, or for none; one bound to an
  office its owner has left, or that was switched off, acts for none;
- it expires at most MAX_LIFETIME after it is made, or never (no expiry chosen);
- revoked, expired, unknown, or owned by an inactive account: refused (401);
- a read-only token is refused every unsafe method (403, in the authentication class);
- "last used" is written at most once a LAST_USED_STEP (no query otherwise).
Making and revoking are audited (api.token_created, api.token_revoked).
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Source
from accounts.token_digest import digest
from audit import trail
from conferencing import jurisdiction
from conferencing.models import Office
from people.models import ApiToken, TokenScope

PREFIX_LENGTH = 8
# One year: long enough for an integration's yearly renewal, short enough that a
# forgotten token dies. No expiry at all stays possible (tokens carried over had none).
MAX_LIFETIME = timedelta(days=365)
LAST_USED_STEP = timedelta(minutes=1)
NAME_MAX_LENGTH = 100
# Longer than any token made here or carried over: no hashing of megabyte headers.
KEY_MAX_LENGTH = 64


class TokenRefused(ValueError):
    """A token that does not authenticate (`code`: unknown, revoked, expired, inactive)
    or a token that cannot be made (`code` names the field: name, scope, expires_at,
    office). Nothing was written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class TokenNotFound(LookupError):
    """A token that is not the asker's, answered exactly as one that does not exist."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the whole token: shown once, never stored


hash_key = digest


def create(
    owner: AbstractBaseUser,
    *,
    name: str,
    scope: str,
    expires_at: datetime | None = None,
    office_id: object = None,
    actor: AbstractBaseUser | None = None,
    made_with: ApiToken | None = None,
) -> NewToken:
    """Make a token of `owner` (by `actor`, the owner unless an office makes one for its
    service account: people.service_accounts decides who may). TokenRefused, nothing
    written, for an empty or long name, an unknown scope, an expiry past or beyond
    MAX_LIFETIME, an office that is not one of the owner's active ones, or — asked with
    the token `made_with` — anything that token could not do itself. Audited."""
    name = (name or "").strip()
    if not name:
        raise TokenRefused("name", _("Give the token a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise TokenRefused(
            "name",
            _("A token's name has at most %(count)d characters.") % {"count": NAME_MAX_LENGTH},
        )
    if scope not in TokenScope.values:
        raise TokenRefused("scope", _("Choose read only, or read and write."))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise TokenRefused("expires_at", _("The expiry must be in the future."))
    if expires_at is not None and expires_at > now + MAX_LIFETIME:
        raise TokenRefused(
            "expires_at",
            _("A token lives at most %(days)d days.") % {"days": MAX_LIFETIME.days},
        )
    office = office_of(owner, office_id)
    if made_with is not None:
        require_no_stronger(made_with, scope, expires_at, office)
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner,
            office=office,
            name=name,
            scope=scope,
            prefix=key[:PREFIX_LENGTH],
            secret_hash=hash_key(key),
            expires_at=expires_at,
        )
        trail.record(actor or owner, "api.token_created", token, describe(token))
    return NewToken(token, key)


def require_no_stronger(
    parent: ApiToken, scope: str, expires_at: datetime | None, office: Office | None
) -> None:
    """A token that makes a token gives it no more than it has: a token stolen for an
    hour must not become one that never expires, or one acting for another office."""
    if parent.read_only and scope != TokenScope.READ:
        raise TokenRefused("scope", _("A read-only token makes only read-only tokens."))
    if parent.expires_at is not None and (expires_at is None or expires_at > parent.expires_at):
        raise TokenRefused(
            "expires_at",
            _("A token made with a token expires no later than it: %(when)s.")
            % {"when": timezone.localtime(parent.expires_at).strftime("%d/%m/%Y %H:%M")},
        )
    if office != parent.office:
        raise TokenRefused("office", _("A token made with a token acts for the same office as it."))


def office_of(owner: AbstractBaseUser, office_id: object) -> Office | None:
    """The owner's active office with this id, None for no id; TokenRefused otherwise."""
    if office_id in (None, ""):
        return None
    for office in jurisdiction.offices_of(owner):
        if str(office.pk) == str(office_id):
            return office
    raise TokenRefused("office", jurisdiction.NotAMember().message)


def tokens_of(owner: AbstractBaseUser) -> list[ApiToken]:
    """Every token of the owner, newest first, revoked and expired ones too (a list
    shows them as such)."""
    return list(ApiToken.objects.filter(user=owner).select_related("office"))


def token_of(owner: AbstractBaseUser, token_id: object) -> ApiToken:
    """The owner's token with this id; TokenNotFound for any other id."""
    try:
        wanted = int(token_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise TokenNotFound from None
    token = ApiToken.objects.filter(user=owner, pk=wanted).select_related("office").first()
    if token is None:
        raise TokenNotFound
    return token


def revoke(token: ApiToken, actor: AbstractBaseUser | None = None) -> bool:
    """Stop the token at once (the next request it carries is refused); whether it was
    still live. Audited when it was."""
    with transaction.atomic():
        now = timezone.now()
        stopped = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if stopped:
            token.revoked_at = now
            trail.record(actor or token.user, "api.token_revoked", token, describe(token))
    return bool(stopped)


def revoke_all(owner: AbstractBaseUser, actor: AbstractBaseUser | None = None) -> int:
    """Stop every token of the owner that is not yet revoked (deactivation calls this);
    how many. One audit entry per token stopped, in the caller's transaction if any."""
    with transaction.atomic():
        now = timezone.now()
        live = list(
            ApiToken.objects.filter(user=owner, revoked_at__isnull=True).select_related("office")
        )
        ApiToken.objects.filter(pk__in=[token.pk for token in live]).update(revoked_at=now)
        entries = []
        for token in live:
            token.revoked_at = now
            entries.append((actor or owner, "api.token_revoked", token, describe(token)))
        trail.record_all(entries)
    return len(live)


def is_live(token_id: int) -> bool:
    """Whether the token still authenticates: not revoked, not expired, its owner active
    and vouched for (an open socket made with it is closed when it stops:
    conferencing.account_watch)."""
    now = timezone.now()
    token = (
        ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user__person")
        .first()
    )
    return token is not None and vouched_for_by_directory(token.user, now)


def authenticate(key: str) -> ApiToken:
    """The live token of this key, its owner loaded (with the person); TokenRefused
    (unknown, revoked, expired, inactive) otherwise. One query, plus one update of
    "last used" at most once a LAST_USED_STEP."""
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise unknown()
    wanted = hash_key(key)
    candidates = ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).select_related(
        "user", "user__person"
    )
    # The prefix is public and may be shared by a few tokens: compare every candidate's
    # hash in constant time, never by a database equality on the secret.
    token = next((c for c in candidates if hmac.compare_digest(c.secret_hash, wanted)), None)
    if token is None:
        raise unknown()
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked", _("This API token was revoked."))
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused("token_expired", _("This API token has expired."))
    if not token.user.is_active:
        raise TokenRefused("account_inactive", _("The account of this API token is inactive."))
    if not vouched_for_by_directory(token.user, now):
        raise TokenRefused(
            "directory_sign_in_needed",
            _(
                "Sign in through your directory again to keep this API token working: the "
                "directory has not vouched for your account for %(days)d days."
            )
            % {"days": settings.DIRECTORY_TOKEN_DAYS},
        )
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def vouched_for_by_directory(user: AbstractBaseUser, now: datetime) -> bool:
    """A directory person's tokens work while they have signed in through the directory
    within DIRECTORY_TOKEN_DAYS: the tokens never ask the directory, so a person removed
    from it (who can no longer sign in) loses them within that many days. Local and
    service accounts are not asked."""
    person = getattr(user, "person", None)
    if person is None or person.source not in (Source.LDAP, Source.OIDC):
        return True
    last = user.last_login
    return last is not None and now - last <= timedelta(days=settings.DIRECTORY_TOKEN_DAYS)


def unknown() -> TokenRefused:
    return TokenRefused("token_invalid", _("This API token is not valid."))


def act_for_its_office(token: ApiToken) -> None:
    """Make the token's owner (token.user, the object the request carries) act for the
    token's office for this request, or for none if it has none or the owner no longer
    belongs to it (jurisdiction.offices_of counts active offices only)."""
    user = token.user
    if token.office_id is None:
        jurisdiction.act_for_none(user)
        return
    try:
        jurisdiction.choose(user, token.office_id)
    except jurisdiction.NotAMember:
        jurisdiction.act_for_none(user)


def describe(token: ApiToken) -> dict:
    return {
        "owner": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "office": token.office.code if token.office else None,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }
