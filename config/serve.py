"""The web server: Daphne, with request bodies bounded before they are read.

    python -m config.serve [daphne's options] config.asgi:application

Daphne 4.2 has no body-size option. Twisted receives a whole request body (in memory,
or a temporary file past 100 KB), and Daphne's `WebRequest.process()` then pushes all of
it into the application's queue before the application runs: an anonymous 300 MB POST
costs the process 300 MB, whatever Django answers later. `BoundedRequest` refuses a body
over `settings.MAX_REQUEST_BODY_BYTES` with 413 while it arrives: at once when its
Content-Length is known, as soon as the received bytes pass the limit when it is chunked.

It is installed by subclassing, nothing of Daphne or Twisted is reassigned: Daphne's
command line builds its server from `CommandLineInterface.server_class`
(`GiaoBanCommandLine` names `BoundedServer`); `Server.run()` keeps the HTTP factory it
builds in `self.http_factory` and listens with what that attribute holds, which
`BoundedServer` makes a `BoundedHTTPFactory` (a subclass of Daphne's); its protocols build
`BoundedRequest`s through their `requestFactory`, as Daphne's own factory sets it to
`WebRequest`. tests/config/test_serve.py fails if a Daphne or Twisted upgrade moves
these seams.
"""

# Daphne's server module installs the asyncio reactor: it must come before anything that
# imports twisted.internet.reactor.
from daphne.server import Server  # isort: skip

import asyncio
import io
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext

TOO_LARGE_CODE = "body_too_large"
# A body this small stays in memory on its way to the application; past it, on disk.
SPOOL_IN_MEMORY_BYTES = 64 * 1024

logger = logging.getLogger(__name__)


class BoundedRequest(WebRequest):
    """Daphne's request, refusing a body over the server's `max_request_body_bytes`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Twisted would otherwise parse a form POST into `request.args` (several copies
        # of the body in memory) that Daphne never reads: Django parses it, streaming
        # uploads to temporary files.
        super().__init__(*args, parsePOSTFormSubmission=False, **kwargs)
        self.body_refused = False
        self.body_received = 0

    def gotLength(self, length: int | None) -> None:
        """Twisted's hook once the headers are in: `length` is Content-Length, or None
        for a chunked body."""
        if length is not None and length > self.server.max_request_body_bytes:
            # A small empty buffer instead of Twisted's temporary file: nothing is kept.
            self.content = io.BytesIO()
            self.refuse_body()
            return
        super().gotLength(length)

    def handleContentChunk(self, data: bytes) -> None:
        if self.body_refused:
            return  # what was already in the socket buffer when we answered: dropped
        self.body_received += len(data)
        if self.body_received > self.server.max_request_body_bytes:
            # A chunked body passing the limit: what came so far goes too.
            self.content.close()
            self.content = io.BytesIO()
            self.refuse_body()
            return
        super().handleContentChunk(data)

    def requestReceived(self, command: bytes, path: bytes, version: bytes) -> None:
        if self.body_refused:
            return  # answered already; the application never sees this request
        super().requestReceived(command, path, version)

    def refuse_body(self) -> None:
        """Answer 413 and close the connection, without reading the rest of the body.

        The request line is not the request's yet (Twisted hands it over with the whole
        body, in `requestReceived`), so the answer speaks HTTP/1.1 and chooses JSON by the
        client's headers rather than by the path.
        """
        self.body_refused = True
        logger.warning(
            "Refused a request body over %d bytes from %s",
            self.server.max_request_body_bytes,
            getattr(self.getClientAddress(), "host", "?"),
        )
        # We answer now, so a client waiting for "100 Continue" must not get one after it.
        self.requestHeaders.removeHeader(b"Expect")
        content_type, body = too_large_answer(
            accept=self.getHeader(b"Accept") or b"",
            content_type=self.getHeader(b"Content-Type") or b"",
            limit=self.server.max_request_body_bytes,
        )
        self.clientproto = b"HTTP/1.1"
        self.setResponseCode(413)
        self.setHeader(b"Content-Type", content_type)
        self.setHeader(b"Content-Length", b"%d" % len(body))
        self.setHeader(b"Connection", b"close")
        self.write(body)
        # Twisted stops reading and closes once the answer is written; the request is
        # then dropped by connectionLost, like one whose client went away.
        self.loseConnection()


def too_large_answer(accept: bytes, content_type: bytes, limit: int) -> tuple[bytes, bytes]:
    """(Content-Type, body) of the 413: the API's problem (httpapi.problems; no
    `instance`: the path is not known yet) for a JSON client, else one line of text; in
    the site's language."""
    # Imported here: this module loads before Django is set up, DRF (under httpapi) after.
    from httpapi import problems

    with translation.override(settings.LANGUAGE_CODE):
        detail = gettext("The request body is larger than %(limit)s.") % {
            # Without the no-break space filesizeformat puts in: this is a plain text.
            "limit": filesizeformat(limit).replace("\xa0", " ")
        }
        body = problems.problem(None, 413, TOO_LARGE_CODE, detail)
    if b"json" in accept.lower() or b"json" in content_type.lower():
        return problems.CONTENT_TYPE.encode(), json.dumps(body, ensure_ascii=False).encode()
    return b"text/plain; charset=utf-8", f"{detail}\n".encode()


