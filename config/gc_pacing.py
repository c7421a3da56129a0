"""Short pauses for the garbage collector in a server holding thousands of sockets.

Each WebSocket keeps thousands of long-lived objects (Twisted, autobahn, Channels). A
full collection walks all of them while every thread waits: under a national
session's reports (bench/readiness.py) those pauses took 300-750 ms, and reports
queued behind them. They found almost nothing to free: sockets live for hours.

So the objects that have lived GC_FREEZE_SECONDS are moved out of the collector's sight
(`gc.freeze()`, a constant-time splice), and full collections only walk what is
younger. Cycles among frozen objects (a closed socket's) are reclaimed by one planned
full collection every FULL_COLLECT_SECONDS: unfreeze, collect, freeze again.
"""

import gc
import logging
import threading
import time

logger = logging.getLogger(__name__)

FULL_COLLECT_SECONDS = 15 * 60


class GcPacer:
    def __init__(self, freeze_seconds: float, full_collect_seconds: float) -> None:
        self.freeze_seconds = freeze_seconds
        self.full_collect_seconds = full_collect_seconds
        self.last_full_collect = time.monotonic()

    def step(self, now: float) -> None:
        """Freeze what is alive now; once a period, first reclaim the frozen garbage."""
        if now - self.last_full_collect >= self.full_collect_seconds:
            self.last_full_collect = now
            gc.unfreeze()
            started = time.monotonic()
            freed = gc.collect()
            logger.info(
                "full collection: %d objects freed in %.0f ms",
                freed,
                (time.monotonic() - started) * 1000,
            )
        gc.freeze()

    def run(self) -> None:
        while True:
            time.sleep(self.freeze_seconds)
            self.step(time.monotonic())


_started: GcPacer | None = None


def start(freeze_seconds: float, full_collect_seconds: float = FULL_COLLECT_SECONDS) -> None:
    """Pace this process's collector from a daemon thread (once; 0 seconds: not at all)."""
    global _started
    if freeze_seconds <= 0 or _started is not None:
        return
    _started = GcPacer(freeze_seconds, full_collect_seconds)
    threading.Thread(target=_started.run, name="gc-pacing", daemon=True).start()
