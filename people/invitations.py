"""Invitations: a one-time link, valid INVITATION_HOURS (72), to set one's password.

people.invitation_queue.invite_after_commit is how the people pages and the people
import bring someone in: the e-mails go once the transaction that made the accounts
commits, from a task (people.tasks), which issues each link. `redeem` is the link's
page: an unknown, expired, used or voided token is refused with a reason, and nothing
is written.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.token_digest import digest
from audit import trail
from people.models import Invitation

TOKEN_BYTES = 32


class InvitationRefused(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


hash_token = digest


def issue(user: AbstractBaseUser, invited_by: AbstractBaseUser | None) -> str:
    """A new link token for `user` (earlier unused ones are voided); the raw token is
    returned once and only its hash is stored."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at=None, voided_at=None).update(voided_at=now)
        Invitation.objects.create(
            user=user,
            token_hash=hash_token(raw),
            invited_by=invited_by
            if invited_by is not None and invited_by.is_authenticated
            else None,
            expires_at=now + timedelta(hours=settings.INVITATION_HOURS),
        )
        trail.record(invited_by, "person.invited", user, {})
    return raw


def check(raw: str) -> Invitation:
    """The invitation this token opens; InvitationRefused (code, translated message)."""
    if not isinstance(raw, str) or not 20 <= len(raw) <= 100:
        raise InvitationRefused("invalid", _("This invitation link is not valid."))
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    )
    if invitation is None:
        raise InvitationRefused("invalid", _("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise InvitationRefused(
            "used",
            _("This invitation link has already been used. Sign in, or reset your password."),
        )
    if invitation.voided_at is not None:
        raise InvitationRefused(
            "voided", _("A newer invitation was sent to you: use the link in the latest e-mail.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            "expired", _("This invitation link has expired. Ask your office to invite you again.")
        )
    if not invitation.user.is_active:
        raise InvitationRefused("invalid", _("This invitation link is not valid."))
    return invitation


def redeem(raw: str, password: str) -> AbstractBaseUser:
    """Set the invited person's password and spend the link, in one transaction.
    InvitationRefused, or django's ValidationError for a password the policy refuses."""
    with transaction.atomic():
        invitation = check(raw)
        # Locked, then checked again: two clicks on one link set one password.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None:
            raise InvitationRefused(
                "used",
                _("This invitation link has already been used. Sign in, or reset your password."),
            )
        user = invitation.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        trail.record(user, "person.invitation_accepted", user, {})
    return user
