"""The parts of an upload (recordings and documents, meetings/records/uploads.py): signing
their URLs (S3 mode), receiving them through the app (local mode), and listing those the
store holds, with the refusals these share with completing an upload.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.records import storage as record_storage
from meetings.records import storage_multipart
from meetings.records.models import RecordingUpload, UploadMode, UploadStatus
from meetings.records.storage import Part

MiB = 1024 * 1024
MAX_SIGN_BATCH = 1000
PART_URL_EXPIRES_S = 3600
RECEIVE_CHUNK = 1 * MiB


class UploadError(Exception):
    """A refused upload action: a translated message, a stable code, an HTTP status."""

    def __init__(self, message: str, code: str, status: int = 400, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field = field


def parts_dir(upload: RecordingUpload) -> Path:
    return Path(settings.VAR_DIR) / "uploads" / str(upload.pk)


def require_open(upload: RecordingUpload) -> None:
    if upload.status != UploadStatus.OPEN:
        raise UploadError(
            _("This upload is no longer open (%(status)s).")
            % {"status": upload.get_status_display()},
            "wrong_state",
            status=409,
        )


def upload_missing() -> UploadError:
    return UploadError(
        _("Object storage no longer knows this upload; start again."),
        "upload_missing",
        status=409,
    )


def require_number(upload: RecordingUpload, number: int) -> None:
    if not 1 <= number <= upload.part_count:
        raise UploadError(
            _("Part %(number)s does not exist: this upload has parts 1 to %(count)s.")
            % {"number": number, "count": upload.part_count},
            "part_out_of_range",
            field="parts",
        )


def _touch(upload: RecordingUpload) -> None:
    """Still alive: the sweep of abandoned uploads counts from the last signing or part."""
    RecordingUpload.objects.filter(pk=upload.pk).update(updated_at=timezone.now())


def sign_parts(upload: RecordingUpload, numbers: list[int]) -> dict[int, str]:
    """Presigned PUT URLs (S3 mode), valid one hour, for at most 1000 part numbers. A
    document's single PUT is part 1, signed for its exact size and type."""
    require_open(upload)
    if upload.mode != UploadMode.S3:
        raise UploadError(
            _("This upload goes through the application: send the parts to it."),
            "wrong_mode",
            status=409,
        )
    if len(numbers) > MAX_SIGN_BATCH:
        raise UploadError(
            _("Ask for at most %(count)s parts at a time.") % {"count": MAX_SIGN_BATCH},
            "too_many_parts",
            field="parts",
        )
    for number in numbers:
        require_number(upload, number)
    _touch(upload)
    if upload.single_put:
        url = record_storage.sign_put(
            upload.key,
            size=upload.size,
            content_type=upload.content_type,
            expires_s=PART_URL_EXPIRES_S,
        )
        return {1: url}
    return storage_multipart.sign_parts(
        upload.key, upload.upload_id, sorted(set(numbers)), expires_s=PART_URL_EXPIRES_S
    )


def receive_part(upload: RecordingUpload, number: int, body: BinaryIO) -> Part:
    """Local mode: stream one part's request body to var/uploads/<id>/<n>-<md5>.part.

    The MD5 is the part's etag, as S3 would give it. A body of the wrong size is
    refused and not kept; a part sent again replaces the earlier one. Each request
    writes a temporary file of its own, renamed into place once whole: overlapping
    retries of the same part never write into each other's file.
    """
    require_open(upload)
    if upload.mode != UploadMode.APP:
        raise UploadError(
            _("This upload goes straight to object storage: use the signed URLs."),
            "wrong_mode",
            status=409,
        )
    require_number(upload, number)
    expected = upload.expected_size(number)
    directory = parts_dir(upload)
    directory.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=directory, prefix=f"{number}.", suffix=".receiving")
    partial = Path(name)
    digest = hashlib.md5(usedforsecurity=False)
    size = 0
    try:
        with os.fdopen(handle, "wb") as target:
            while chunk := body.read(RECEIVE_CHUNK):
                size += len(chunk)
                if size > expected:
                    break
                digest.update(chunk)
                target.write(chunk)
        if size != expected:
            raise UploadError(
                _("Part %(number)s must be %(expected)s bytes.")
                % {"number": number, "expected": expected},
                "wrong_size",
            )
        etag = digest.hexdigest()
        final = directory / f"{number}-{etag}.part"
        os.replace(partial, final)
        for earlier in directory.glob(f"{number}-*.part"):
            if earlier != final:
                earlier.unlink(missing_ok=True)
        _touch(upload)
    finally:
        partial.unlink(missing_ok=True)
    return Part(number, size, etag)


def _local_parts(upload: RecordingUpload) -> list[Part]:
    parts = []
    for path in parts_dir(upload).glob("*-*.part"):
        number, etag = path.stem.split("-", 1)
        parts.append(Part(int(number), path.stat().st_size, etag))
    return sorted(parts, key=lambda part: part.number)


ASSEMBLED_ETAG = "assembled"


def held_parts(upload: RecordingUpload) -> list[Part]:
    """The parts the store holds (S3: ListParts, the truth; a single PUT: the object, if
    it is there); UploadMissing if it forgot the upload."""
    if upload.single_put:
        try:
            return [record_storage.stored_object(upload.key)]
        except record_storage.UploadMissing:
            raise
        except record_storage.ObjectMissing:
            return []
    if upload.mode == UploadMode.S3:
        return storage_multipart.list_parts(upload.key, upload.upload_id)
    return _local_parts(upload)


def stored_parts(upload: RecordingUpload) -> list[Part]:
    """The parts received so far: what a resumed page needs not send again. Empty for a
    finished upload.

    If S3 already assembled the object (the answer to completing was lost), every part
    is listed as received (etag "assembled"), so that the page goes on to complete, which
    finds the object whole. If the store forgot the upload and holds no object,
    UploadMissing (409 upload_missing): the page starts again.
    """
    if upload.status != UploadStatus.OPEN:
        return []
    try:
        return held_parts(upload)
    except record_storage.UploadMissing:
        if not assembled_earlier(upload):
            raise
    return [
        Part(number, upload.expected_size(number), ASSEMBLED_ETAG)
        for number in range(1, upload.part_count + 1)
    ]


def assembled_earlier(upload: RecordingUpload) -> bool:
    """S3 assembled the object but its answer never reached us (a timeout): the upload
    id is gone and the object is there, whole."""
    try:
        return record_storage.size_of(upload.key) == upload.size
    except record_storage.ObjectMissing:
        return False
