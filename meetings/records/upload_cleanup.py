"""Abandoned recording uploads: given up on after RECORDS_UPLOAD_ABANDON_HOURS.

An upload nobody touched for that long is aborted (the store drops its parts, the
local part files go). One left "completing" that long (the process died while
completing it) is put back to "open": completing it again finds the object whole if
it was assembled, and if nobody does, a later sweep aborts it. Multipart uploads under
records/ that no open session knows (the app died between starting one and saving its
row) are aborted too, and so are part directories without a session that are older
than the same period (a younger one may belong to an upload created during the sweep).
Finished sessions (completed, aborted, or documents that failed verification: their
object was deleted then) are deleted after the same period: a page
reloaded meanwhile still learns the outcome.
Nothing orphaned stays in the bucket, on disk or in the database.
"""

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from meetings.records import storage, storage_multipart
from meetings.records.models import RecordingUpload, RecordKind, UploadMode, UploadStatus
from meetings.records.upload_parts import UploadError
from meetings.records.uploads import abort_upload

logger = logging.getLogger(__name__)


@dataclass
class Cleanup:
    sessions_aborted: int = 0
    sessions_released: int = 0
    orphan_uploads_aborted: int = 0
    orphan_dirs_removed: int = 0
    sessions_deleted: int = 0
    storage_errors: int = 0


def abandon_after() -> timedelta:
    return timedelta(hours=settings.RECORDS_UPLOAD_ABANDON_HOURS)


def abort_abandoned(now: datetime | None = None) -> Cleanup:
    """One sweep; StorageUnavailable on one upload is counted and the sweep goes on."""
    cutoff = (now or timezone.now()) - abandon_after()
    report = Cleanup()
    report.sessions_released = RecordingUpload.objects.filter(
        status=UploadStatus.COMPLETING, updated_at__lt=cutoff
    ).update(status=UploadStatus.OPEN, updated_at=timezone.now())
    for upload in RecordingUpload.objects.abandoned(cutoff).order_by("pk"):
        try:
            abort_upload(upload)
        except storage.StorageUnavailable as error:
            logger.warning("recording upload %s: cannot abort now: %s", upload.pk, error)
            report.storage_errors += 1
        except UploadError as error:  # completing or finished since the query
            logger.info("recording upload %s: not aborted: %s", upload.pk, error.code)
        else:
            report.sessions_aborted += 1
    if storage.is_s3():
        _abort_orphan_uploads(cutoff, report)
    _remove_orphan_dirs(cutoff, report)
    finished = RecordingUpload.objects.filter(
        status__in=[UploadStatus.COMPLETED, UploadStatus.ABORTED, UploadStatus.FAILED],
        updated_at__lt=cutoff,
    )
    kept = _remove_late_puts(finished, report)
    report.sessions_deleted, _by_model = finished.exclude(pk__in=kept).delete()
    return report


def _remove_late_puts(finished, report: Cleanup) -> list[int]:
    """A document's presigned PUT stays valid for an hour after it was signed: a PUT sent
    again after completion leaves an object under the upload's key (the version lives
    under a copy, RecordingUpload.stored_key). Delete it before forgetting the key; the
    sessions whose delete failed are kept for the next sweep."""
    kept = []
    single_puts = finished.filter(mode=UploadMode.S3).exclude(kind=RecordKind.RECORDING)
    for pk, key in single_puts.values_list("pk", "key"):
        try:
            storage.delete(key)
        except storage.StorageUnavailable as error:
            logger.warning("document upload %s: cannot delete its key now: %s", pk, error)
            report.storage_errors += 1
            kept.append(pk)
    return kept


def _abort_orphan_uploads(cutoff: datetime, report: Cleanup) -> None:
    try:
        known = set(RecordingUpload.objects.unfinished().values_list("upload_id", flat=True))
        for found in storage_multipart.open_multipart_uploads("records/"):
            if found.upload_id in known or found.initiated >= cutoff:
                continue
            storage_multipart.abort_multipart(found.key, found.upload_id)
            report.orphan_uploads_aborted += 1
    except storage.StorageUnavailable as error:
        logger.warning("recording uploads: cannot list the store's uploads now: %s", error)
        report.storage_errors += 1


def _remove_orphan_dirs(cutoff: datetime, report: Cleanup) -> None:
    """Part directories of no unfinished upload. The list of uploads is read before the
    directories: one created in between is not in it, but is younger than the cutoff
    (its directory's mtime changes with every part), so it is left alone."""
    root = Path(settings.VAR_DIR) / "uploads"
    if not root.is_dir():
        return
    unfinished = {
        str(pk) for pk in RecordingUpload.objects.unfinished().values_list("pk", flat=True)
    }
    for directory in root.iterdir():
        if directory.name in unfinished:
            continue
        try:
            if directory.stat().st_mtime >= cutoff.timestamp():
                continue
        except FileNotFoundError:
            continue
        shutil.rmtree(directory, ignore_errors=True)
        report.orphan_dirs_removed += 1
