"""The web server (config/serve.py): request bodies over MAX_REQUEST_BODY_BYTES are refused
with 413 before they are read, the rest reach Django whole; the seams it is installed
through are checked so that a Daphne or Twisted upgrade that moves them fails here.

The HTTP tests run a real Daphne child with a 1 MiB limit (small_limit_daphne in
tests/fixtures/browser.py, which serves with config.serve.BoundedServer as bin/run does).
"""

import http.client
import inspect
import json
import re
import socket
import time
from urllib.parse import urlsplit

import pytest
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.server import Server
from django.contrib.auth import get_user_model
from twisted.internet.address import IPv4Address
from twisted.internet.testing import StringTransport
from twisted.web import http as twisted_http
from twisted.web.test.requesthelper import DummyChannel

from accounts.roles import Role
from config.serve import (
    BoundedHTTPFactory,
    BoundedRequest,
    BoundedServer,
    GiaoBanCommandLine,
    SpooledInputQueue,
)
from meetings.records.models import RecordingUpload
from people import api_tokens
from people.models import TokenScope
from tests.factories import DEMO_PASSWORD, UserFactory, central_office
from tests.fixtures.browser import SMALL_BODY_LIMIT
from tests.meetings.records.helpers import session

MiB = 1024 * 1024
LIMIT = SMALL_BODY_LIMIT  # small_limit_daphne's
ANSWER_TIMEOUT_S = 5.0
TOO_LARGE_TEXT = "Nội dung yêu cầu lớn hơn 1,0 MB.\n"
BOUNDARY = "giaoban-boundary"
FORM_BODY = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="file"; filename="Biên bản.pdf"\r\n'
    "Content-Type: application/pdf\r\n\r\n"
    "%PDF-1.7 ...\r\n"
    f"--{BOUNDARY}--\r\n"
).encode()


# -- The seams ----------------------------------------------------------------------------


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_serve_seams_daphne_and_twisted_still_offer():
    # Twisted's request hooks BoundedRequest overrides, and the public form-parsing switch.
    assert parameters(twisted_http.Request.gotLength) == ["self", "length"]
    assert parameters(twisted_http.Request.handleContentChunk) == ["self", "data"]
    assert parameters(twisted_http.Request.requestReceived) == [
        "self",
        "command",
        "path",
        "version",
    ]
    assert parameters(twisted_http.Request.__init__) == [
        "self",
        "channel",
        "queued",
        "parsePOSTFormSubmission",
    ]
    assert issubclass(BoundedRequest, WebRequest)
    # Daphne's command line builds its server from `server_class`, and Server.run() listens
    # with the factory it stores in `self.http_factory`.
    assert CommandLineInterface.server_class is Server
    assert GiaoBanCommandLine.server_class is BoundedServer
    assert "http_factory" in Server.run.__code__.co_names
    assert "HTTPFactory" in Server.run.__code__.co_names
    # BoundedServer.create_application is Daphne's with another queue: same bookkeeping.
    assert parameters(Server.create_application) == ["self", "protocol", "scope"]
    assert "application_instance" in Server.create_application.__code__.co_consts
    assert "Queue" in Server.create_application.__code__.co_names


def bounded_server(limit: int = LIMIT) -> BoundedServer:
    server = BoundedServer(application=None, endpoints=["tcp:port=0"], max_request_body_bytes=limit)
    server.connections = {}  # what Server.run() starts with
    return server


def test_serve_server_listens_with_bounded_factory_when_daphne_builds_its_own():
    server = bounded_server()

    server.http_factory = HTTPFactory(server)  # what Server.run() does

    assert type(server.http_factory) is BoundedHTTPFactory


def test_serve_request_through_the_server_factory_is_a_bounded_request():
    server = bounded_server()
    server.http_factory = HTTPFactory(server)
    protocol = server.http_factory.buildProtocol(IPv4Address("TCP", "127.0.0.1", 40000))
    transport = StringTransport()
    protocol.makeConnection(transport)

    protocol.dataReceived(
        b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000\r\n\r\n"
    )

    assert [type(request) for request in server.connections] == [BoundedRequest]
    assert transport.value().split(b"\r\n")[0] == b"HTTP/1.1 413 Request Entity Too Large"
    assert transport.disconnecting is True


# -- Bodies are handed to the application from a spool, whole and in order ----------------


