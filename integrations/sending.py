"""One HTTP POST of a webhook: bounded in time and in what is read, no redirects.

The standard library's http.client, since the project has no HTTP client of its own
(requests comes only with mozilla-django-oidc): the connection goes to the address
integrations.addresses checked, the Host header and the TLS name stay the URL's.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from integrations.addresses import RefusedAddress, resolve

# What the delivery log keeps of an answer's body.
BODY_EXCERPT_BYTES = 1024
USER_AGENT = "GiaoBan-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer (refused, timed out, unreachable)
    body: str
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST the body; never raises for what the network or the receiver does. A redirect
    is an answer like any other non-2xx (its Location is not followed)."""
    started = time.monotonic()
    deadline = started + settings.WEBHOOKS_TIMEOUT_SECONDS

    def elapsed_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    connection = None
    try:
        connection = connect(url, deadline)
        # Kept: http.client lets go of its socket once a "Connection: close" answer came.
        sock = connection.sock
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Connection": "close",
            },
        )
        sock.settimeout(remaining(deadline))
        response = connection.getresponse()
        excerpt = read_bounded(response, sock, deadline)
        return Answer(response.status, excerpt, elapsed_ms())
    except TimeoutError:
        return Answer(None, "", elapsed_ms(), "timeout")
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Answer(None, "", elapsed_ms(), describe(error))
    finally:
        if connection is not None:
            connection.close()


def connect(url: str, deadline: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = resolve(parts.hostname or "", port)
    timeout = min(settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS, remaining(deadline))
    sock = socket.create_connection((address, port), timeout=timeout)
    if https:
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
    connection = http.client.HTTPConnection(parts.hostname or "", port)
    # A connection given its socket does not open another (http.client.HTTPConnection.send).
    connection.sock = sock
    return connection


def read_bounded(response: http.client.HTTPResponse, sock: socket.socket, deadline: float) -> str:
    """The first BODY_EXCERPT_BYTES of the body, read before the deadline; the rest is
    left unread (the connection is closed)."""
    chunks, size = [], 0
    while size < BODY_EXCERPT_BYTES:
        sock.settimeout(remaining(deadline))
        chunk = response.read1(BODY_EXCERPT_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def describe(error: Exception) -> str:
    if isinstance(error, RefusedAddress):
        return error.message[:500]
    return f"{type(error).__name__}: {error}"[:500]