class SpooledInputQueue:
    """An application's input queue that keeps request body bytes in a temporary file
    until the application reads them; other messages (disconnect, WebSocket frames) pass
    as they are.

    Daphne's `WebRequest.process()` puts a whole body (up to the limit) into the input
    queue at once, before the application runs: in an asyncio.Queue, every body being
    handed over is in memory at the same time (three 8 MiB recording parts sent at once
    grew the process by 22 MB; by 3.5 MB through this queue).
    """

    def __init__(self) -> None:
        # (message without its body, length of the body in the spool)
        self._messages: asyncio.Queue[tuple[dict, int]] = asyncio.Queue()
        self._spool: tempfile.SpooledTemporaryFile[bytes] | None = None
        self._written = 0
        self._read = 0

    def put_nowait(self, message: dict) -> None:
        """What Daphne calls (never blocks)."""
        body = message.get("body", b"") if message.get("type") == "http.request" else b""
        if not body:
            self._messages.put_nowait((message, 0))
            return
        if self._spool is None:
            # Closed once the last body byte is read, else with this queue.
            self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
        self._spool.seek(self._written)
        self._spool.write(body)
        self._written += len(body)
        self._messages.put_nowait(({**message, "body": b""}, len(body)))

    async def get(self) -> dict:
        """The application's `receive`."""
        message, spooled = await self._messages.get()
        if spooled:
            self._spool.seek(self._read)
            message["body"] = self._spool.read(spooled)
            self._read += spooled
        last = message.get("type") == "http.request" and not message.get("more_body", False)
        if last and self._spool is not None:
            self._spool.close()
        return message


class BoundedHTTPFactory(HTTPFactory):
    """Daphne's HTTP factory, whose protocols build `BoundedRequest`s."""

    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        # The protocol instance's public `requestFactory`, which Daphne's factory has just
        # set to WebRequest the same way.
        protocol.requestFactory = BoundedRequest
        return protocol


class BoundedServer(Server):
    """Daphne's server, listening with `BoundedHTTPFactory`, handing bodies over to the
    application through a `SpooledInputQueue`.

    `max_request_body_bytes` defaults to `settings.MAX_REQUEST_BODY_BYTES`.
    """

    def __init__(
        self, *args: Any, max_request_body_bytes: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if max_request_body_bytes is None:
            max_request_body_bytes = settings.MAX_REQUEST_BODY_BYTES
        self.max_request_body_bytes = max_request_body_bytes
        self._http_factory: BoundedHTTPFactory | None = None

    def create_application(self, protocol: Any, scope: dict) -> SpooledInputQueue | None:
        """Daphne's `Server.create_application`, with a `SpooledInputQueue` for the
        application's input instead of an asyncio.Queue."""
        assert "application_instance" not in self.connections[protocol]
        input_queue = SpooledInputQueue()
        scope.setdefault("asgi", {"version": "3.0"})
        receive: Callable[[], Awaitable[dict]] = input_queue.get
        application_instance = self.application(
            scope=scope, receive=receive, send=partial(self.handle_reply, protocol)
        )
        if protocol not in self.connections:
            return None
        self.connections[protocol]["application_instance"] = asyncio.ensure_future(
            application_instance, loop=asyncio.get_event_loop()
        )
        return input_queue

    # `Server.run()` builds Daphne's HTTPFactory into `self.http_factory`, then listens
    # with what that attribute holds: ours.
    @property
    def http_factory(self) -> BoundedHTTPFactory | None:
        return self._http_factory

    @http_factory.setter
    def http_factory(self, _daphne_factory: HTTPFactory) -> None:
        self._http_factory = BoundedHTTPFactory(self)


class GiaoBanCommandLine(CommandLineInterface):
    """Daphne's command line (same options), serving with `BoundedServer`."""

    description = "Giao Ban: Daphne with bounded request bodies"
    server_class = BoundedServer


if __name__ == "__main__":
    GiaoBanCommandLine.entrypoint()