async def test_serve_spooled_queue_hands_over_every_message_in_order():
    queue = SpooledInputQueue()
    chunks = [bytes([n]) * 8192 for n in range(200)]  # 1.6 MB, past the in-memory part
    sent = [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks]
    sent.append({"type": "http.request", "body": b"", "more_body": False})
    sent.append({"type": "http.disconnect"})
    for message in sent:
        queue.put_nowait(message)

    received = [await queue.get() for _ in sent]

    assert received == sent


async def test_serve_spooled_queue_passes_websocket_frames_as_they_are():
    queue = SpooledInputQueue()
    frames = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "bytes": None, "text": '{"type": "ping"}'},
    ]
    for frame in frames:
        queue.put_nowait(frame)

    assert [await queue.get(), await queue.get()] == frames


# -- Form bodies reach Django whole: Twisted does not parse them ---------------------------


class Received(BoundedRequest):
    """Stops where Daphne would hand the request to the application."""

    def process(self) -> None:
        pass


def received(body: bytes, content_type: str) -> BoundedRequest:
    channel = DummyChannel()
    channel.factory = BoundedHTTPFactory(bounded_server())
    request = Received(channel)
    request.requestHeaders.setRawHeaders(b"content-type", [content_type.encode()])
    request.requestHeaders.setRawHeaders(b"content-length", [str(len(body)).encode()])
    request.gotLength(len(body))
    request.handleContentChunk(body)
    request.requestReceived(b"POST", b"/api/v1/meetings/1/records/", b"HTTP/1.1")
    return request


def test_serve_multipart_body_is_not_parsed_by_twisted_and_reaches_django_whole():
    request = received(FORM_BODY, f"multipart/form-data; boundary={BOUNDARY}")

    assert request.args == {}
    assert request.content.read() == FORM_BODY


def test_serve_urlencoded_body_is_not_parsed_by_twisted_either():
    request = received(b"title=Giao+ban&kind=minutes", "application/x-www-form-urlencoded")

    assert request.args == {}
    assert request.content.read() == b"title=Giao+ban&kind=minutes"


# -- A real Daphne child with a 1 MiB limit ------------------------------------------------


@pytest.fixture
def secretary_token(transactional_db) -> str:
    user = UserFactory(username="thuky-body", roles=[Role.SECRETARIAT])
    # Made for her office (people.api_tokens): a token bound to none manages nothing.
    made = api_tokens.create(
        user, name="Đo kiểm", scope=TokenScope.READ_WRITE, office_id=central_office().pk
    )
    return made.key


def port_of(base_url: str) -> int:
    return urlsplit(base_url).port


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one answer (with Content-Length) read from `sock`."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    length = int(headers.get("Content-Length", "0"))
    while len(body) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return int(lines[0].split()[1]), headers, body


def upload_json(padding: int) -> bytes:
    """A recording upload the API would create, padded with a field it ignores."""
    return json.dumps(
        {
            "title": "Ghi hình",
            "file_name": "ghi-hình.mp4",
            "size": 1000,
            "content_type": "video/mp4",
            "padding": "x" * padding,
        }
    ).encode()


def api_head(meeting_id: int, token: str, framing: str) -> bytes:
    return (
        f"POST /api/v1/meetings/{meeting_id}/recording-uploads/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n"
    ).encode()


@pytest.mark.django_db(transaction=True)
def test_serve_content_length_over_limit_is_refused_before_the_body_is_sent(
    small_limit_daphne, secretary_token
):
    meeting = session(api_tokens.authenticate(secretary_token).user)
    body = upload_json(padding=LIMIT)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port_of(small_limit_daphne))) as sock:
        sock.settimeout(ANSWER_TIMEOUT_S)
        # Only the headers: the answer must come without the body.
        sock.sendall(api_head(meeting.pk, secretary_token, f"Content-Length: {len(body)}"))
        status, headers, answer = read_answer(sock)
        closed = sock.recv(1) == b""

    assert (status, headers["Connection"], closed) == (413, "close", True)
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(answer) == {
        "type": "http://127.0.0.1:8000/api/v1/problems/body_too_large",
        "title": "Yêu cầu quá lớn",
        "status": 413,
        "detail": TOO_LARGE_TEXT.strip(),
        "instance": "",
        "code": "body_too_large",
    }
    assert time.monotonic() - started < ANSWER_TIMEOUT_S
    assert RecordingUpload.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_serve_chunked_body_over_limit_is_cut_off_with_413(small_limit_daphne, secretary_token):
    meeting = session(api_tokens.authenticate(secretary_token).user)
    body = upload_json(padding=2 * LIMIT)
    with socket.create_connection(("127.0.0.1", port_of(small_limit_daphne))) as sock:
        sock.settimeout(ANSWER_TIMEOUT_S)
        sock.sendall(api_head(meeting.pk, secretary_token, "Transfer-Encoding: chunked"))
        try:
            # The server stops reading past the limit: stop sending when it answers.
            for start in range(0, len(body), 64 * 1024):
                piece = body[start : start + 64 * 1024]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        status, headers, answer = read_answer(sock)

    assert (status, headers["Connection"]) == (413, "close")
    assert json.loads(answer)["code"] == "body_too_large"
    assert RecordingUpload.objects.count() == 0


