"""The origin check of every WebSocket handshake, with Django's CSRF rule.

A page may open a socket only from the app's own origin — the scheme, host and
port the handshake was sent to — or from an origin in CSRF_TRUSTED_ORIGINS:
the comparison Django's CsrfViewMiddleware makes for an unsafe request.
Channels' AllowedHostsOriginValidator compares the host only, so a page served
from any port of an allowed host (`http://127.0.0.1:9999`) could open the
app's sockets with its user's cookie.
"""

import io
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.utils.http import is_same_domain


def header(scope: dict, name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", []) if key == name]
    # Two Origin headers are no origin at all: a browser sends exactly one.
    return values[0].decode("latin1") if len(values) == 1 else None


def own_origin(scope: dict) -> str | None:
    """scheme://host[:port] the handshake was sent to, as Django reads it for a request:
    the Host header checked against ALLOWED_HOSTS, the scheme from the server or,
    behind a TLS proxy, from SECURE_PROXY_SSL_HEADER (and USE_X_FORWARDED_HOST).
    None when the host is not allowed."""
    # The handshake is an HTTP GET; Django's own request class reads it with the very
    # rules its CSRF check uses. Daphne names no scheme for a socket, a test server
    # may ("ws"/"wss").
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    request = ASGIRequest(
        {**scope, "type": "http", "method": "GET", "scheme": scheme}, io.BytesIO()
    )
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None


def trusted(origin: str) -> bool:
    """In CSRF_TRUSTED_ORIGINS: exactly, or under a `scheme://*.domain` entry."""
    if "*" not in origin and origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    return any(
        is_same_domain(parsed.netloc, pattern.netloc.lstrip("*"))
        for pattern in map(urlsplit, settings.CSRF_TRUSTED_ORIGINS)
        if "*" in pattern.netloc and pattern.scheme == parsed.scheme
    )


def origin_allowed(scope: dict) -> bool:
    origin = header(scope, b"origin")
    own = own_origin(scope)
    # A host outside ALLOWED_HOSTS is refused whatever the origin, as Django answers 400
    # to any request for it (a DNS-rebinding page names its own origin).
    if origin is None or own is None:
        return False
    return origin == own or trusted(origin)


class SameOriginValidator:
    """ASGI middleware: a handshake from another origin is refused before routing (the
    browser sees the upgrade answered 403). Reads the settings at each handshake."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator guards WebSocket connections only")
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
