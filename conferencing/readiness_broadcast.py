"""Telling a conference's boards that its readiness changed, once a report has committed.

The nudge carries only the new sequence number: boards read the cells from the
database. So nudges can be merged, delayed or lost without losing a report, and
a national session's hundreds of reports a second cost a handful of publishes.
"""

import asyncio
import logging
import math
import weakref

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

ANNOUNCE_TIMEOUT_SECONDS = 1.0
# At most one publish per conference and process in this interval; the boards tick
# every 250 ms anyway, so merging nudges costs them nothing they would show.
NUDGE_INTERVAL_SECONDS = 0.05


def board_group(conference_id: int) -> str:
    return f"board.{conference_id}"


def announce(conference_id: int, seq: int) -> None:
    """Nudge the conference's boards; never raises and never holds up the caller for long.

    Under the ASGI server the nudge is handed to the event loop and merged with
    others (the report's database thread goes on at once); elsewhere (a task
    worker, a management command) it is published here, bounded in time."""
    loop = serving_loop()
    if loop is None:
        try:
            async_to_sync(notify_boards)(conference_id, seq)
        except Exception:
            log_failure(conference_id)
    else:
        loop.call_soon_threadsafe(nudger_of(loop).nudge, conference_id, seq)


async def notify_boards(conference_id: int, seq: int) -> None:
    # Bounded: a Redis that accepts connections but does not answer would otherwise
    # hold the caller for as long as TCP takes to give up.
    await asyncio.wait_for(
        get_channel_layer().group_send(
            board_group(conference_id), {"type": "readiness.changed", "seq": seq}
        ),
        ANNOUNCE_TIMEOUT_SECONDS,
    )


def log_failure(conference_id: int) -> None:
    logger.warning("readiness broadcast for conference %s failed", conference_id, exc_info=True)


def serving_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop serving this thread's work: its own, or the one that handed a
    synchronous call (database_sync_to_async) to this thread."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    # asgiref records, in each thread running synchronous code for an event loop, the
    # loop that called it: how async_to_sync finds its way back.
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


class Nudger:
    """Per event loop: merges the nudges of each conference into one publish per interval,
    the first at once, the others at the end of the interval (never dropped)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: dict[int, int] = {}  # conference → highest seq not yet published
        self.last_publish: dict[int, float] = {}
        self.publishing: set[asyncio.Task] = set()

    def nudge(self, conference_id: int, seq: int) -> None:
        if conference_id in self.waiting:
            self.waiting[conference_id] = max(self.waiting[conference_id], seq)
            return
        self.waiting[conference_id] = seq
        due = self.last_publish.get(conference_id, -math.inf) + NUDGE_INTERVAL_SECONDS
        self.loop.call_later(max(0.0, due - self.loop.time()), self.publish, conference_id)

    def publish(self, conference_id: int) -> None:
        seq = self.waiting.pop(conference_id)
        now = self.loop.time()
        self.last_publish[conference_id] = now
        if len(self.last_publish) > 1000:  # forget conferences quiet for a while
            self.last_publish = {
                key: at
                for key, at in self.last_publish.items()
                if now - at < NUDGE_INTERVAL_SECONDS
            }
        task = self.loop.create_task(self.send(conference_id, seq))
        self.publishing.add(task)
        task.add_done_callback(self.publishing.discard)

    async def send(self, conference_id: int, seq: int) -> None:
        try:
            await notify_boards(conference_id, seq)
        except Exception:
            log_failure(conference_id)


_nudgers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Nudger]" = (
    weakref.WeakKeyDictionary()
)


def nudger_of(loop: asyncio.AbstractEventLoop) -> Nudger:
    nudger = _nudgers.get(loop)
    if nudger is None:
        nudger = _nudgers[loop] = Nudger(loop)
    return nudger
