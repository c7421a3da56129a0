"""Sign-in through the province's OpenID Connect provider (single sign-on).

mozilla-django-oidc runs the authorisation-code flow (PKCE, state, nonce); this backend
adds what it leaves out and what Giao Ban needs:

- the ID token's `iss` must be OIDC_OP_ISSUER and its `aud` must name our client (with
  `azp` our client when it names several): the library checks neither, so a token the
  provider issued to another application would otherwise sign its holder in here;
- the account is found by the provider's `sub`, never by e-mail or preferred_username:
  `sub` is the one claim the provider promises never to change or reuse for another
  person, while e-mail addresses and user names are renamed and recycled. The Django
  username is "oidc." + sub (or + a hash of it when it is long or holds characters a
  username may not), so it never meets a local account's name;
- what the provider says of the person (name as written, e-mail, phone, unit, groups,
  and the sites of a configured claim) goes through `people.directory.sync_person`: a
  person whose groups no rule maps is refused, and so is an account deactivated here.

Every refusal is a `SignInRefused` with a stable reason; the callback view audits it and
tells the person why (people/views/single_sign_on.py).
"""

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.backends import active_user_with_person
from accounts.models import Person, Source
from people.directory import DirectoryPerson, sync_person

USERNAME_PREFIX = "oidc."
# Seconds the provider's clock may differ from ours when checking a token's times.
CLOCK_LEEWAY_S = 60
# Django's username validator ([\w.@+-]) and its 150 characters.
PLAIN_SUBJECT = re.compile(r"^[\w.@+-]{1,100}$", re.ASCII)

MESSAGES = {
    "bad_state": _("This sign-in link has expired or was already used. Please sign in again."),
    "bad_nonce": _(
        "The answer of the single sign-on service does not belong to this sign-in. "
        "Please sign in again."
    ),
    "provider_error": _(
        "The single sign-on service refused the sign-in. If your account there is "
        "disabled, ask its administrators."
    ),
    "wrong_issuer": _("The answer of the single sign-on service could not be verified."),
    "wrong_audience": _("The answer of the single sign-on service could not be verified."),
    "invalid_token": _("The answer of the single sign-on service could not be verified."),
    "subject_mismatch": _("The answer of the single sign-on service could not be verified."),
    "token_refused": _("The single sign-on service did not confirm the sign-in. Please try again."),
    "unreachable": _("The single sign-on service cannot be reached. Please try again later."),
    "no_rule": _(
        "Your single sign-on account gives no access to Giao Ban. Ask your office's "
        "secretariat to add you."
    ),
    "inactive": _("This account is deactivated. Ask your office's secretariat."),
    "account_conflict": _(
        "This single sign-on account matches a local account. Ask an administrator."
    ),
    "refused": _("The sign-in was refused."),
}


class SignInRefused(Exception):
    """A single sign-on refused; `reason` is one of MESSAGES' keys (stable, audited)."""

    def __init__(self, reason: str, detail: str = "", user_id: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.user_id = user_id

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.reason, MESSAGES["refused"]))


