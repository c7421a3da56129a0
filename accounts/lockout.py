"""The answer to a sign-in refused for lockout: the sign-in page with a translated message."""

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def lockout_message() -> str:
    cool_off = settings.AXES_COOLOFF_TIME
    if cool_off is None:
        return _(
            "This account is locked for sign-in from your address after too many wrong "
            "passwords. Ask an administrator to unlock it."
        )
    minutes = max(1, int(cool_off.total_seconds() // 60))
    return ngettext(
        "This account is locked for sign-in from your address after too many wrong "
        "passwords. Try again in %(minutes)d minute or ask an administrator to unlock it.",
        "This account is locked for sign-in from your address after too many wrong "
        "passwords. Try again in %(minutes)d minutes or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE. Axes passes (request, response, credentials) from synchronous
    middleware but (request, credentials) from asynchronous: neither is needed here."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "lockout_message": lockout_message(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
