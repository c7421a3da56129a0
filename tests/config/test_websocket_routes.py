"""The WebSocket entry of config.asgi: origin check first, unknown paths closed at once."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from config.consumers import UNKNOWN_PATH_CLOSE_CODE

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
    code = await close_code(path, [ALLOWED_ORIGIN])

    assert code == UNKNOWN_PATH_CLOSE_CODE == 4404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "headers",
    [[], [(b"origin", b"http://evil.example")], [(b"origin", b"null")]],
    ids=["no-origin", "foreign-origin", "null-origin"],
)
async def test_socket_without_an_allowed_origin_is_refused_before_routing(headers):
    communicator = WebsocketCommunicator(application, "/ws/nowhere/", headers=headers)

    connected, code = await communicator.connect(timeout=5)
    await communicator.disconnect()

    # Refused by AllowedHostsOriginValidator (handshake rejected), not by the catch-all route.
    assert (connected, code) == (False, 1000)


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
