"""Evidence files of a report: checked (how many, how big), stored through the records'
storage boundary under keys of their own, hashed (SHA-256) on the way.

Files are stored before the report's transaction and deleted again if it does not
commit, so a report is never saved with a file missing, nor a file left without its
report.
"""

import contextlib
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from meetings.records import storage

KEY_PREFIX = "followup"


class EvidenceRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    name: str
    key: str
    size: int
    sha256: str
    content_type: str


def check(files: list[UploadedFile]) -> None:
    """EvidenceRefused (naming the file) for too many files or one too big or empty."""
    if len(files) > settings.TASK_EVIDENCE_MAX_FILES:
        raise EvidenceRefused(
            _("At most %(count)d evidence files per report.")
            % {"count": settings.TASK_EVIDENCE_MAX_FILES}
        )
    for upload in files:
        if upload.size is None or upload.size == 0:
            raise EvidenceRefused(_("%(name)s is empty.") % {"name": upload.name})
        if upload.size > settings.TASK_EVIDENCE_MAX_BYTES:
            raise EvidenceRefused(
                _("%(name)s is larger than %(limit)s.")
                % {"name": upload.name, "limit": filesizeformat(settings.TASK_EVIDENCE_MAX_BYTES)}
            )


def store(task_id: int, files: list[UploadedFile]) -> list[StoredFile]:
    """Store each file; on a storage failure the ones already stored are deleted and
    storage.StorageUnavailable raised."""
    stored: list[StoredFile] = []
    try:
        for upload in files:
            stored.append(store_one(task_id, upload))
    except BaseException:
        discard(stored)
        raise
    return stored


def store_one(task_id: int, upload: UploadedFile) -> StoredFile:
    key = f"{KEY_PREFIX}/{task_id}/{secrets.token_hex(16)}"
    digest = hashlib.sha256()

    def hashed() -> Iterator[bytes]:
        for chunk in upload.chunks():
            digest.update(chunk)
            yield chunk

    content_type = upload.content_type or "application/octet-stream"
    size = storage.save_stream(key, hashed(), content_type=content_type)
    return StoredFile(
        name=(upload.name or "evidence")[:255],
        key=key,
        size=size,
        sha256=digest.hexdigest(),
        content_type=content_type[:128],
    )


def discard(stored: list[StoredFile]) -> None:
    for item in stored:
        # Left behind on an outage: an orphan object, never a row pointing at nothing.
        with contextlib.suppress(storage.StorageUnavailable):
            storage.delete(item.key)
