"""Closing the open sockets of an account whose sessions were ended (deactivation, "sign
out everywhere": accounts.sessions.end_sessions), and of an API token that stopped
(revoked, expired), within ACCOUNT_WATCH_SECONDS.

One poller per server process, running only while it holds sockets: one query every
interval for the accounts, whatever the number of sockets, and it sees an end written
by any process; plus one query per socket opened with an API token (programs, few),
through the check its handshake left (`credential_live`, config/websocket_tokens.py).
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from accounts.models import Person
from conferencing.sync_calls import in_database

logger = logging.getLogger(__name__)


class Socket(Protocol):
    opened_at: datetime
    credential_live: Callable[[], bool] | None

    async def account_ended(self) -> None: ...


_sockets: dict[int, set[Socket]] = {}
_poller: asyncio.Task | None = None


def watch(user_id: int, socket: Socket) -> None:
    """Close `socket` when the account's sessions are ended after it opened."""
    global _poller
    _sockets.setdefault(user_id, set()).add(socket)
    if _poller is None or _poller.done():
        _poller = asyncio.get_running_loop().create_task(_poll(timezone.now()))


def unwatch(user_id: int, socket: Socket) -> None:
    sockets = _sockets.get(user_id)
    if sockets is not None:
        sockets.discard(socket)
        if not sockets:
            del _sockets[user_id]


def _ended_since(since: datetime, user_ids: list[int]) -> list[tuple[int, datetime]]:
    return list(
        Person.objects.filter(user_id__in=user_ids, sessions_ended_at__gt=since).values_list(
            "user_id", "sessions_ended_at"
        )
    )


async def _poll(since: datetime) -> None:
    global _poller
    try:
        while _sockets:
            await asyncio.sleep(settings.ACCOUNT_WATCH_SECONDS)
            try:
                ended = await in_database(_ended_since)(since, list(_sockets))
            except Exception:  # a database hiccup must not stop the watch
                logger.exception("account watch: could not read ended sessions")
                continue
            for user_id, at in ended:
                since = max(since, at)
                for socket in list(_sockets.get(user_id, ())):
                    if socket.opened_at <= at:
                        with contextlib.suppress(Exception):
                            await socket.account_ended()
            await _close_stopped_credentials()
    finally:
        _poller = None


async def _close_stopped_credentials() -> None:
    for sockets in list(_sockets.values()):
        for socket in list(sockets):
            live = getattr(socket, "credential_live", None)
            if live is None:
                continue
            try:
                still = await in_database(live)()
            except Exception:
                logger.exception("account watch: could not check a socket's token")
                continue
            if not still:
                with contextlib.suppress(Exception):
                    await socket.account_ended()
