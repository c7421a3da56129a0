"""The periodic sweep of records: abandoned uploads aborted, stalled verifications
enqueued again (removing what a failed upload may have left in the store is
meetings/records/strays.py). The verification tasks live next to what they run:
meetings/records/verification.py (recordings) and document_uploads.py (documents).

All run on the "records" queue (bin/run gives it a worker of its own), so
hashing a 50 GB recording never delays a readiness notice.

The sweep is a chain of periodic/chains.py, a run every RECORDS_UPLOAD_CLEANUP_SECONDS
(an hour), started by `bin/run prepare` (`manage.py abort_abandoned_uploads --schedule`).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from meetings.records.document_uploads import verify_document_upload_task
from meetings.records.models import RecordingUpload, RecordStatus, RecordVersion, UploadStatus
from meetings.records.upload_cleanup import abort_abandoned
from meetings.records.verification import QUEUE, verify_recording_task
from periodic.chains import Chain, waiting_first_arguments

logger = logging.getLogger(__name__)

# A recording still verifying this long after its upload, with no verification waiting,
# is enqueued again by the hourly sweep.
VERIFY_STALLED_AFTER = timedelta(hours=2)


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
    waiting = [pk for pk in waiting_first_arguments(verification) if isinstance(pk, int)]
    count = 0
    for pk in stalled.exclude(pk__in=waiting).values_list("pk", flat=True):
        verification.enqueue(pk)
        count += 1
    return count


@task(queue_name=QUEUE)
def abort_abandoned_uploads_task() -> dict[str, int]:
    """One sweep (meetings/records/upload_cleanup.py) with the stalled verifications
    enqueued again, then the next sweep is enqueued."""
    with SWEEP.repeating():
        return {**vars(abort_abandoned()), "verifications_resumed": resume_stalled_verifications()}


SWEEP = Chain(abort_abandoned_uploads_task, interval=cleanup_interval)
