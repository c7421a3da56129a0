"""Removing what a failed upload may have left in the store.

A write that timed out on our side may still land when the store wakes up (it reads the
request it had buffered, after our delete): the key is removed later, on the "records"
queue, unless a version holds it. Apart from the verification tasks (verification.py,
document_uploads.py): the upload paths that call `remove_later` are what they verify.
"""

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from meetings.records import storage as record_storage
from meetings.records.models import RecordVersion

logger = logging.getLogger(__name__)

QUEUE = "records"
# The stray key is removed this long after the failure,
# then again every STRAY_RETRY_AFTER while the store is down, for a day at most.
STRAY_CHECK_AFTER = timedelta(minutes=5)
STRAY_RETRY_AFTER = timedelta(minutes=15)
STRAY_ATTEMPTS = 96


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
