"""Single sign-on's two pages: the start (off to the provider) and the callback.

mozilla-django-oidc's views, with two changes: both answer 404 while single sign-on is
not configured, and a failed callback (bad state, the provider's error, a bad nonce or
token, refused claims) is audited and shown on the sign-in page in the person's language
instead of a bare redirect (or a 400 page for an unknown state).
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import auth, messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from audit import trail
from people.oidc_sign_in import SignInRefused

USER_TYPE = "auth.user"
logger = logging.getLogger(__name__)


class SignInStartView(OIDCAuthenticationRequestView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.user = self.signed_in(request)
        except SignInRefused as refused:
            return self.refuse(request, refused)
        return self.login_success()

    def signed_in(self, request: HttpRequest):
        """The callback's checks in order: our state, the provider's error, its issuer,
        then the code exchanged and the tokens and claims checked (the backend)."""
        states = request.session.get("oidc_states")
        state = request.GET.get("state")
        if not isinstance(states, dict) or state not in states:
            raise SignInRefused("bad_state")
        # One use: a replayed answer finds its state gone.
        started = states.pop(state)
        request.session.modified = True
        request.session.save()
        if request.GET.get("error"):
            if request.user.is_authenticated:
                auth.logout(request)
            error = request.GET.get("error", "")[:100]
            description = request.GET.get("error_description", "")[:400]
            raise SignInRefused("provider_error", f"{error}: {description}".strip(": "))
        # RFC 9207: the provider names itself in its answer (a mix-up defence).
        issuer = request.GET.get("iss")
        if issuer is not None and issuer != settings.OIDC_OP_ISSUER:
            raise SignInRefused("wrong_issuer", f"iss={issuer[:200]!r}")
        if not request.GET.get("code"):
            raise SignInRefused("token_refused", "no code")
        # As the library does: reload the session after the slow exchange, so changes
        # made meanwhile by other tabs are not overwritten.
        request.session = request.session.__class__(request.session.session_key)
        user = auth.authenticate(
            request=request,
            nonce=started.get("nonce"),
            code_verifier=started.get("code_verifier"),
        )
        if user is None or not user.is_active:
            # Locked out (django-axes), or the backend is not installed.
            raise SignInRefused("refused")
        return user

    def refuse(self, request: HttpRequest, refused: SignInRefused) -> HttpResponse:
        """Audit the failed callback and show why on the sign-in page."""
        request.session.pop("oidc_id_token", None)
        logger.warning("single sign-on refused: %s %s", refused.reason, refused.detail)
        with transaction.atomic():
            trail.record_about(
                None,
                "sign_in.oidc_failed",
                USER_TYPE,
                refused.user_id,
                {
                    "reason": refused.reason,
                    "detail": refused.detail,
                    "ip_address": get_client_ip_address(request),
                },
            )
        messages.error(request, refused.message)
        return redirect(settings.LOGIN_URL)
