"""Calendar feed tokens: create, rotate, revoke, look up.

A token is 256 random bits (URL-safe base64, 43 characters) shown once, when
created; only its SHA-256 is stored. Looking one up hashes what was given,
finds the row by that hash and compares the two hashes in constant time, so
neither the stored value nor response times tell anything about a token. A
token works only while it is not revoked and its owner may still see what it
shows (a technician moved off a site loses that site's feed at once). Every
creation, rotation and revocation is audited.

Authority follows the office (docs/authority.md): an organisation feed is made for
the office its owner acts for and, when served, acts for that office
(`jurisdiction.remember_choice`), so it holds what `visibility.concerning` gives that
office; it works while its owner is still secretariat and still a member. A site
feed is the site's technicians', or the secretariat's for a site of the jurisdiction
of the office it acts for when making it (while one of its offices still covers it).
"""

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import can_view_meetings, is_secretariat
from accounts.token_digest import digest
from audit import trail
from conferencing import jurisdiction
from conferencing.models import Endpoint, Level
from meetings.calendar.models import FeedKind, FeedToken

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
MAX_ACTIVE_FEEDS = 20
# last_used_at is written at most this often per token: a feed poll is not a write.
TOUCH_INTERVAL = timedelta(minutes=15)


class FeedTokenError(ValueError):
    """The request is wrong (unknown site, too many feeds); `field` names the culprit."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class FeedScope:
    """What a new feed shows: whose sessions, which site, which part of the country."""

    kind: str
    site_code: str = ""
    province_code: str = ""
    level: int | None = None
    # A personal feed only: leave out the sessions invited to by e-mail.
    without_invitations: bool = False


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


hash_token = digest


def is_well_formed(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def may_create_kind(user: AbstractBaseUser, kind: str) -> bool:
    """Personal feeds for every role; site feeds for technicians and the secretariat
    acting for an office (which site is checked on creation); the organisation feed for
    the secretariat acting for an office."""
    if kind == FeedKind.PERSONAL:
        return can_view_meetings(user)
    if kind == FeedKind.SITE:
        return (
            jurisdiction.acts_for_an_office(user)
            or Endpoint.objects.filter(technicians=user).exists()
        )
    if kind == FeedKind.ORGANISATION:
        return jurisdiction.acts_for_an_office(user)
    return False


def may_use(feed: FeedToken) -> bool:
    """Whether the owner may still see what the feed shows."""
    user = feed.user
    if not user.is_active:
        return False
    if feed.kind == FeedKind.PERSONAL:
        return can_view_meetings(user)
    if feed.kind == FeedKind.SITE:
        if feed.endpoint is None:
            return False
        if is_secretariat(user) and any(
            jurisdiction.covers(office, feed.endpoint) for office in jurisdiction.offices_of(user)
        ):
            return True
        return feed.endpoint.technicians.filter(pk=user.pk).exists()
    return (
        is_secretariat(user)
        and feed.office_id is not None
        and any(office.pk == feed.office_id for office in jurisdiction.offices_of(user))
    )


def act_for(feed: FeedToken) -> None:
    """Make the feed's owner act for the feed's office while it is served: what the
    organisation feed holds is what `visibility.concerning` gives that office. A feed
    without an office acts for none."""
    jurisdiction.remember_choice(feed.user, feed.office_id)


def resolve_scope(user: AbstractBaseUser, scope: FeedScope) -> dict:
    """The model fields of a feed with this scope, or FeedTokenError / PermissionDenied."""
    if scope.kind not in FeedKind.values:
        raise FeedTokenError(_("Choose a kind of feed."), "kind")
    if not may_create_kind(user, scope.kind):
        raise PermissionDenied
    if scope.kind == FeedKind.PERSONAL:
        return {"kind": scope.kind, "without_invitations": scope.without_invitations}
    if scope.kind == FeedKind.SITE:
        endpoint = Endpoint.objects.filter(code=scope.site_code.strip()).first()
        if endpoint is None:
            raise FeedTokenError(_("Choose an existing site."), "site")
        if endpoint.technicians.filter(pk=user.pk).exists():
            return {"kind": scope.kind, "endpoint": endpoint}
        office = jurisdiction.booking_office(user)
        if office is None:
            raise PermissionDenied
        if not jurisdiction.covers(office, endpoint):
            raise FeedTokenError(jurisdiction.outside_message([endpoint.code], office), "site")
        return {"kind": scope.kind, "endpoint": endpoint}
    office = jurisdiction.booking_office(user)
    if office is None:
        raise PermissionDenied
    fields: dict = {"kind": scope.kind, "office": office}
    if scope.province_code.strip():
        province = Endpoint.objects.filter(
            code=scope.province_code.strip(), level=Level.PROVINCE
        ).first()
        if province is None:
            raise FeedTokenError(_("Choose an existing province site."), "province")
        # The province inside the jurisdiction, or the one a commune office lies in.
        inside = jurisdiction.covers(office, province)
        if not (inside or office.jurisdiction.path.startswith(province.path)):
            raise FeedTokenError(jurisdiction.outside_message([province.code], office), "province")
        fields["province"] = province
    if scope.level is not None:
        if scope.level not in Level.values:
            raise FeedTokenError(_("Choose a level."), "level")
        fields["level"] = scope.level
    return fields


def create(user: AbstractBaseUser, scope: FeedScope) -> tuple[FeedToken, str]:
    """A new feed and its token (the only time the token is known); audited."""
    fields = resolve_scope(user, scope)
    with transaction.atomic():
        if FeedToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_FEEDS:
            raise FeedTokenError(
                _("You have %(max)d calendar feeds already: revoke one first.")
                % {"max": MAX_ACTIVE_FEEDS}
            )
        token = new_token()
        feed = FeedToken.objects.create(user=user, token_hash=hash_token(token), **fields)
        trail.record(user, "calendar.feed_created", feed, describe(feed))
    return feed, token


def rotate(feed: FeedToken, user: AbstractBaseUser) -> tuple[FeedToken, str]:
    """Revoke the feed's token and give the same feed a new one; audited."""
    with transaction.atomic():
        old = locked_own(feed, user)
        old.revoked_at = timezone.now()
        old.save(update_fields=["revoked_at"])
        token = new_token()
        new = FeedToken.objects.create(
            user=old.user,
            kind=old.kind,
            endpoint=old.endpoint,
            province=old.province,
            office=old.office,
            level=old.level,
            without_invitations=old.without_invitations,
            token_hash=hash_token(token),
        )
        trail.record(user, "calendar.feed_rotated", new, {**describe(new), "replaces": old.pk})
    return new, token


