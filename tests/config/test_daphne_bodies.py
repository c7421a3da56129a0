"""Daphne, once config.asgi is loaded, leaves a POSTed form's body to Django: Twisted no
longer parses it into copies in memory (bench/records.py measures the memory)."""

from types import SimpleNamespace

from daphne.http_protocol import WebRequest
from twisted.web.test.requesthelper import DummyChannel

import config.asgi  # noqa: F401  (what Daphne loads)

BOUNDARY = "giaoban-boundary"
BODY = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="file"; filename="Biên bản.pdf"\r\n'
    "Content-Type: application/pdf\r\n\r\n"
    "%PDF-1.7 ...\r\n"
    f"--{BOUNDARY}--\r\n"
).encode()


class Server:
    def protocol_connected(self, request: WebRequest) -> None:
        pass


def received(body: bytes, content_type: str) -> WebRequest:
    channel = DummyChannel()
    channel.factory = SimpleNamespace(server=Server())
    request = WebRequest(channel)
    request.process = lambda: None  # the hand-over to the application is not under test
    request.requestHeaders.setRawHeaders(b"content-type", [content_type.encode()])
    request.requestHeaders.setRawHeaders(b"content-length", [str(len(body)).encode()])
    request.gotLength(len(body))
    request.handleContentChunk(body)
    request.requestReceived(b"POST", b"/api/v1/meetings/1/records/", b"HTTP/1.1")
    return request


def test_a_multipart_body_is_not_parsed_by_twisted_and_reaches_django_whole():
    request = received(BODY, f"multipart/form-data; boundary={BOUNDARY}")

    assert request.args == {}
    assert request.content.read() == BODY


def test_an_urlencoded_body_is_not_parsed_by_twisted_either():
    request = received(b"title=Giao+ban&kind=minutes", "application/x-www-form-urlencoded")

    assert request.args == {}
    assert request.content.read() == b"title=Giao+ban&kind=minutes"
