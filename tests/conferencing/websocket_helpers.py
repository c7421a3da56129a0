"""Talking to the readiness sockets of the real ASGI application (config.asgi).

A communicator opens as a page of the app would (its Host, the same Origin) with the
session cookie of a persona;
`socket()` always disconnects, whatever the test does; `assert_error` checks a
stable error code and that the socket still answers afterwards. Every frame received
through `receive` must fit docs/asyncapi.yaml (tests/conferencing/asyncapi_contract.py):
each socket test is also a consumer test of the contract.
"""

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from tests.conferencing.asyncapi_contract import CLIENT, SERVER, Contract, ContractBroken

CONTRACT = Contract.load()

HOST = (b"host", b"localhost")
ORIGIN = (b"origin", b"http://localhost")
TECHNICIAN_PATH = "/ws/readiness/"
TIMEOUT = 5


def board_path(conference_id: int) -> str:
    return f"/ws/conferences/{conference_id}/board/"


def session_cookie(user) -> str:
    """The session id of a fresh sign-in of `user` (call from sync code: a fixture)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def headers_for(cookie: str | None, language: str = "en") -> list[tuple[bytes, bytes]]:
    cookies = [f"{settings.LANGUAGE_COOKIE_NAME}={language}"]
    if cookie:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={cookie}")
    return [HOST, ORIGIN, (b"cookie", "; ".join(cookies).encode())]


@asynccontextmanager
async def socket(
    path: str, cookie: str | None, language: str = "en", expect_accept: bool = True
) -> AsyncIterator[WebsocketCommunicator]:
    """An open socket (connect asserted) that is disconnected on the way out."""
    communicator = WebsocketCommunicator(application, path, headers=headers_for(cookie, language))
    try:
        connected, _code = await communicator.connect(timeout=TIMEOUT)
        assert connected is expect_accept
        yield communicator
    finally:
        await communicator.disconnect(timeout=TIMEOUT)


async def close_code(path: str, cookie: str | None) -> int:
    """The code a refused socket is closed with. It must be accepted first and closed
    right after: a browser never sees the code of a handshake refused outright (1006)."""
    communicator = WebsocketCommunicator(application, path, headers=headers_for(cookie))
    try:
        connected, _subprotocol = await communicator.connect(timeout=TIMEOUT)
        assert connected is True
        message = await communicator.receive_output(timeout=TIMEOUT)
        assert message["type"] == "websocket.close"
        return message.get("code", 1000)
    finally:
        await communicator.disconnect(timeout=TIMEOUT)


def new_id() -> str:
    return uuid.uuid4().hex


async def send(
    communicator: WebsocketCommunicator, kind: str, content=None, message_id: str | None = None
) -> str:
    message_id = message_id or new_id()
    envelope = {"type": kind, "id": message_id}
    if content is not None:
        envelope["content"] = content
    await communicator.send_to(text_data=json.dumps(envelope))
    return message_id


async def receive(communicator: WebsocketCommunicator, timeout: float = TIMEOUT) -> dict:
    """The next frame, once checked against the contract (its socket's channel)."""
    frame = json.loads(await communicator.receive_from(timeout=timeout))
    CONTRACT.check(CONTRACT.channel_of(communicator.scope["path"]), SERVER, frame)
    return frame


async def request(
    communicator: WebsocketCommunicator, kind: str, content=None, message_id: str | None = None
) -> dict:
    """Send one envelope and return the answer to it."""
    message_id = await send(communicator, kind, content, message_id)
    answer = await receive(communicator)
    assert answer["in_response"] == message_id
    return answer


ALL_OK = {"audio": True, "video": True, "network": True, "display": True}


def report(leg: int, state: str, **extra) -> dict:
    """A report's content, every check ok unless `extra` says otherwise."""
    return {"leg": leg, "state": state, "checklist": ALL_OK, **extra}


async def assert_error(
    communicator: WebsocketCommunicator, code: str, in_response: str | None = None
) -> dict:
    """The next message is an error with `code` (answering `in_response`), and the
    socket still answers a ping afterwards: errors never close it."""
    answer = await receive(communicator)
    assert answer["type"] == "error"
    assert answer["content"]["code"] == code
    assert answer["in_response"] == in_response
    assert isinstance(answer["content"]["message"], str)
    assert answer["content"]["message"] != ""
    pong = await request(communicator, "ping")
    assert pong["type"] == "pong"
    return answer


async def nothing_more(communicator: WebsocketCommunicator, timeout: float = 0.3) -> bool:
    return await communicator.receive_nothing(timeout=timeout)


async def open_socket(path: str, cookie: str | None) -> WebsocketCommunicator:
    """A connected socket the caller must disconnect (when `socket()` does not fit)."""
    communicator = WebsocketCommunicator(application, path, headers=headers_for(cookie))
    connected, _code = await communicator.connect(timeout=TIMEOUT)
    assert connected is True
    return communicator


class ContractSocket:
    """A readiness socket whose every frame, either way, is checked against the contract;
    `seen` holds the messages it carried from the server, `codes` the error codes."""

    def __init__(self, communicator: WebsocketCommunicator, path: str) -> None:
        self.contract, self.communicator = CONTRACT, communicator
        self.channel = CONTRACT.channel_of(path)
        self.seen: set[str] = set()
        self.codes: set[str] = set()

    async def send(
        self, kind: str, content: dict | None = None, message_id: str | None = None
    ) -> str:
        """Send a well-formed frame, checked first: what a conforming client sends."""
        message_id = message_id or new_id()
        frame: dict = {"type": kind, "id": message_id}
        if content is not None:
            frame["content"] = content
        self.contract.check(self.channel, CLIENT, frame)
        await self.communicator.send_to(text_data=json.dumps(frame, ensure_ascii=False))
        return message_id

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame as it is (one the server must refuse), unchecked."""
        if isinstance(data, bytes):
            await self.communicator.send_to(bytes_data=data)
        else:
            await self.communicator.send_to(text_data=data)

    async def receive(self) -> dict:
        frame = json.loads(await self.communicator.receive_from(timeout=TIMEOUT))
        message = self.contract.check(self.channel, SERVER, frame)
        self.seen.add(message.name)
        if frame["type"] == "error":
            self.codes.add(frame["content"]["code"])
        return frame

    async def request(
        self, kind: str, content: dict | None = None, message_id: str | None = None
    ) -> dict:
        message_id = await self.send(kind, content, message_id)
        answer = await self.receive()
        assert answer["in_response"] == message_id
        return answer

    async def closed_with(self) -> int:
        """The code the server closes the socket with: one the document names."""
        message = await self.communicator.receive_output(timeout=TIMEOUT)
        assert message["type"] == "websocket.close", message
        code = message.get("code", 1000)
        if code not in self.contract.close_codes(self.channel):
            raise ContractBroken(
                f"close code {code} is not one docs/asyncapi.yaml names for {self.channel}"
            )
        return code


@asynccontextmanager
async def contract_socket(
    path: str, cookie: str | None = None, headers: list | None = None
) -> AsyncIterator["ContractSocket"]:
    """An open socket on the real ASGI application (a browser's handshake with `cookie`,
    or these `headers`), disconnected on the way out."""
    communicator = WebsocketCommunicator(
        application, path, headers=headers if headers is not None else headers_for(cookie)
    )
    try:
        connected, _code = await communicator.connect(timeout=TIMEOUT)
        assert connected is True
        yield ContractSocket(communicator, path)
    finally:
        await communicator.disconnect(timeout=TIMEOUT)
