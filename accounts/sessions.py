"""The browser sessions a person is signed in with, and ending all of them at once.

Django keeps sessions by key only; `SignedInSession` remembers which keys are whose
(written at sign-in, dropped at sign-out), so "sign out everywhere" and deactivation
delete exactly those sessions from whatever store is configured. Open WebSockets are
told through the channel layer group of the account (`account_group`): the consumers
join it and close when `account.ended` arrives.
"""

from datetime import timedelta
from importlib import import_module
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Person, SignedInSession


def remember(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    """Receiver of `user_logged_in`: this session is the user's."""
    session_key = request.session.session_key
    if not session_key:
        request.session.save()
        session_key = request.session.session_key
    SignedInSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "ip_address": getattr(request, "axes_ip_address", None)
            or get_client_ip_address(request),
            "user_agent": request.headers.get("user-agent", "")[:300],
        },
    )


def forget(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Receiver of `user_logged_out`."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def rekey(old_key: str | None, new_key: str | None) -> None:
    """The session went on under a new key (Django cycles it when the password changes)."""
    if old_key and new_key and old_key != new_key:
        SignedInSession.objects.filter(session_key=old_key).update(session_key=new_key)


def current(user: AbstractBaseUser) -> list[SignedInSession]:
    """The person's sessions that may still be alive, newest first (older rows outlived
    SESSION_COOKIE_AGE: those sessions have expired)."""
    since = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return list(SignedInSession.objects.filter(user=user, signed_in_at__gte=since))


def end_sessions(user: AbstractBaseUser, keep: str | None = None) -> int:
    """Sign the person out of every browser (but the session `keep`) and have their open
    sockets closed within ACCOUNT_WATCH_SECONDS; how many sessions ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = SignedInSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    Person.objects.filter(user=user).update(sessions_ended_at=timezone.now())
    return len(keys)
