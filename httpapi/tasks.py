"""The hourly purge of idempotency keys older than 24 hours (httpapi.idempotency).

Periodic the way the records' sweep is (meetings/records/tasks.py): each run enqueues
the next one an hour later, whatever happened; `bin/run prepare` starts the chain
(`manage.py purge_idempotency_keys --schedule`) unless a run is already waiting. An
expired key is treated as new even before it is purged: the purge only keeps the
table small.
"""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from httpapi.idempotency import purge_expired

PURGE_INTERVAL = timedelta(hours=1)
FINISHED = ["SUCCESSFUL", "FAILED"]
# A purge takes seconds; one "running" for longer than this died with its worker.
PURGE_DEAD_AFTER = timedelta(hours=3)


@task()
def purge_idempotency_keys_task() -> int:
    """Delete the expired keys, then enqueue the next run; how many were deleted."""
    try:
        return purge_expired()
    finally:
        schedule_purge(timezone.now() + PURGE_INTERVAL)


def schedule_purge(run_after=None) -> None:  # type: ignore[no-untyped-def]
    purge_idempotency_keys_task.using(run_after=run_after).enqueue()


def purge_waiting() -> bool:
    """A purge is enqueued and not finished; one "running" long after it started died
    with its worker and does not count, or the chain would never start again."""
    died_before = timezone.now() - PURGE_DEAD_AFTER
    return (
        DBTaskResult.objects.filter(task_path=purge_idempotency_keys_task.module_path)
        .exclude(status__in=FINISHED)
        .exclude(status="RUNNING", started_at__lt=died_before)
        .exists()
    )