def username_for(subject: str) -> str:
    """The Django username of the provider's subject: stable, unique, never a local name."""
    if PLAIN_SUBJECT.match(subject):
        return USERNAME_PREFIX + subject
    digest = hashlib.sha256(subject.encode("utf-8")).digest()
    return USERNAME_PREFIX + base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def claim_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def claim_list(value: Any) -> list[str] | None:
    """A list claim as strings; a string is read as comma-separated; None when absent."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def directory_person(claims: dict[str, Any]) -> DirectoryPerson:
    """What the provider's claims say of the person, in the directory's terms."""
    site_codes = None
    if settings.OIDC_SITE_CODES_CLAIM:
        # An absent claim leaves the sites as they are (the provider may not have been
        # asked for it); a present, empty one clears them.
        site_codes = claim_list(claims.get(settings.OIDC_SITE_CODES_CLAIM))
    return DirectoryPerson(
        source=Source.OIDC,
        full_name=claim_text(claims.get("name"))[:200],
        email=claim_text(claims.get("email"))[:254],
        phone=claim_text(claims.get("phone_number")),
        unit=claim_text(claims.get(settings.OIDC_UNIT_CLAIM)) if settings.OIDC_UNIT_CLAIM else "",
        groups=claim_list(claims.get(settings.OIDC_GROUPS_CLAIM)) or [],
        site_codes=site_codes,
    )


class OIDCSignInBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the issuer, audience and subject checked, the
    account found by `sub` and made current by the directory rules."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any):
        # Only the callback view passes `code_verifier`; a password sign-in never comes here.
        if request is None or not settings.OIDC_ENABLED or "code_verifier" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as error:
            raise SignInRefused("token_refused", str(error)[:500]) from error
        except requests.RequestException as error:
            raise SignInRefused("unreachable", str(error)[:500]) from error

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The library's check (the header's algorithm must be OIDC_RP_SIGN_ALGO), with
        CLOCK_LEEWAY_S of tolerance for the provider's clock on exp, iat and nbf."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"algorithm {algorithm!r} is not OIDC_RP_SIGN_ALGO")
        return jwt.decode(
            payload,
            key,
            algorithms=[algorithm],
            leeway=CLOCK_LEEWAY_S,
            # The audience is checked below, with azp, as OpenID Connect asks.
            options={"verify_aud": False},
        )

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The token's signature, expiry, issuer and audience, and the nonce of this
        sign-in when one is given (the ID token; a signed userinfo answer has none)."""
        try:
            if self.OIDC_RP_SIGN_ALGO.startswith("HS"):
                key = self.OIDC_RP_CLIENT_SECRET
            else:
                key = self.OIDC_RP_IDP_SIGN_KEY or self.retrieve_matching_jwk(token)
            payload = self.get_payload_data(token, key)
        except (SuspiciousOperation, jwt.InvalidTokenError) as error:
            raise SignInRefused("invalid_token", str(error)[:500]) from error
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SignInRefused("wrong_issuer", f"iss={payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        client_id = self.OIDC_RP_CLIENT_ID
        azp = payload.get("azp")
        if (
            client_id not in audiences
            or (len(audiences) > 1 and azp != client_id)
            or (azp is not None and azp != client_id)
        ):
            raise SignInRefused("wrong_audience", f"aud={audiences!r} azp={azp!r}")
        if "nonce" in kwargs and kwargs["nonce"] != payload.get("nonce"):
            raise SignInRefused("bad_nonce")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]):
        """The account of the token's subject, created at its first sign-in and made what
        the provider says at every one. Refused (nothing written, a new account not kept)
        when deactivated here or when no directory rule maps its groups."""
        claims = self.get_userinfo(access_token, id_token, payload)
        subject = payload.get("sub")
        if not isinstance(subject, str) or not subject or claims.get("sub") != subject:
            raise SignInRefused("subject_mismatch", f"sub={subject!r}")
        username = username_for(subject)
        with transaction.atomic():
            user = self.UserModel._default_manager.filter(username=username).first()
            created = user is None
            if user is None:
                user = self.UserModel._default_manager.create_user(username)
            else:
                if not self.user_can_authenticate(user):
                    raise SignInRefused("inactive", user_id=str(user.pk))
                source = Person.objects.filter(user=user).values_list("source", flat=True).first()
                if source not in (None, Source.OIDC):
                    raise SignInRefused("account_conflict", user_id=str(user.pk))
            if not sync_person(user, directory_person(claims)):
                raise SignInRefused(
                    "no_rule",
                    f"groups={claim_list(claims.get(settings.OIDC_GROUPS_CLAIM))!r}",
                    user_id="" if created else str(user.pk),
                )
        return user

    def get_user(self, user_id):
        return active_user_with_person(user_id)


def provider_logout_url(request: HttpRequest) -> str:
    """Where sign-out goes (OIDC_OP_LOGOUT_URL_METHOD): the provider's end-session
    endpoint when it has one and the person signed in through it (RP-initiated logout,
    which ends the provider's session too and comes back to our sign-in page); else
    straight to our sign-in page."""
    back = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not settings.OIDC_OP_LOGOUT_ENDPOINT or not id_token:
        return back
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(back),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
