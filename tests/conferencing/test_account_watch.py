"""An account's open sockets close (4401) within seconds of its sessions being ended
(deactivation, "sign out everywhere"), whichever process ended them; the sockets of
other people stay open."""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async

from accounts import sessions
from conferencing.consumers import CLOSE_ACCOUNT_ENDED
from tests.conferencing.websocket_helpers import TECHNICIAN_PATH, send, session_cookie, socket
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("released_connections"),
]


@pytest.fixture
def settings_fast(settings):
    settings.ACCOUNT_WATCH_SECONDS = 1
    return settings


@pytest.fixture
def two_people(db):
    return UserFactory(username="hung"), UserFactory(username="mai")


async def test_ending_the_sessions_closes_that_persons_open_sockets_only(settings_fast, two_people):
    hung, mai = two_people
    hung_cookie = await database_sync_to_async(session_cookie)(hung)
    mai_cookie = await database_sync_to_async(session_cookie)(mai)
    async with (
        socket(TECHNICIAN_PATH, hung_cookie) as hung_socket,
        socket(TECHNICIAN_PATH, mai_cookie) as mai_socket,
    ):
        started = time.monotonic()
        ended = await database_sync_to_async(sessions.end_sessions)(hung)

        message = await hung_socket.receive_output(timeout=5)
        assert message == {"type": "websocket.close", "code": CLOSE_ACCOUNT_ENDED}
        assert time.monotonic() - started < 5
        assert ended == 1
        await send(mai_socket, "ping")
        assert (await mai_socket.receive_json_from(timeout=5))["type"] == "pong"


async def test_a_socket_opened_after_the_end_is_not_closed_by_it(settings_fast, two_people):
    hung, _mai = two_people
    await database_sync_to_async(sessions.end_sessions)(hung)
    await asyncio.sleep(0.01)
    cookie = await database_sync_to_async(session_cookie)(hung)
    async with socket(TECHNICIAN_PATH, cookie) as fresh:
        await asyncio.sleep(1.5)
        await send(fresh, "ping")
        assert (await fresh.receive_json_from(timeout=5))["type"] == "pong"
