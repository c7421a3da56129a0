"""One feed of readiness changes per conference and server process, shared by its boards.

Fifty boards of one national session watched by one process cost one channel
subscription and one query per tick, and each delta is serialised once per
distinct board position and part, instead of fifty of each. A board only registers
here; the feed tells it what changed after the sequence number it holds.

Parts (conferencing.watch_policy.BoardPart): an office the session touches but does
not own watches its jurisdiction's sites only. Its board holds the conference's
sequence like every board, and board.js asks for a new snapshot when a delta does not
start where it stands. So a tick that changed nothing in a part sends that part
nothing and leaves its `shown_seq` (what the browser holds) where it was, while its
`seq` (how far the feed has looked) moves on; the next delta for the part starts at
`shown_seq` and carries every cell of the part changed since. A ping answers
`shown_seq`, so the browser sees no gap either way.
"""

import asyncio
import contextlib
import json
import logging
import weakref
from typing import Protocol

from channels.layers import get_channel_layer

from conferencing import readiness_board
from conferencing.readiness_broadcast import board_group
from conferencing.sync_calls import in_database
from conferencing.watch_policy import BoardPart

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 0.25
SAFETY_POLL_SECONDS = 5.0
RESUBSCRIBE_SECONDS = 1.0
UNSUBSCRIBE_TIMEOUT_SECONDS = 1.0


class Watcher(Protocol):
    """A board socket as the feed sees it."""

    seq: int  # how far the feed has looked for this board
    shown_seq: int  # the sequence the browser holds: deltas start there
    part: BoardPart
    # Held while the board sends anything (its snapshot, a delta): what it sends is
    # in order of sequence, and each delta's `since` is what was sent just before.
    sending: asyncio.Lock

    async def send(self, text_data: str) -> None: ...


class ConferenceFeed:
    def __init__(self, conference_id: int) -> None:
        self.conference_id = conference_id
        self.boards: set[Watcher] = set()
        self.dirty = asyncio.Event()
        self.heard = 0  # the highest sequence number announced or sent
        self.tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self.listen()), asyncio.create_task(self.pump())]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            # Waited for: a query it has running finishes and gives its connection back.
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def listen(self) -> None:
        """Subscribe to the conference's nudges; after a channel layer failure, again."""
        layer = get_channel_layer()
        if layer is None:
            return
        group = board_group(self.conference_id)
        while True:
            channel = None
            try:
                channel = await layer.new_channel()
                await layer.group_add(group, channel)
                while True:
                    message = await layer.receive(channel)
                    if message.get("seq", 0) > self.heard:
                        self.dirty.set()
            except Exception:
                # Redis is down: the safety poll keeps the boards right meanwhile.
                logger.warning("readiness feed %s lost the channel layer", group, exc_info=True)
                await asyncio.sleep(RESUBSCRIBE_SECONDS)
            finally:
                if channel is not None:
                    await self.unsubscribe(layer, group, channel)

    @staticmethod
    async def unsubscribe(layer, group: str, channel: str) -> None:
        try:
            await asyncio.wait_for(layer.group_discard(group, channel), UNSUBSCRIBE_TIMEOUT_SECONDS)
        except Exception:
            # The subscription went with the connection, or goes with the process.
            logger.info("readiness feed %s left without the channel layer", group)

    async def pump(self) -> None:
        """At most one delta per tick to each board, carrying every cell it has not seen.

        A periodic look at the database also catches news the channel layer lost
        (Redis pub/sub drops messages on reconnect)."""
        loop = asyncio.get_running_loop()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.dirty.wait(), SAFETY_POLL_SECONDS)
            self.dirty.clear()
            started = loop.time()
            try:
                await self.refresh()
            except Exception:
                # A database hiccup must not stop the boards for good: try next tick.
                logger.warning(
                    "readiness feed %s could not refresh", self.conference_id, exc_info=True
                )
            # Ticks start COALESCE_SECONDS apart: the time a refresh took (its query,
            # sending to every board) is not added to what the next news waits.
            await asyncio.sleep(max(0.0, COALESCE_SECONDS - (loop.time() - started)))

    async def refresh(self) -> None:
        boards = list(self.boards)
        if not boards:
            return
        since = min(board.seq for board in boards)
        delta = await in_database(readiness_board.changes_since)(self.conference_id, since)
        seq, cells = delta["seq"], delta["cells"]
        self.heard = max(self.heard, seq)
        shown: dict[BoardPart, list[dict]] = {}
        messages: dict[tuple[BoardPart, int], list[str]] = {}
        for board in boards:
            if board.seq >= seq or board not in self.boards:
                continue
            if board.sending.locked():
                self.dirty.set()  # its snapshot is on the way: look again next tick
                continue
            async with board.sending:
                if board.seq >= seq:
                    continue
                key = (board.part, board.shown_seq)
                texts = messages.get(key)
                if texts is None:
                    of_part = shown.get(board.part)
                    if of_part is None:
                        of_part = shown[board.part] = cells_of(board.part, cells)
                    texts = messages[key] = delta_texts(
                        board.shown_seq, seq, of_part, skip_if_empty=not board.part.is_whole
                    )
                board.seq = seq
                if not texts:
                    continue  # nothing new in its part: the browser keeps its sequence
                board.shown_seq = seq
                try:
                    for text in texts:
                        await board.send(text_data=text)
                except Exception:
                    logger.info("readiness feed %s: a board went away", self.conference_id)


def cells_of(part: BoardPart, cells: list[dict]) -> list[dict]:
    """The cells of the sites `part` shows, without their path (not part of the protocol)."""
    return [
        {key: value for key, value in cell.items() if key != "path"}
        for cell in cells
        if part.shows(cell.get("path", ""))
    ]


def delta_texts(
    since: int, seq: int, cells: list[dict], *, skip_if_empty: bool = False
) -> list[str]:
    """The delta messages from `since` to `seq`; none when `skip_if_empty` and no cell
    changed after `since` (a part board that has nothing new)."""
    unseen = [cell for cell in cells if cell["seq"] > since]
    if skip_if_empty and not unseen:
        return []
    return [
        json.dumps({"type": "delta", "in_response": None, "content": part}, ensure_ascii=False)
        for part in readiness_board.delta_pages(since, seq, unseen)
    ]


# Per event loop: a feed's tasks belong to the loop that runs its boards.
_feeds: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, ConferenceFeed]]" = (
    weakref.WeakKeyDictionary()
)


def feeds_of_this_loop() -> dict[int, ConferenceFeed]:
    loop = asyncio.get_running_loop()
    feeds = _feeds.get(loop)
    if feeds is None:
        feeds = _feeds[loop] = {}
    return feeds


def watch(conference_id: int, board: Watcher) -> None:
    """Register a board that has its snapshot; it gets deltas from the next tick on."""
    feeds = feeds_of_this_loop()
    feed = feeds.get(conference_id)
    if feed is None:
        feed = feeds[conference_id] = ConferenceFeed(conference_id)
        feed.start()
    feed.boards.add(board)
    feed.dirty.set()  # news may have come between its snapshot and now


async def unwatch(conference_id: int, board: Watcher) -> None:
    feeds = feeds_of_this_loop()
    feed = feeds.get(conference_id)
    if feed is None:
        return
    feed.boards.discard(board)
    if not feed.boards:
        # Out of the registry before waiting: a board joining meanwhile starts a new feed.
        del feeds[conference_id]
        await feed.stop()