def test_serve_refusal_of_a_browser_is_vietnamese_text(small_limit_daphne):
    with socket.create_connection(("127.0.0.1", port_of(small_limit_daphne))) as sock:
        sock.settimeout(ANSWER_TIMEOUT_S)
        sock.sendall(
            b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Expect: 100-continue\r\nContent-Length: 300000000\r\n\r\n"
        )
        status, headers, answer = read_answer(sock)
        rest = sock.recv(100)

    assert (status, headers["Content-Type"]) == (413, "text/plain; charset=utf-8")
    assert answer.decode() == TOO_LARGE_TEXT
    assert rest == b""  # no "100 Continue" after the refusal


@pytest.mark.django_db(transaction=True)
def test_serve_json_under_limit_reaches_django_whole(small_limit_daphne, secretary_token):
    meeting = session(api_tokens.authenticate(secretary_token).user)
    body = upload_json(padding=LIMIT - 1000)
    connection = http.client.HTTPConnection("127.0.0.1", port_of(small_limit_daphne), timeout=30)
    try:
        connection.request(
            "POST",
            f"/api/v1/meetings/{meeting.pk}/recording-uploads/",
            body=body,
            headers={
                "Authorization": f"Token {secretary_token}",
                "Content-Type": "application/json",
            },
        )
        response = connection.getresponse()
        answer = json.loads(response.read())
    finally:
        connection.close()

    assert response.status == 201
    assert (answer["file_name"], answer["size"]) == ("ghi-hình.mp4", 1000)
    assert RecordingUpload.objects.count() == 1


def csrf_token(base_url: str) -> tuple[str, str]:
    """(cookie header, token) from the login page."""
    connection = http.client.HTTPConnection("127.0.0.1", port_of(base_url), timeout=30)
    try:
        connection.request("GET", "/login/")
        response = connection.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    finally:
        connection.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookie, token


def multipart(fields: dict[str, str]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_serve_form_under_limit_reaches_django_whole(small_limit_daphne, encoding):
    user = UserFactory(username="thuky-form", roles=[Role.SECRETARIAT])
    cookie, token = csrf_token(small_limit_daphne)
    fields = {
        "csrfmiddlewaretoken": token,
        "username": user.username,
        "password": DEMO_PASSWORD,
        "padding": "x" * (LIMIT - 2000),  # the last field: Django must have read it all
        "next": "/",
    }
    if encoding == "multipart":
        body, content_type = multipart(fields), f"multipart/form-data; boundary={BOUNDARY}"
    else:
        body = "&".join(f"{name}={value}" for name, value in fields.items()).encode()
        content_type = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port_of(small_limit_daphne), timeout=30)
    try:
        connection.request(
            "POST",
            "/login/",
            body=body,
            headers={"Content-Type": content_type, "Cookie": cookie},
        )
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()

    # Signed in (the password was read) and sent to `next` (read after the padding).
    assert (response.status, response.getheader("Location")) == (302, "/")
    assert get_user_model().objects.get(pk=user.pk).last_login is not None


def test_serve_websocket_handshake_still_works(small_limit_daphne):
    port = port_of(small_limit_daphne)
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(ANSWER_TIMEOUT_S)
        sock.sendall(
            f"GET /ws/nowhere/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)

    assert head.split(b"\r\n")[0] == b"HTTP/1.1 101 Switching Protocols"
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