def revoke(feed: FeedToken, user: AbstractBaseUser) -> FeedToken:
    """Stop the feed's token at once (nothing caches a token's validity); audited."""
    with transaction.atomic():
        feed = locked_own(feed, user)
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        trail.record(user, "calendar.feed_revoked", feed, describe(feed))
    return feed


def locked_own(feed: FeedToken, user: AbstractBaseUser) -> FeedToken:
    """The user's own active feed under a row lock, else FeedToken.DoesNotExist."""
    return FeedToken.objects.select_for_update().active().get(pk=feed.pk, user=user)


def describe(feed: FeedToken) -> dict:
    return {
        "kind": feed.kind,
        "site": feed.endpoint.code if feed.endpoint else None,
        "province": feed.province.code if feed.province else None,
        "level": feed.level,
        "office": feed.office.code if feed.office else None,
        "without_invitations": feed.without_invitations,
    }


def lookup(token: str) -> FeedToken | None:
    """The active, still-permitted feed of this token, or None (whatever the reason)."""
    if not is_well_formed(token):
        return None
    wanted = hash_token(token)
    feed = (
        FeedToken.objects.active()
        .select_related(
            "user__person",
            "endpoint",
            "province",
            "office__jurisdiction",
            "user__calendar_preference",
        )
        .filter(token_hash=wanted)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
        return None
    if not may_use(feed):
        return None
    act_for(feed)
    return feed


def touch(feed: FeedToken, now: datetime) -> None:
    """Remember the feed was used, at most once per TOUCH_INTERVAL."""
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_INTERVAL:
        FeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now


def active_feeds(user: AbstractBaseUser) -> list[FeedToken]:
    return list(
        FeedToken.objects.active()
        .filter(user=user)
        .select_related("endpoint", "province", "office")
    )
