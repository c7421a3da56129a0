"""API token authentication for the REST API (people.api_tokens holds the rules)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from people import api_tokens

# "Bearer" is the standard (RFC 6750); "Token" is what clients of the first API sent.
KEYWORDS = (b"bearer", b"token")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` (or `Token <token>`): the token's owner, acting
    for the token's office or for none. Unknown, revoked, expired tokens and inactive
    owners: 401 with a code telling which (config.api_errors adds it to the body). A
    read-only token asking an unsafe method: 403 here, whatever the view's own
    permissions say. No header: not this class's business (the session's, then 401)."""

    def authenticate(self, request: Request):  # type: ignore[no-untyped-def]
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer followed by the token."),
                code="token_invalid",
            )
        try:
            token = api_tokens.authenticate(words[1].decode("latin1"))
        except api_tokens.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(refused.message, code=refused.code) from None
        if token.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                _("This API token may only read."), code="token_read_only"
            )
        api_tokens.act_for_its_office(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
