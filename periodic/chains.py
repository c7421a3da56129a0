"""Work that repeats without a scheduler: a task of the task worker that enqueues its own
next run.

Each run enqueues the next one an interval later whatever happened in it (`repeating`).
`bin/run prepare` starts each chain (a management command's `--schedule`) unless a run is
already waiting, so restarts never multiply a chain, and a chain lost with a wiped task
table comes back at the next start.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.tasks import Task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

FINISHED = ["SUCCESSFUL", "FAILED"]


@dataclass(frozen=True)
class Chain:
    task: Task
    # A callable when a setting gives it, so a test's override is seen.
    interval: timedelta | Callable[[], timedelta]
    # A run takes seconds; one still "running" this long after it started died with its
    # worker and does not count as waiting, or the chain would never start again.
    dead_after: timedelta = timedelta(hours=3)

    def every(self) -> timedelta:
        return self.interval() if callable(self.interval) else self.interval

    def schedule(self, run_after: datetime | None = None) -> None:
        self.task.using(run_after=run_after).enqueue()

    @contextmanager
    def repeating(self) -> Iterator[None]:
        """Around a run's work: the next run is enqueued however the work ends."""
        try:
            yield
        finally:
            self.schedule(timezone.now() + self.every())

    def waiting(self) -> bool:
        """A run is enqueued and not finished."""
        died_before = timezone.now() - self.dead_after
        return (
            DBTaskResult.objects.filter(task_path=self.task.module_path)
            .exclude(status__in=FINISHED)
            .exclude(status="RUNNING", started_at__lt=died_before)
            .exists()
        )

    def start(self) -> bool:
        """Enqueue a first run unless one is waiting; whether one was enqueued."""
        if self.waiting():
            return False
        self.schedule()
        return True


def waiting_first_arguments(work: Task) -> set[object]:
    """The first argument of every run of `work` enqueued and not finished (the id of the
    row it works on), so a sweep re-enqueues only what nothing waits to do."""
    return {
        (result.get("args") or [None])[0]
        for result in DBTaskResult.objects.filter(task_path=work.module_path)
        .exclude(status__in=FINISHED)
        .values_list("args_kwargs", flat=True)
    }
