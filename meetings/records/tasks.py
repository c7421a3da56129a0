"""The periodic sweep of records: abandoned uploads aborted, stalled verifications
enqueued again (removing what a failed upload may have left in the store is
meetings/records/strays.py). The verification tasks live next to what they run:
meetings/records/verification.py (recordings) and document_uploads.py (documents).

All run on the "records" queue (bin/run gives it a worker of its own), so
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
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.records.document_uploads import verify_document_upload_task
from meetings.records.models import RecordingUpload, RecordStatus, RecordVersion, UploadStatus
from meetings.records.upload_cleanup import abort_abandoned
from meetings.records.verification import QUEUE, verify_recording_task

logger = logging.getLogger(__name__)

# A recording still verifying this long after its upload, with no verification waiting,
# is enqueued again by the hourly sweep.
VERIFY_STALLED_AFTER = timedelta(hours=2)
FINISHED = ["SUCCESSFUL", "FAILED"]
# A sweep takes seconds; one "running" for longer than this died with its worker.
SWEEP_DEAD_AFTER = timedelta(hours=3)


def cleanup_interval() -> timedelta:
    return timedelta(seconds=settings.RECORDS_UPLOAD_CLEANUP_SECONDS)


def resume_stalled_verifications(now=None) -> int:
    """Enqueue again the verification of recordings, and of document uploads, still
    "verifying" long after their upload with no verification waiting: their task gave up
    on a storage outage longer than its attempts, or was lost with the task table. How
    many were enqueued."""
    before = (now or timezone.now()) - VERIFY_STALLED_AFTER
    recordings = RecordVersion.objects.filter(status=RecordStatus.VERIFYING, uploaded_at__lt=before)
    documents = RecordingUpload.objects.filter(status=UploadStatus.VERIFYING, updated_at__lt=before)
    return _enqueue_stalled(verify_recording_task, recordings) + _enqueue_stalled(
        verify_document_upload_task, documents
    )


def _enqueue_stalled(verification, stalled) -> int:
    """Enqueue `verification` for each of the `stalled` rows it is not already waiting to
    run for (its first argument is the row's id); how many were enqueued."""
    waiting = {
        (result.get("args") or [None])[0]
        for result in DBTaskResult.objects.filter(task_path=verification.module_path)
        .exclude(status__in=FINISHED)
        .values_list("args_kwargs", flat=True)
    }
    count = 0
    for pk in stalled.exclude(pk__in=[pk for pk in waiting if isinstance(pk, int)]).values_list(
        "pk", flat=True
    ):
        verification.enqueue(pk)
        count += 1
    return count


@task(queue_name=QUEUE)
def abort_abandoned_uploads_task() -> dict[str, int]:
    """One sweep (meetings/records/upload_cleanup.py) with the stalled verifications
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
    died_before = timezone.now() - SWEEP_DEAD_AFTER
    return (
        DBTaskResult.objects.filter(task_path=abort_abandoned_uploads_task.module_path)
        .exclude(status__in=FINISHED)
        .exclude(status="RUNNING", started_at__lt=died_before)
        .exists()
    )
