"""API tokens on the readiness sockets, for programs that are not browsers.

A handshake carrying `Authorization: Bearer <token>` (or `Token <token>`) is
authenticated by that token alone (people.api_tokens: the same rules as the REST
API, acting for the token's office) and needs no Origin: a browser cannot set that
header, so no page of another site can make one. A bad, expired or revoked token
gives no user: the consumer refuses the socket (4403), as for an anonymous visitor.
Every other handshake takes the browser's path: the Origin check, then the session
cookie. A read-only token may watch a board but not send reports (the consumer reads
`scope["read_only"]`).
"""

from functools import partial

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware
from django.contrib.auth.models import AnonymousUser

from config.websocket_origin import SameOriginValidator, header
from people import api_tokens

KEYWORDS = ("bearer", "token")


def bearer_key(scope: dict) -> str | None:
    """The token of the handshake's Authorization header, "" for a malformed one, None
    when there is no header of a token scheme."""
    value = header(scope, b"authorization")
    if value is None:
        return None
    words = value.split()
    if not words or words[0].lower() not in KEYWORDS:
        return None
    return words[1] if len(words) == 2 else ""


def token_user(key: str) -> tuple[object, bool, object]:
    """(the token's owner acting for its office, read only?, the check that the token
    still authenticates) or (anonymous, True, None)."""
    try:
        token = api_tokens.authenticate(key)
    except api_tokens.TokenRefused:
        return AnonymousUser(), True, None
    api_tokens.act_for_its_office(token)
    return token.user, token.read_only, partial(api_tokens.is_live, token.pk)


class TokenOrBrowser(BaseMiddleware):
    """Routes a handshake by how it authenticates: a token straight to the routes (the
    language cookie still read), anything else through the Origin check and the session."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.by_token = CookieMiddleware(inner)
        self.by_browser = SameOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope, receive, send):
        key = bearer_key(scope)
        if key is None:
            return await self.by_browser(scope, receive, send)
        user, read_only, live = await database_sync_to_async(token_user)(key)
        scope = {
            **scope,
            "user": user,
            "read_only": read_only,
            "session": None,
            # Polled while the socket is open: a revoked or expired token closes it.
            "credential_live": live,
        }
        return await self.by_token(scope, receive, send)
