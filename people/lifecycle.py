"""Switching a person off and on, and lifting their sign-in lockout, from the people
pages (the caller has found the person through people.scope.managed_person).

Deactivation takes effect at once: the account can no longer sign in, its browser
sessions are deleted, its API tokens stop, and its open WebSockets are closed within
ACCOUNT_WATCH_SECONDS by every server process (conferencing.account_watch).
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sign_in
from accounts.sessions import end_sessions
from audit import trail
from people import api_tokens
from people.changes import ChangeRefused, shared_person_message
from people.scope import User, wholly_managed


def deactivate(actor: User, user: AbstractBaseUser) -> bool:
    """Switch the account off now; whether it was on. Refused (ChangeRefused) for
    oneself.

    Side effects, in one transaction: is_active False; every browser session of the
    account deleted and `Person.sessions_ended_at` stamped (its open sockets close
    within ACCOUNT_WATCH_SECONDS); its API tokens revoked (people.api_tokens.revoke_all,
    one "api.token_revoked" entry each); one audit entry
    "person.deactivated" with how many sessions and tokens ended.
    """
    if actor.is_authenticated and actor.pk == user.pk:
        raise ChangeRefused(_("You cannot deactivate your own account."))
    if not wholly_managed(actor, user):
        raise ChangeRefused(shared_person_message())
    with transaction.atomic():
        was_active = user.is_active
        if was_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        # Even for an account already off: whatever is still open of it ends now.
        sessions = end_sessions(user)
        tokens = api_tokens.revoke_all(user, actor)
        if was_active:
            trail.record(
                actor,
                "person.deactivated",
                user,
                {"is_active": False, "sessions_ended": sessions, "tokens_revoked": tokens},
            )
    return was_active


def reactivate(actor: User, user: AbstractBaseUser) -> bool:
    """Switch the account on again; whether it was off. The person signs in anew (their
    sessions and tokens are gone).

    Side effects: is_active True; one audit entry "person.reactivated".
    """
    if user.is_active:
        return False
    if not wholly_managed(actor, user):
        raise ChangeRefused(shared_person_message())
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        trail.record(actor, "person.reactivated", user, {"is_active": True})
    return True


@dataclass(frozen=True)
class Lockout:
    """The failed sign-ins counted against an account (django-axes' rows)."""

    failures: int
    addresses: int
    locked: bool
    last_failure: object = None


def lockout(user: AbstractBaseUser) -> Lockout:
    """How the account stands with the lockout: failures still counted, from how many
    addresses, and whether one of them has reached the limit (within the cool-off)."""
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    cool_off = settings.AXES_COOLOFF_TIME
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gt=timezone.now() - cool_off)
    summary = attempts.aggregate(
        failures=Sum("failures_since_start"),
        worst=Max("failures_since_start"),
        last=Max("attempt_time"),
    )
    return Lockout(
        failures=summary["failures"] or 0,
        addresses=attempts.count(),
        locked=(summary["worst"] or 0) >= settings.AXES_FAILURE_LIMIT,
        last_failure=summary["last"],
    )


def unlock(actor: User, user: AbstractBaseUser) -> int:
    """Lift the person's sign-in lockout from every address; how many attempt rows went.

    Side effect: one audit entry "sign_in.unlocked" (via "office") when there were any.
    """
    return sign_in.unlock(actor, user.get_username(), None, via="office")
