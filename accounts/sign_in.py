"""Sign-in attempts and lockouts (django-axes counts them): the audit trail and unlocking.

Axes decides who is locked out; this module writes what happened to the audit trail and
is the one way to lift a lockout (the command and the admin both call `unlock`).

A backend that refuses a sign-in for a reason the person should read (the directory
cannot be reached, the directory account is disabled) says so with `refuse`: the
sign-in form shows that message instead of "wrong username or password", and the
failure's audit entry carries the reason.
"""

from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest

from accounts.client_address import counted_address
from audit import trail

USER_TYPE = "auth.user"


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def refuse(request: HttpRequest | None, code: str, message: str) -> None:
    """Say why this request's sign-in is refused (the backend still returns None)."""
    if request is not None:
        request.sign_in_refusal = Refusal(code, message)  # type: ignore[attr-defined]


def refusal(request: HttpRequest | None) -> Refusal | None:
    return getattr(request, "sign_in_refusal", None)


def _account_id(username: str | None) -> str:
    """The account's primary key, or "" when no account has that name (guessers try many)."""
    if not username:
        return ""
    user_id = (
        get_user_model()
        .objects.filter(**{get_user_model().USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
    )
    return "" if user_id is None else str(user_id)


def address_of(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Axes has already worked the address out for this request, by the same settings.
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


def record_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Receiver of Django's `user_login_failed` (wrong password, or refused while locked)."""
    username = credentials.get("username")
    changes = {
        "username": username,
        "ip_address": address_of(request),
        "locked_out": bool(getattr(request, "axes_locked_out", False)),
    }
    refused = refusal(request)
    if refused is not None:
        changes["reason"] = refused.code
    trail.record_about(None, "sign_in.failed", USER_TYPE, _account_id(username), changes)


def record_success(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """Receiver of Django's `user_logged_in`: every sign-in a client makes over HTTP,
    whatever its backend.

    Not the bare HttpRequest that Django's test client builds for `force_login()` (a
    server's requests are WSGIRequest or ASGIRequest): no client signed in there, and
    thousands of tests sign in that way before counting the entries an action wrote."""
    if request is None or type(request) is HttpRequest:
        return
    trail.record(
        user,
        "sign_in.succeeded",
        user,
        {
            "ip_address": address_of(request),
            "backend": getattr(user, "backend", None),
        },
    )


def record_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """Receiver of axes' `user_locked_out`, which axes also sends for every attempt made
    during a lockout (each one counted, and each one restarting the cool-off): only the
    attempt that reached the limit is the lockout."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != get_failure_limit(request, getattr(request, "axes_credentials", None)):
        return
    trail.record_about(
        None,
        "sign_in.locked_out",
        USER_TYPE,
        _account_id(username),
        {"username": username, "ip_address": ip_address, "failures": failures},
    )


def unlock(
    actor: AbstractBaseUser | AnonymousUser | None,
    username: str,
    ip_address: str | None,
    via: str,
) -> int:
    """Forget the failed attempts of `username` (from `ip_address` only, or from every
    address when it is None), which lifts its lockout; returns how many attempt rows went.

    Side effect: one `sign_in.unlocked` audit entry when something was unlocked.
    """
    ip_address = counted_address(ip_address)
    with transaction.atomic():
        removed = reset(ip=ip_address, username=username)
        if removed:
            trail.record_about(
                actor,
                "sign_in.unlocked",
                USER_TYPE,
                _account_id(username),
                {"username": username, "ip_address": ip_address, "attempts": removed, "via": via},
            )
    return removed


def unlock_attempts(actor: AbstractBaseUser | AnonymousUser, attempts: list[AccessAttempt]) -> None:
    """Unlock the account and address of each attempt row (the admin's delete)."""
    for pair in sorted({(attempt.username, attempt.ip_address) for attempt in attempts}):
        username, ip_address = pair
        unlock(actor, username or "", ip_address, via="admin")
