"""API tokens on the readiness sockets (config.websocket_tokens), against the real ASGI
application: a program sends `Authorization: Bearer …` in the handshake and no Origin;
browsers keep the session cookie and the Origin check."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from accounts import sessions
from accounts.roles import Role
from conferencing import consumers, jurisdiction
from config.asgi import application
from people import api_tokens
from people.models import ApiToken, TokenScope
from tests.conferencing.websocket_helpers import (
    HOST,
    TECHNICIAN_PATH,
    TIMEOUT,
    assert_error,
    board_path,
    receive,
    report,
    request,
    send,
)
from tests.factories import UserFactory

transactional = pytest.mark.django_db(transaction=True)
pytestmark = [pytest.mark.usefixtures("released_connections"), transactional]


@pytest.fixture
def sites(readiness_sites):
    return readiness_sites


def token_of(user, scope: str = TokenScope.READ_WRITE) -> str:
    offices = jurisdiction.offices_of(user)
    made = api_tokens.create(
        user, name="Điện thoại", scope=scope, office_id=offices[0].pk if offices else None
    )
    return made.key


def headers(authorization: str) -> list[tuple[bytes, bytes]]:
    """A program's handshake: its Host and its token, no Origin, no cookie."""
    return [HOST, (b"authorization", authorization.encode())]


async def connect(path: str, authorization: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=headers(authorization))
    connected, _code = await communicator.connect(timeout=TIMEOUT)
    assert connected is True
    return communicator


async def outcome(path: str, authorization: str) -> str | int:
    """ "open", or the code the socket is closed with (or the handshake refused with)."""
    communicator = WebsocketCommunicator(application, path, headers=headers(authorization))
    try:
        connected, code = await communicator.connect(timeout=TIMEOUT)
        if not connected:
            return f"denied {code}"
        if await communicator.receive_nothing(timeout=0.3):
            return "open"
        message = await communicator.receive_output(timeout=TIMEOUT)
        return message.get("code", "open") if message["type"] == "websocket.close" else "open"
    finally:
        await communicator.disconnect(timeout=TIMEOUT)


async def test_a_technicians_token_reports_without_origin_or_cookie(channel_layer, bob, legs):
    key = await database_sync_to_async(token_of)(bob)

    phone = await connect(TECHNICIAN_PATH, f"Bearer {key}")
    try:
        ack = await request(phone, "report", report(legs["T01"], "checking"))
    finally:
        await phone.disconnect(timeout=TIMEOUT)

    assert (ack["type"], ack["content"]["leg"], ack["content"]["state"]) == (
        "ack",
        legs["T01"],
        "checking",
    )


async def test_a_read_only_token_may_not_send_reports(channel_layer, bob, legs):
    key = await database_sync_to_async(token_of)(bob, TokenScope.READ)

    phone = await connect(TECHNICIAN_PATH, f"Bearer {key}")
    try:
        message_id = await send(phone, "report", report(legs["T01"], "checking"))
        answer = await assert_error(phone, "read_only", message_id)
    finally:
        await phone.disconnect(timeout=TIMEOUT)

    # No language cookie: the program hears the default language.
    assert answer["content"]["message"] == "Token API này chỉ được đọc: không gửi được báo cáo."


async def test_a_read_only_token_watches_a_board(channel_layer, alice, session):
    key = await database_sync_to_async(token_of)(alice, TokenScope.READ)

    board = await connect(board_path(session.conference_id), f"Bearer {key}")
    try:
        snapshot = await receive(board)
    finally:
        await board.disconnect(timeout=TIMEOUT)

    assert snapshot["type"] == "snapshot"
    assert len(snapshot["content"]["cells"]) == 6


