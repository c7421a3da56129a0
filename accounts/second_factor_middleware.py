"""Holding a session that still owes its second factor (accounts.second_factor) to the
pages that settle it.

After OTPMiddleware (which gives request.user.is_verified()). Pages: anything but the
enrol, verify and sign-out pages (and language, health, static) redirects there, the
asked URL kept as `next`. The API: such a session counts as anonymous (an API token is
not a session and is never asked).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import second_factor

# URL names a session owing its second factor may still reach.
OPEN_TO_UNVERIFIED = {
    "second-factor-verify",
    "second-factor-enrol",
    "logout",
    "oidc_logout",  # signed in through single sign-on: sign-out ends the provider's too
    "set_language",
    "healthz",
    "readyz",
}
API_PREFIX = "/api/"


def owes_second_factor(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated
        and not user.is_verified()
        and second_factor.asked_of(user, request.session)
    )


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX) and owes_second_factor(request):
            request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_TO_UNVERIFIED and not match.namespace:
            return None
        if request.path_info.startswith(API_PREFIX) or not owes_second_factor(request):
            return None
        return HttpResponseRedirect(to_second_factor(request.user, request.get_full_path()))


def to_second_factor(user, next_url: str) -> str:
    """The page that settles the second factor: verify, or enrol for one who has none."""
    name = "second-factor-verify" if second_factor.has_device(user) else "second-factor-enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"
