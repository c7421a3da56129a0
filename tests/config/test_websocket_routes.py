"""The WebSocket entry of config.asgi: origin check first, unknown paths closed at once."""

import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from config.asgi import application
from config.consumers import UNKNOWN_PATH_CLOSE_CODE

# A browser's handshake names the page's origin and the host it asks (always both).
HOST = (b"host", b"localhost")
ALLOWED_ORIGIN = (b"origin", b"http://localhost")


async def close_code(path: str, headers: list[tuple[bytes, bytes]]) -> int:
    """The code the server closes the socket with, whether before or after accepting it."""
    communicator = WebsocketCommunicator(application, path, headers=headers)
    try:
        connected, code = await communicator.connect(timeout=5)
        if not connected:
            return code
        message = await communicator.receive_output(timeout=5)
        assert message["type"] == "websocket.close"
        return message.get("code", 1000)
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/ws/nowhere/", "/", "/ws/conferences/1/../../etc"])
async def test_socket_on_unknown_path_is_closed_with_4404(path):
    code = await close_code(path, [HOST, ALLOWED_ORIGIN])

    assert code == UNKNOWN_PATH_CLOSE_CODE == 4404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "headers",
    [[HOST], [HOST, (b"origin", b"http://evil.example")], [HOST, (b"origin", b"null")]],
    ids=["no-origin", "foreign-origin", "null-origin"],
)
async def test_socket_without_an_allowed_origin_is_refused_before_routing(headers):
    communicator = WebsocketCommunicator(application, "/ws/nowhere/", headers=headers)

    connected, code = await communicator.connect(timeout=5)
    await communicator.disconnect()

    # Refused by AllowedHostsOriginValidator (handshake rejected), not by the catch-all route.
    assert (connected, code) == (False, 1000)


async def handshake(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the origin check lets the handshake through (the catch-all route then
    accepts it, only to close it with 4404)."""
    communicator = WebsocketCommunicator(application, "/ws/nowhere/", headers=headers)
    try:
        connected, _code = await communicator.connect(timeout=5)
        return connected
    finally:
        await communicator.disconnect()


# The app answers at localhost:8000 in these cases; Origin is the page's scheme://host[:port].
ORIGIN_CASES = {
    "same-origin": ([(b"host", b"localhost:8000"), (b"origin", b"http://localhost:8000")], True),
    "same-origin-default-port": ([HOST, (b"origin", b"http://localhost")], True),
    "other-port": ([(b"host", b"localhost:8000"), (b"origin", b"http://localhost:9999")], False),
    "port-missing": ([(b"host", b"localhost:8000"), (b"origin", b"http://localhost")], False),
    "other-scheme": ([(b"host", b"localhost:8000"), (b"origin", b"https://localhost:8000")], False),
    "other-allowed-host": (
        [(b"host", b"localhost:8000"), (b"origin", b"http://127.0.0.1:8000")],
        False,
    ),
    "host-not-allowed": (
        [(b"host", b"evil.example:8000"), (b"origin", b"http://evil.example:8000")],
        False,
    ),
    "no-host": ([(b"origin", b"http://localhost")], False),
    "trusted-origin": (
        [(b"host", b"localhost:8000"), (b"origin", b"https://giaoban.gov.vn")],
        True,
    ),
    "trusted-subdomain": (
        [(b"host", b"localhost:8000"), (b"origin", b"https://hn.tinh.gov.vn")],
        True,
    ),
    "trusted-host-other-scheme": (
        [(b"host", b"localhost:8000"), (b"origin", b"http://giaoban.gov.vn")],
        False,
    ),
    "trusted-host-other-port": (
        [(b"host", b"localhost:8000"), (b"origin", b"https://giaoban.gov.vn:8443")],
        False,
    ),
}


@pytest.mark.django_db(transaction=True)
@override_settings(CSRF_TRUSTED_ORIGINS=["https://giaoban.gov.vn", "https://*.tinh.gov.vn"])
@pytest.mark.parametrize("case", ORIGIN_CASES)
async def test_socket_origin_must_match_scheme_host_and_port(case):
    headers, expected = ORIGIN_CASES[case]

    accepted = await handshake(headers)

    assert accepted is expected


@pytest.mark.django_db(transaction=True)
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
@pytest.mark.parametrize(
    ("origin", "proto", "expected"),
    [
        (b"https://giaoban.local", b"https", True),
        (b"http://giaoban.local", b"https", False),
        (b"https://giaoban.local", b"http", False),
    ],
    ids=["https-page-behind-tls-proxy", "http-page-behind-tls-proxy", "https-page-plain-proxy"],
)
async def test_socket_origin_behind_a_tls_proxy_is_https(origin, proto, expected):
    # The proxy ends TLS and talks plain HTTP to Daphne: only its header says https.
    headers = [(b"host", b"giaoban.local"), (b"x-forwarded-proto", proto), (b"origin", origin)]

    with override_settings(ALLOWED_HOSTS=["giaoban.local"]):
        accepted = await handshake(headers)

    assert accepted is expected


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_socket_on_unknown_path_is_closed_with_4404(page):
    # A browser only sees a close code once the handshake was accepted: a close
    # before accept makes Daphne answer the upgrade with 403, which shows as 1006.
    page.goto("/healthz")

    close_code = page.evaluate(
        """() => new Promise((resolve) => {
            const socket = new WebSocket(`ws://${location.host}/ws/nowhere/`);
            socket.onclose = (event) => resolve(event.code);
        })"""
    )

    assert close_code == 4404