def spoiled_tokens(bob) -> dict[str, str]:
    revoked, expired = api_tokens.create(bob, name="a", scope="read"), token_of(bob)
    api_tokens.revoke(revoked.token)
    ApiToken.objects.filter(prefix=expired[:8]).update(expires_at=timezone.now())
    gone = api_tokens.create(bob, name="b", scope="read").key
    return {
        "revoked": f"Bearer {revoked.key}",
        "expired": f"Bearer {expired}",
        "unknown": "Bearer " + "x" * 43,
        "malformed": "Bearer",
        "owner inactive": f"Token {gone}",
    }


async def test_a_bad_token_is_refused_as_an_anonymous_visitor(bob, session):
    tokens = await database_sync_to_async(spoiled_tokens)(bob)
    await database_sync_to_async(type(bob).objects.filter(pk=bob.pk).update)(is_active=False)

    codes = {case: await outcome(TECHNICIAN_PATH, header) for case, header in tokens.items()}

    assert codes == dict.fromkeys(tokens, consumers.CLOSE_UNAUTHORISED)


async def test_a_tokens_board_shows_its_offices_part(channel_layer, session, other):
    olga = await database_sync_to_async(UserFactory)(
        username="olga", roles=[Role.SECRETARIAT], offices=[other]
    )
    key = await database_sync_to_async(token_of)(olga, TokenScope.READ)

    board = await connect(board_path(session.conference_id), f"Bearer {key}")
    try:
        snapshot = await receive(board)
    finally:
        await board.disconnect(timeout=TIMEOUT)

    assert {cell["site"] for cell in snapshot["content"]["cells"]} == {"T02", "X0201", "X0202"}


async def test_without_a_token_a_handshake_needs_its_origin(bob, session):
    """Another scheme than a token's takes the browser's path: no Origin, no socket."""
    code = await outcome(TECHNICIAN_PATH, "Basic Ym9iOnNlY3JldA==")

    assert code == "denied 1000"  # the handshake refused outright (HTTP 403)


async def test_deactivation_closes_an_open_token_socket_and_refuses_the_next(settings, bob):
    """What the people pages' deactivation does (sessions ended, tokens revoked)
    reaches a program's socket as it reaches a browser's."""
    settings.ACCOUNT_WATCH_SECONDS = 1
    key = await database_sync_to_async(token_of)(bob)
    phone = await connect(TECHNICIAN_PATH, f"Bearer {key}")
    try:
        await database_sync_to_async(api_tokens.revoke_all)(bob)
        await database_sync_to_async(sessions.end_sessions)(bob)
        closed = await phone.receive_output(timeout=5)
    finally:
        await phone.disconnect(timeout=TIMEOUT)

    assert closed == {"type": "websocket.close", "code": consumers.CLOSE_ACCOUNT_ENDED}
    assert await outcome(TECHNICIAN_PATH, f"Bearer {key}") == consumers.CLOSE_UNAUTHORISED


async def test_revoking_the_token_closes_its_open_socket(settings, bob):
    settings.ACCOUNT_WATCH_SECONDS = 1
    key = await database_sync_to_async(token_of)(bob)
    phone = await connect(TECHNICIAN_PATH, f"Bearer {key}")
    try:
        token = await database_sync_to_async(ApiToken.objects.get)(user=bob)
        await database_sync_to_async(api_tokens.revoke)(token)

        message = await phone.receive_output(timeout=5)
    finally:
        await phone.disconnect(timeout=TIMEOUT)

    assert message == {"type": "websocket.close", "code": consumers.CLOSE_ACCOUNT_ENDED}


async def test_a_live_token_keeps_its_socket_open(settings, bob):
    settings.ACCOUNT_WATCH_SECONDS = 1
    key = await database_sync_to_async(token_of)(bob)
    phone = await connect(TECHNICIAN_PATH, f"Bearer {key}")
    try:
        assert await phone.receive_nothing(timeout=2.5)
        await send(phone, "ping")
        assert (await receive(phone))["type"] == "pong"
    finally:
        await phone.disconnect(timeout=TIMEOUT)
