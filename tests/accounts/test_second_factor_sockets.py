"""The readiness sockets and the second factor: a session that owes it is refused as an
anonymous one is; a verified one opens; sign out everywhere closes an open socket."""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client

from accounts import second_factor
from conferencing import consumers
from tests.accounts.second_factor_helpers import code_for, code_of_secret
from tests.conferencing.websocket_helpers import TECHNICIAN_PATH, close_code, socket
from tests.factories import DEMO_PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("released_connections"),
]


def signed_in(username: str, code_of=None) -> Client:
    """A browser signed in with the password, then with the code `code_of()` if given."""
    client = Client()
    assert client.post("/login/", {"username": username, "password": DEMO_PASSWORD}).status_code
    if code_of is not None:
        assert client.post("/second-factor/", {"code": code_of()}).status_code == 302
    return client


def enrolled(user):
    key = second_factor.new_secret()
    device, _codes = second_factor.enrol(user, key, code_of_secret(key), None)
    return device


def cookie_of(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def test_socket_refuses_a_secretariat_session_without_its_second_factor(alice, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    device = await sync_to_async(enrolled)(alice)
    unverified = await sync_to_async(signed_in)("alice")
    verified = await sync_to_async(signed_in)("alice", lambda: code_for(device, 1))

    refused = await close_code(TECHNICIAN_PATH, cookie_of(unverified))

    assert refused == consumers.CLOSE_UNAUTHORISED
    async with socket(TECHNICIAN_PATH, cookie_of(verified)) as communicator:
        assert await communicator.receive_nothing(timeout=0.2)


async def test_socket_refuses_an_enrolled_technician_until_verified_even_when_not_required(
    bob, settings
):
    settings.SECOND_FACTOR_REQUIRED = False
    device = await sync_to_async(enrolled)(bob)
    unverified = await sync_to_async(signed_in)("bob")
    verified = await sync_to_async(signed_in)("bob", lambda: code_for(device, 1))

    assert await close_code(TECHNICIAN_PATH, cookie_of(unverified)) == 4403
    async with socket(TECHNICIAN_PATH, cookie_of(verified)) as communicator:
        assert await communicator.receive_nothing(timeout=0.2)


async def test_sign_out_everywhere_closes_an_open_socket_of_another_browser(bob, settings):
    settings.ACCOUNT_WATCH_SECONDS = 1
    phone = await sync_to_async(signed_in)("bob")
    desk = await sync_to_async(signed_in)("bob")

    async with socket(TECHNICIAN_PATH, cookie_of(phone)) as communicator:
        await sync_to_async(desk.post)("/profile/sign-out-everywhere/")
        closed = await communicator.receive_output(timeout=5)

    assert closed == {"type": "websocket.close", "code": consumers.CLOSE_ACCOUNT_ENDED}
    assert (await sync_to_async(phone.get)("/"))["Location"] == "/login/?next=/"
