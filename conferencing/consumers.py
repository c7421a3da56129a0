"""WebSocket consumers of the readiness protocol (docs/readiness-protocol.md).

Thin: they check who is asking at connect, validate each envelope, call one
domain function through database_sync_to_async and answer. Rules live in
conferencing.readiness, conferencing.readiness_board and conferencing.watch_policy.
"""

import asyncio
import json
import logging
import time
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import SynchronousOnlyOperation
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import second_factor
from conferencing import (
    account_watch,
    jurisdiction,
    protocol_text,
    readiness,
    readiness_board,
    readiness_feed,
    report_queue,
    watch_policy,
)
from conferencing.instants import iso
from conferencing.sync_calls import in_database

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4096
RATE_PER_SECOND = 5.0
RATE_BURST = 20
CLOSE_UNAUTHORISED = 4403
# The account was deactivated or signed out everywhere while the socket was open.
CLOSE_ACCOUNT_ENDED = 4401


class TokenBucket:
    """Per-connection flood control: `burst` messages at once, `rate` a second after."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.capacity = rate, float(burst)
        self.tokens, self.updated = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def language_of(scope: dict) -> str:
    """The language the user chose on the site (its cookie), else the default."""
    chosen = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen and translation.check_for_language(chosen) else settings.LANGUAGE_CODE


async def act_for_the_chosen_office(user, scope: dict) -> None:
    """A socket acts for the office chosen in the header, as the pages do
    (conferencing.acting_office): the session comes with the scope (AuthMiddlewareStack).

    A signed-in user's session was read when the user was (channels.auth.get_user), so
    its choice is read here without a hop to a database thread; only a choice costs one
    (a technician's phone, which chose nothing, connects as fast as before)."""
    session = scope.get("session")
    if session is None:
        return
    try:
        choice = session.get(jurisdiction.SESSION_KEY)
    except SynchronousOnlyOperation:  # not read yet after all
        choice = await in_database(session.get)(jurisdiction.SESSION_KEY)
    if choice is not None:
        await in_database(jurisdiction.remember_choice)(user, choice)


async def passes_second_factor(user, scope: dict) -> bool:
    """accounts.second_factor's question, asked of the socket's session. Without
    SECOND_FACTOR_REQUIRED only those who enrolled are asked: their sessions say so."""
    session = scope.get("session")
    if session is None:
        return True
    if not settings.SECOND_FACTOR_REQUIRED:
        # No hop to a database thread for the many who never enrolled.
        try:
            enrolled = session.get(second_factor.ENROLLED_SESSION_KEY)
        except SynchronousOnlyOperation:  # not read yet after all
            enrolled = await in_database(session.get)(second_factor.ENROLLED_SESSION_KEY)
        if not enrolled:
            return True
    return await in_database(second_factor.session_passes)(user, session)


class ProtocolError(Exception):
    """A message refused when read; `in_response` names it when its id could be read."""

    def __init__(self, code: str, message: str, in_response: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.in_response = code, message, in_response


def invalid_text(in_response: str | None = None) -> ProtocolError:
    return ProtocolError(
        "invalid_text",
        _("The message holds a control character or broken Unicode text."),
        in_response,
    )


class EnvelopeConsumer(AsyncWebsocketConsumer):
    """One envelope for every message: {type, id, content} in, {type, in_response, content} out."""

    handlers: dict[str, str] = {}

    async def connect(self) -> None:
        self.bucket = TokenBucket(RATE_PER_SECOND, RATE_BURST)
        self.language = language_of(self.scope)
        self.refused = False
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            if not await passes_second_factor(user, self.scope):
                user = None  # a session that owes its second factor is anonymous here
            else:
                await act_for_the_chosen_office(user, self.scope)
        if user is None or not user.is_authenticated or not await self.authorise(user):
            # Accept, then close: a close before accepting is an HTTP 403 to the
            # browser, which reports 1006 and never sees 4403 — and keeps retrying.
            self.refused = True
            await self.accept()
            await self.close(code=CLOSE_UNAUTHORISED)
            return
        await self.accept()
        self.opened_at = timezone.now()
        self.credential_live = self.scope.get("credential_live")
        self.watched_account = user.pk
        account_watch.watch(user.pk, self)
        await self.joined()

    async def websocket_disconnect(self, message: dict) -> None:
        account = getattr(self, "watched_account", None)
        if account is not None:
            account_watch.unwatch(account, self)
        await super().websocket_disconnect(message)

    async def account_ended(self) -> None:
        """The account's sessions were ended (account_watch): this socket ends too."""
        await self.close(code=CLOSE_ACCOUNT_ENDED)

    async def authorise(self, user) -> bool:
        raise NotImplementedError

    async def dispatch(self, message: dict) -> None:
        # Channels' own dispatch first closes stale database connections, a hop to the
        # one thread of synchronous code for every message of every socket. The
        # database calls here go through database_sync_to_async, which closes them
        # itself, so the hop only queued each message behind everyone's queries.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def joined(self) -> None:
        """Called once the socket is accepted."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.refused:
            return  # sent before our close arrived: a refused socket does nothing
        with translation.override(self.language):
            await self.answer(text_data, bytes_data)

    async def answer(self, text_data: str | None, bytes_data: bytes | None) -> None:
        message_id = None
        try:
            limited = not self.bucket.take()
            try:
                envelope = self.parse(text_data, bytes_data)
            except ProtocolError:
                if limited:
                    raise ProtocolError(
                        "rate_limited", _("Too many messages: slow down.")
                    ) from None
                raise
            message_id = envelope.get("id")
            if limited:
                # Answered with its id (parsing 4 KiB is cheap), so the client knows
                # which report to send again, later, with the same id.
                raise ProtocolError("rate_limited", _("Too many messages: slow down."))
            handler = self.handlers.get(envelope.get("type"))
            if handler is None:
                raise ProtocolError("unknown_type", _("Unknown message type."))
            reply = await getattr(self, handler)(envelope.get("content") or {}, message_id)
        except ProtocolError as error:
            in_response = error.in_response if message_id is None else message_id
            await self.send_error(error.code, error.message, in_response)
        except readiness.ReadinessRefused as error:
            await self.send_error(error.code, error.message, message_id)
        else:
            if reply is not None:
                await self.send_envelope(*reply, in_response=message_id)

    def parse(self, text_data: str | None, bytes_data: bytes | None) -> dict:
        try:
            raw = text_data.encode() if text_data is not None else bytes_data
        except UnicodeEncodeError:  # a lone surrogate in the frame itself
            raise invalid_text() from None
        # Bytes, not characters: 4 KiB of Vietnamese text is far fewer than 4,096 letters.
        if raw is None or len(raw) > MAX_MESSAGE_BYTES:
            raise ProtocolError("too_large", _("The message is too large."))
        try:
            envelope = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError("bad_json", _("The message is not valid JSON.")) from None
        if not isinstance(envelope, dict) or not isinstance(envelope.get("type"), str):
            raise ProtocolError("bad_envelope", _("A message needs a type, an id and a content."))
        message_id = envelope.get("id")
        if message_id is not None and not (isinstance(message_id, str) and len(message_id) <= 64):
            raise ProtocolError(
                "bad_envelope", _("A message id is a string of at most 64 characters.")
            )
        if not isinstance(envelope.get("content", {}), dict):
            raise ProtocolError("bad_envelope", _("A message's content is an object."))
        if not protocol_text.is_clean(envelope):
            # The id is answered only if it is clean itself: echoed, a lone surrogate
            # cannot be sent (it is not UTF-8) and would break the socket.
            raise invalid_text(message_id if protocol_text.is_clean(message_id) else None)
        return envelope

    async def send_envelope(self, kind: str, content: Any, in_response: str | None = None) -> None:
        # No spaces after separators: a national board's snapshot is a tenth smaller.
        await self.send(
            text_data=json.dumps(
                {"type": kind, "in_response": in_response, "content": content},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )

    async def send_error(self, code: str, message: str, in_response: str | None) -> None:
        await self.send_envelope("error", {"code": code, "message": message}, in_response)


class TechnicianConsumer(EnvelopeConsumer):
    """A technician's phone: sends reports, receives acknowledgements for its own reports."""

    handlers = {"report": "handle_report", "ping": "handle_ping"}
    # Request and answer only: the phone needs no channel of the layer (an alias that
    # is not configured gives none). So a technician can connect and report while
    # Redis is down — the report is saved, only the boards' nudge is lost and their
    # poll catches up — and thousands of phones cost Redis no subscriptions.
    channel_layer_alias = "readiness.technician.no-layer"

    async def authorise(self, user) -> bool:
        return True  # every report is checked against the sites the user serves

    async def handle_ping(self, content: dict, message_id: str | None):
        return "pong", {}

    async def handle_report(self, content: dict, message_id: str | None):
        if self.scope.get("read_only"):
            # A read-only API token (config.websocket_tokens) watches; it reports nothing.
            raise ProtocolError("read_only", _("This API token may only read: it sends no report."))
        report = parse_report(content, message_id or "")
        outcome = await report_queue.queue_of_this_loop().submit(report, self.scope["user"])
        event = outcome.event
        return "ack", {
            "leg": event.leg_id,
            "state": event.to_state,
            "seq": event.seq,
            "at": iso(event.at),
            "replayed": outcome.replayed,
        }


def parse_report(content: dict, client_id: str) -> readiness.Report:
    leg = content.get("leg")
    people = content.get("people")
    checklist = content.get("checklist") or {}
    if not isinstance(leg, int) or isinstance(leg, bool):
        raise ProtocolError("invalid", _("A report names its leg by number."))
    if people is not None and (not isinstance(people, int) or isinstance(people, bool)):
        raise ProtocolError("invalid", _("The number of people present is a whole number."))
    if not isinstance(checklist, dict) or not isinstance(content.get("note", ""), str):
        raise ProtocolError("invalid", _("The checklist is an object and the note a text."))
    if not isinstance(content.get("override", ""), str):
        raise ProtocolError("invalid", _("The reason for ready is a text."))
    if not isinstance(content.get("state"), str):
        raise ProtocolError("invalid", _("Unknown readiness state."))
    return readiness.Report(
        leg_id=leg,
        state=content["state"],
        checklist=checklist,
        people_present=people,
        note=content.get("note", ""),
        client_id=client_id,
        override_reason=content.get("override", ""),
    )


# What a board may ask for: a group's key (a province's code) and a search's text.
MAX_GROUP_KEY = 64
MAX_QUERY = 100


def is_list_of_ids(value: Any) -> bool:
    return (
        isinstance(value, list)
        and 0 < len(value) <= readiness_board.MAX_ASKED_LEGS
        and all(isinstance(item, int) and not isinstance(item, bool) for item in value)
    )


def is_list_of_states(value: Any) -> bool:
    """A list of known readiness states, each once: at most as many as there are."""
    return (
        isinstance(value, list)
        and 0 < len(value) <= len(readiness_board.STATE_LETTERS)
        and all(isinstance(item, str) and item in readiness_board.STATE_LETTERS for item in value)
        and len(set(value)) == len(value)
    )


class BoardConsumer(EnvelopeConsumer):
    """The secretariat's grid: a snapshot, then coalesced deltas at most every 250 ms.

    The deltas come from the conference's feed (conferencing.readiness_feed),
    shared by every board of the session in this process."""

    handlers = {
        "snapshot": "handle_snapshot",
        "cells": "handle_cells",
        "find": "handle_find",
        "ping": "handle_ping",
    }
    # The feed listens to the channel layer for the whole conference; the board needs
    # no channel of its own.
    channel_layer_alias = "readiness.board.no-layer"

    async def authorise(self, user) -> bool:
        self.conference_id = int(self.scope["url_route"]["kwargs"]["conference_id"])
        # The one rule of who watches (meetings registers it): a confidential session's
        # board refuses the uninvited as it refuses a conference that does not exist;
        # another office the session touches watches its jurisdiction's part.
        part = await in_database(watch_policy.board_part)(user, self.conference_id)
        if part is None:
            return False
        self.part = part
        return True

    async def joined(self) -> None:
        # `seq`: how far the feed has looked for this board; `shown_seq`: the sequence
        # the browser holds. They differ only on a part board, after changes outside
        # its part (readiness_feed).
        self.seq = self.shown_seq = 0
        self.sending = asyncio.Lock()
        await self.send_snapshot(None)
        readiness_feed.watch(self.conference_id, self)
        self.watching = True

    async def disconnect(self, code: int) -> None:
        if getattr(self, "watching", False):
            await readiness_feed.unwatch(self.conference_id, self)

    async def send_snapshot(self, in_response: str | None) -> None:
        async with self.sending:
            snapshot = await in_database(readiness_board.snapshot)(self.conference_id, self.part)
            self.seq = self.shown_seq = snapshot["seq"]
            pages = readiness_board.pages(snapshot["cells"])
            for number, cells in enumerate(pages, start=1):
                content = {"seq": self.seq, "cells": cells, "part": number, "parts": len(pages)}
                if number == 1:
                    # Every leg's state, level and group: the counts need no more.
                    content["map"] = snapshot["map"]
                await self.send_envelope("snapshot", content, in_response)

    async def handle_snapshot(self, content: dict, message_id: str | None):
        await self.send_snapshot(message_id)

    async def handle_cells(self, content: dict, message_id: str | None):
        """The full cells of a group ({"group": key}), of legs ({"legs": [ids]}) or in
        states ({"states": [names]}: what a state filter shows) within the board's part,
        in messages of at most PAGE_CELLS cells."""
        group, legs, states = content.get("group"), content.get("legs"), content.get("states")
        asks = sum(value is not None for value in (group, legs, states))
        if asks == 1 and isinstance(group, str) and 0 < len(group) <= MAX_GROUP_KEY:
            cells = await in_database(readiness_board.group_cells)(
                self.conference_id, group, self.part
            )
            asked = {"group": group}
        elif asks == 1 and is_list_of_ids(legs):
            cells = await in_database(readiness_board.leg_cells)(
                self.conference_id, legs, self.part
            )
            asked = {"legs": legs}
        elif asks == 1 and is_list_of_states(states):
            cells = await in_database(readiness_board.state_cells)(
                self.conference_id, states, self.part
            )
            asked = {"states": states}
        else:
            raise ProtocolError(
                "invalid",
                _(
                    "Ask for the cells of one group by its code, of at most %(n)s legs by "
                    "number, or of some readiness states by name."
                )
                % {"n": readiness_board.MAX_ASKED_LEGS},
            )
        pages = readiness_board.pages(cells)
        for number, page in enumerate(pages, start=1):
            await self.send_envelope(
                "cells", {**asked, "cells": page, "part": number, "parts": len(pages)}, message_id
            )

    async def handle_find(self, content: dict, message_id: str | None):
        """The cells of the sites whose name or code holds every word of `q` (diacritics
        ignored), within the board's part: at most MAX_FOUND, and whether there are more."""
        query = content.get("q")
        if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY:
            raise ProtocolError(
                "invalid",
                _("A search is a text of 1 to %(n)s characters.") % {"n": MAX_QUERY},
            )
        cells, more = await in_database(readiness_board.found_cells)(
            self.conference_id, query, self.part
        )
        return "found", {"q": query, "cells": cells, "more": more}

    async def handle_ping(self, content: dict, message_id: str | None):
        return "pong", {"seq": self.shown_seq}
