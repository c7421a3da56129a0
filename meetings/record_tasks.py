"""Background work of records: verifying recordings, sweeping abandoned uploads,
removing what a failed document upload may have left in the store.

Both run on the "records" queue (bin/run gives it a worker of its own), so
hashing a 50 GB recording never delays a readiness notice.

The sweep is periodic by re-enqueueing itself: each run enqueues the next one an hour
later (RECORDS_UPLOAD_CLEANUP_SECONDS), whatever happened in the run. `bin/run prepare`
starts the chain (`manage.py abort_abandoned_uploads --schedule`) unless a run is
already waiting, so restarts never multiply it, and a chain lost with a wiped task
table comes back at the next start.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from meetings import record_storage
from meetings.record_models import RecordStatus, RecordVersion
from meetings.recording_upload_cleanup import abort_abandoned
from meetings.recording_verification import verify_recording

logger = logging.getLogger(__name__)

QUEUE = "records"
VERIFY_RETRY_AFTER = timedelta(minutes=5)
VERIFY_ATTEMPTS = 12  # an hour of storage outage
# A recording still verifying this long after its upload, with no verification waiting,
# is enqueued again by the hourly sweep.
VERIFY_STALLED_AFTER = timedelta(hours=2)
FINISHED = ["SUCCESSFUL", "FAILED"]
# A write that timed out on our side may still land when the store wakes up (it reads
# the request it had buffered): the stray key is removed this long after the failure,
# then again every STRAY_RETRY_AFTER while the store is down, for a day at most.
STRAY_CHECK_AFTER = timedelta(minutes=5)
STRAY_RETRY_AFTER = timedelta(minutes=15)
STRAY_ATTEMPTS = 96
# A sweep takes seconds; one "running" for longer than this died with its worker.
SWEEP_DEAD_AFTER = timedelta(hours=3)


def cleanup_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "RECORDS_UPLOAD_CLEANUP_SECONDS", 3600))


def remove_later(key: str) -> None:
    """After a failed upload: make sure nothing stays under `key` once the store answers.
    Never raises (the upload's own error is what the user must see)."""
    try:
        remove_stray_object_task.using(run_after=timezone.now() + STRAY_CHECK_AFTER).enqueue(key)
    except Exception as error:  # the task table unreachable too: the upload fails anyway
        logger.warning("cannot schedule the removal of stray object %s: %r", key, error)


@task(queue_name=QUEUE)
def remove_stray_object_task(key: str, attempt: int = 1) -> str:
    """Delete the object under `key` unless a version holds it; tried again later while
    storage is down."""
    if RecordVersion.objects.filter(key=key).exists():
        return "kept"
    try:
        record_storage.delete(key)
    except record_storage.StorageUnavailable as error:
        if attempt >= STRAY_ATTEMPTS:
            raise
        logger.warning("removing stray object %s: storage unavailable: %s", key, error)
        remove_stray_object_task.using(run_after=timezone.now() + STRAY_RETRY_AFTER).enqueue(
            key, attempt + 1
        )
        return "retrying"
    return "removed"


def schedule_verification(version: RecordVersion) -> None:
    """Enqueue the verification once the current transaction commits."""
    version_id = version.pk
    transaction.on_commit(lambda: verify_recording_task.enqueue(version_id))


@task(queue_name=QUEUE)
def verify_recording_task(version_id: int, attempt: int = 1) -> str:
    """The version's status after verification; tried again later if storage is down."""
    version = RecordVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "gone"
    try:
        return verify_recording(version).status
    except record_storage.StorageUnavailable as error:
        if attempt >= VERIFY_ATTEMPTS:
            raise
        logger.warning("verifying record version %s: storage unavailable: %s", version_id, error)
        verify_recording_task.using(run_after=timezone.now() + VERIFY_RETRY_AFTER).enqueue(
            version_id, attempt + 1
        )
        return "retrying"


def resume_stalled_verifications(now=None) -> int:
    """Enqueue again the verification of recordings still "verifying" long after their
    upload with no verification waiting: their task gave up on a storage outage longer
    than its attempts, or was lost with the task table. How many were enqueued."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    waiting = {
        (result.get("args") or [None])[0]
        for result in DBTaskResult.objects.filter(task_path=verify_recording_task.module_path)
        .exclude(status__in=FINISHED)
        .values_list("args_kwargs", flat=True)
    }
    stalled = (
        RecordVersion.objects.filter(
            status=RecordStatus.VERIFYING, uploaded_at__lt=now - VERIFY_STALLED_AFTER
        )
        .exclude(pk__in=[pk for pk in waiting if isinstance(pk, int)])
        .values_list("pk", flat=True)
    )
    count = 0
    for version_id in stalled:
        verify_recording_task.enqueue(version_id)
        count += 1
    return count


@task(queue_name=QUEUE)
def abort_abandoned_uploads_task() -> dict[str, int]:
    """One sweep (meetings/recording_upload_cleanup.py) with the stalled verifications
    enqueued again, then the next sweep is enqueued."""
    try:
        return {**vars(abort_abandoned()), "verifications_resumed": resume_stalled_verifications()}
    finally:
        schedule_cleanup(timezone.now() + cleanup_interval())


def schedule_cleanup(run_after=None) -> None:
    abort_abandoned_uploads_task.using(run_after=run_after).enqueue()


def cleanup_waiting() -> bool:
    """A sweep is enqueued and not finished (so `--schedule` adds none). A sweep still
    "running" long after it started died with its worker: it does not count, or the
    chain would never start again."""
    from django_tasks_db.models import DBTaskResult

    died_before = timezone.now() - SWEEP_DEAD_AFTER
    return (
        DBTaskResult.objects.filter(task_path=abort_abandoned_uploads_task.module_path)
        .exclude(status__in=FINISHED)
        .exclude(status="RUNNING", started_at__lt=died_before)
        .exists()
    )
