"""Background work of records: verifying recordings and uploaded documents, sweeping
abandoned uploads (removing what a failed upload may have left in the store is
meetings/record_strays.py).

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

from meetings.records import storage as record_storage
from meetings.records.document_uploads import verify_document_upload
from meetings.records.models import RecordingUpload, RecordStatus, RecordVersion, UploadStatus
from meetings.records.upload_cleanup import abort_abandoned
from meetings.records.verification import verify_recording

logger = logging.getLogger(__name__)

QUEUE = "records"
VERIFY_RETRY_AFTER = timedelta(minutes=5)
VERIFY_ATTEMPTS = 12  # an hour of storage outage
# A recording still verifying this long after its upload, with no verification waiting,
# is enqueued again by the hourly sweep.
VERIFY_STALLED_AFTER = timedelta(hours=2)
FINISHED = ["SUCCESSFUL", "FAILED"]
# A sweep takes seconds; one "running" for longer than this died with its worker.
SWEEP_DEAD_AFTER = timedelta(hours=3)


def cleanup_interval() -> timedelta:
    return timedelta(seconds=settings.RECORDS_UPLOAD_CLEANUP_SECONDS)


def schedule_verification(version: RecordVersion) -> None:
    """Enqueue the verification once the current transaction commits."""
    version_id = version.pk
    transaction.on_commit(lambda: verify_recording_task.enqueue(version_id))


def schedule_document_verification(upload: RecordingUpload) -> None:
    """Enqueue the verification of a completed document upload once the current
    transaction commits."""
    upload_id = upload.pk
    transaction.on_commit(lambda: verify_document_upload_task.enqueue(upload_id))


@task(queue_name=QUEUE)
def verify_document_upload_task(upload_id: int, attempt: int = 1) -> str:
    """The upload's status after verification (document_uploads.verify_document_upload);
    tried again later if storage is down, as for recordings."""
    upload = (
        RecordingUpload.objects.select_related("meeting", "record", "created_by")
        .filter(pk=upload_id)
        .first()
    )
    if upload is None:
        return "gone"
    try:
        return verify_document_upload(upload).status
    except record_storage.StorageUnavailable as error:
        if attempt >= VERIFY_ATTEMPTS:
            raise
        logger.warning("verifying document upload %s: storage unavailable: %s", upload_id, error)
        verify_document_upload_task.using(run_after=timezone.now() + VERIFY_RETRY_AFTER).enqueue(
            upload_id, attempt + 1
        )
        return "retrying"


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
    return count + _resume_stalled_documents(now)


def _resume_stalled_documents(now) -> int:
    """The same for document uploads still "verifying" long after their completion."""
    from django_tasks_db.models import DBTaskResult

    waiting = {
        (result.get("args") or [None])[0]
        for result in DBTaskResult.objects.filter(task_path=verify_document_upload_task.module_path)
        .exclude(status__in=FINISHED)
        .values_list("args_kwargs", flat=True)
    }
    stalled = (
        RecordingUpload.objects.filter(
            status=UploadStatus.VERIFYING, updated_at__lt=now - VERIFY_STALLED_AFTER
        )
        .exclude(pk__in=[pk for pk in waiting if isinstance(pk, int)])
        .values_list("pk", flat=True)
    )
    count = 0
    for upload_id in stalled:
        verify_document_upload_task.enqueue(upload_id)
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
