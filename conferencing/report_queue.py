"""The technicians' reports on their way to the database, written in batches.

Every report that arrives while a write is under way waits for the next one, and
that one carries them all (conferencing.readiness.submit_reports): the write
rate adapts to the load, one report per transaction when it is quiet, hundreds
when a national session's sites all report within seconds.
"""

import asyncio
import weakref

from django.contrib.auth.models import AbstractBaseUser

from conferencing import readiness
from conferencing.sync_calls import in_database

MAX_BATCH = 500


class ReportQueue:
    def __init__(self) -> None:
        self.waiting: list[tuple[readiness.Report, AbstractBaseUser, asyncio.Future]] = []
        self.writer: asyncio.Task | None = None

    async def submit(self, report: readiness.Report, user: AbstractBaseUser) -> readiness.Outcome:
        """The report's outcome once written; ReadinessRefused if the rules refuse it."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((report, user, future))
        if self.writer is None:
            self.writer = asyncio.create_task(self.write())
        return await future

    async def write(self) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
                try:
                    results = await in_database(readiness.submit_reports)(
                        [(report, user) for report, user, _ in batch]
                    )
                except Exception as error:
                    # The database is down (a report it refuses fails alone, inside
                    # submit_reports): each report says so and its socket closes.
                    results = [error] * len(batch)
                for (_report, _user, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue  # its socket closed meanwhile; the report stands
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self.writer = None


_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ReportQueue]" = (
    weakref.WeakKeyDictionary()
)


def queue_of_this_loop() -> ReportQueue:
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = ReportQueue()
    return queue
