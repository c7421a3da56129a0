"""Verifying a completed recording: its SHA-256, its size, and that it is a video.

Run by a background task (`verify_recording_task`, below) after the upload completes,
not while uploading: in S3 mode the bytes never pass through the app, so the app reads
them back once from storage, streaming (8 MiB at a time), and hashes them. Per-part
checksums would make every browser send signed checksum headers and still not give
the whole file's SHA-256 that verify_records checks later.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.records import archive
from meetings.records import storage as record_storage
from meetings.records.models import RecordStatus, RecordVersion

logger = logging.getLogger(__name__)

# The records' tasks run on a queue of their own (bin/run gives it a worker), so hashing
# a 50 GB recording never delays a readiness notice.
QUEUE = "records"
VERIFY_RETRY_AFTER = timedelta(minutes=5)
VERIFY_ATTEMPTS = 12  # an hour of storage outage
SNIFF_BYTES = 64
MATROSKA_MAGIC = b"\x1a\x45\xdf\xa3"  # EBML: WebM and MKV


@dataclass(frozen=True)
class Digest:
    sha256: str
    size: int
    content_type: str | None  # None: not a video we know


def sniff(head: bytes) -> str | None:
    """MP4 (ISO BMFF, an `ftyp` box first), WebM or MKV (EBML, by DocType), or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(MATROSKA_MAGIC):
        return "video/webm" if b"webm" in head[:SNIFF_BYTES] else "video/x-matroska"
    return None


def digest(key: str) -> Digest:
    """Read the object once: its SHA-256, size and kind of video (verify_records uses it
    for every kind of record). ObjectMissing / StorageUnavailable propagate."""
    hasher = hashlib.sha256()
    head = b""
    size = 0
    for chunk in record_storage.open_chunks(key):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        hasher.update(chunk)
        size += len(chunk)
    return Digest(hasher.hexdigest(), size, sniff(head))


def verify_recording(version: RecordVersion) -> RecordVersion:
    """Settle a "verifying" recording: available with its SHA-256, or failed with why.

    A missing object fails it; StorageUnavailable propagates (the task tries again
    later). The content type becomes the sniffed one (an .mkv that is WebM inside)."""
    if version.status != RecordStatus.VERIFYING:
        return version
    try:
        found = digest(version.key)
    except record_storage.ObjectMissing:
        return archive.mark_failed(version, reason=_("The recording is missing from storage."))
    if found.content_type is None:
        return archive.mark_failed(version, reason=_("The file is not an MP4, WebM or MKV video."))
    if found.size != version.size:
        return archive.mark_failed(
            version,
            reason=_("The stored recording has %(actual)s bytes instead of %(size)s.")
            % {"actual": found.size, "size": version.size},
        )
    return archive.mark_verified(version, sha256=found.sha256, content_type=found.content_type)


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
