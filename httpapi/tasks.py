"""The hourly purge of idempotency keys older than 24 hours (httpapi.idempotency).

A chain of periodic/chains.py, started by `bin/run prepare` (`manage.py
purge_idempotency_keys --schedule`). An expired key is treated as new even before it is
purged: the purge only keeps the table small.
"""

from datetime import timedelta

from django.tasks import task

from httpapi.idempotency import purge_expired
from periodic.chains import Chain


@task()
def purge_idempotency_keys_task() -> int:
    """Delete the expired keys, then enqueue the next run; how many were deleted."""
    with PURGE.repeating():
        return purge_expired()


PURGE = Chain(purge_idempotency_keys_task, interval=timedelta(hours=1))
