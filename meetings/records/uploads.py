"""Recording uploads: a multi-GB video reaches storage in parts, then becomes a record.

S3 mode: the app starts a multipart upload, signs part URLs, and the browser PUTs
every part straight to S3; the app never sees a byte of the video. Local mode (the
embedded default): the browser PUTs the same parts to the app, which streams each to
var/uploads/<id>/ and, on completion, concatenates them into storage.

Completion checks, before anything becomes a record: every part 1..part_count is
present, each is part_size bytes except the last (the rest of the declared size), and
each etag is the one the browser got when it sent the part. Then the parts become the
object, whose size must be the declared one, and `archive.add_recording_version`
creates the version ("verifying") in one transaction; the SHA-256 and the sniffing of
the bytes come afterwards, in meetings/records/verification.py.

Storage outages raise record_storage.StorageUnavailable (503): the session stays open
and resumable, and nothing half-written becomes a record.

Documents use the same sessions (meetings/document_uploads.py): parts through the app on
local disk; in S3 mode one presigned PUT bounded in size and type instead of multipart
parts (`RecordingUpload.single_put`), the object then being "part 1". Completing a
document hands it to the task worker's verification instead of adding the version.

This module creates, completes and aborts upload sessions; the parts themselves
(signing, receiving, listing) are meetings/records/upload_parts.py.
"""

import contextlib
import math
import shutil
from collections.abc import Callable, Iterator
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.records import archive, storage_multipart
from meetings.records import storage as record_storage
from meetings.records.models import (
    Record,
    RecordingUpload,
    RecordKind,
    RecordVersion,
    UploadMode,
    UploadStatus,
    new_storage_key,
)
from meetings.records.storage import Part
from meetings.records.upload_parts import (
    RECEIVE_CHUNK,
    UploadError,
    assembled_earlier,
    held_parts,
    parts_dir,
    require_number,
    require_open,
    upload_missing,
)
from meetings.records.verification import schedule_verification

MiB = 1024 * 1024
GiB = 1024 * MiB
MIN_PART_SIZE = 8 * MiB  # S3 refuses parts under 5 MiB (but the last)
MAX_PARTS = 10_000  # S3's limit
# Declared type → extensions; the bytes are sniffed at verification.
RECORDING_TYPES = {
    "video/mp4": (".mp4", ".m4v"),
    "video/webm": (".webm",),
    "video/x-matroska": (".mkv",),
}
GENERIC_TYPES = ("", "application/octet-stream")


def max_recording_bytes() -> int:
    return settings.RECORDS_MAX_RECORDING_BYTES


def plan_parts(size: int) -> tuple[int, int]:
    """(part_size, part_count): parts of at least 8 MiB, whole MiB, at most 10,000 of them."""
    part_size = max(MIN_PART_SIZE, math.ceil(size / MAX_PARTS / MiB) * MiB)
    return part_size, math.ceil(size / part_size)


def recording_type(file_name: str, content_type: str) -> str:
    """The declared type, checked against the name's extension; UploadError if not a video
    we keep. A generic declared type (browsers send "" for .mkv) takes the extension's."""
    extension = PurePath(file_name).suffix.lower()
    declared = content_type.split(";")[0].strip().lower()
    for known, extensions in RECORDING_TYPES.items():
        if extension in extensions and declared in (known, *GENERIC_TYPES):
            return known
    raise UploadError(
        _("Recordings must be MP4, WebM or MKV videos."), "wrong_type", field="content_type"
    )


# -- Create --------------------------------------------------------------------------------------


def create_upload(
    *,
    meeting: Meeting,
    user: AbstractBaseUser,
    title: str,
    file_name: str,
    size: int,
    content_type: str,
    record: Record | None = None,
    reason: str = "",
) -> RecordingUpload:
    """Open an upload session (and, in S3 mode, the multipart upload behind it).

    Refuses (UploadError / archive.RecordError) an empty or over-size file, a type that
    is not a video, a missing title, a record of another meeting or kind, a correction
    of a published record without a reason: before any byte moves.
    """
    if size <= 0:
        raise UploadError(_("The file is empty."), "empty_file", field="size")
    if size > max_recording_bytes():
        raise UploadError(
            _("The recording is larger than the limit of %(limit)s GiB.")
            % {"limit": max_recording_bytes() // GiB},
            "too_large",
            field="size",
        )
    kind_type = recording_type(file_name, content_type)
    archive.check_new_version(
        meeting=meeting, kind=RecordKind.RECORDING, record=record, reason=reason, title=title
    )
    part_size, part_count = plan_parts(size)
    key = new_storage_key(meeting.uid)
    mode = UploadMode.S3 if record_storage.is_s3() else UploadMode.APP
    upload_id = (
        storage_multipart.start_multipart(key, content_type=kind_type) if mode == "s3" else ""
    )
    try:
        upload = RecordingUpload.objects.create(
            meeting=meeting,
            created_by=user,
            title=title.strip()[:300],
            original_name=PurePath(file_name).name[:255],
            size=size,
            content_type=kind_type,
            key=key,
            mode=mode,
            upload_id=upload_id,
            part_size=part_size,
            part_count=part_count,
            record=record,
            reason=reason.strip(),
        )
    except BaseException:
        if upload_id:
            # The row's own error matters; an outage here leaves an orphan for the sweep.
            with contextlib.suppress(record_storage.StorageUnavailable):
                storage_multipart.abort_multipart(key, upload_id)
        raise
    return upload


# -- Complete -------------------------------------------------------------------------------------


def _check_parts(upload: RecordingUpload, sent: list[tuple[int, str]], stored: list[Part]) -> None:
    numbers = [number for number, _etag in sent]
    if numbers != sorted(set(numbers)):
        raise UploadError(
            _("List the parts once each, in ascending order."), "parts_out_of_order", field="parts"
        )
    for number in numbers:
        require_number(upload, number)
    held = {part.number: part for part in stored}
    listed = set(numbers)
    missing = [n for n in range(1, upload.part_count + 1) if n not in listed or n not in held]
    if missing:
        raise UploadError(
            _("Parts are missing: %(numbers)s.") % {"numbers": ", ".join(map(str, missing[:20]))},
            "part_missing",
            field="parts",
        )
    for number, etag in sent:
        part = held[number]
        if part.size != upload.expected_size(number):
            raise UploadError(
                _("Part %(number)s has %(size)s bytes instead of %(expected)s.")
                % {"number": number, "size": part.size, "expected": upload.expected_size(number)},
                "wrong_size",
                field="parts",
            )
        if part.etag != etag.strip().strip('"'):
            raise UploadError(
                _("Part %(number)s is not the one that was sent (its checksum differs).")
                % {"number": number},
                "wrong_etag",
                field="parts",
            )


def _claim(upload: RecordingUpload) -> RecordingUpload:
    """open → completing, once: a second completion at the same time gets 409."""
    with transaction.atomic():
        locked = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        require_open(locked)
        locked.status = UploadStatus.COMPLETING
        locked.save(update_fields=["status", "updated_at"])
    return locked


def _release(upload: RecordingUpload) -> None:
    """completing → open: completion failed, the upload stays resumable. Nothing if the
    upload left "completing" meanwhile (discarded)."""
    released = RecordingUpload.objects.filter(pk=upload.pk, status=UploadStatus.COMPLETING).update(
        status=UploadStatus.OPEN, updated_at=timezone.now()
    )
    if released:
        upload.status = UploadStatus.OPEN


def _concatenated(upload: RecordingUpload, parts: list[tuple[int, str]]) -> Iterator[bytes]:
    """The checked parts, in order (the files named by their numbers and etags); read
    in RECEIVE_CHUNK pieces, since every completion under way holds its piece in memory
    (three 100 MB documents completing at once grew the server by 42 MB with 8 MiB reads)."""
    for number, etag in parts:
        path = parts_dir(upload) / f"{number}-{etag.strip().strip(chr(34))}.part"
        with path.open("rb") as source:
            while chunk := source.read(RECEIVE_CHUNK):
                yield chunk


def _assemble(upload: RecordingUpload, parts: list[tuple[int, str]]) -> None:
    """Make the object from the parts; StorageUnavailable leaves the parts where they are.

    S3 answering that it no longer knows the upload may mean that it assembled the
    object on an earlier attempt whose answer was lost (the SDK tried again): if the
    object is there, whole, go on; else upload_missing (409)."""
    if upload.single_put:
        return  # the browser's PUT made the object
    if upload.mode == UploadMode.S3:
        try:
            storage_multipart.complete_multipart(upload.key, upload.upload_id, parts)
        except record_storage.UploadMissing:
            if not assembled_earlier(upload):
                raise upload_missing() from None
    else:
        record_storage.delete(upload.key)  # a partial copy of an earlier, failed attempt
        record_storage.save_stream(
            upload.key, _concatenated(upload, parts), content_type=upload.content_type
        )


def complete_upload(upload: RecordingUpload, parts: list[tuple[int, str]]) -> RecordVersion:
    """Check the parts, assemble them, and add the recording version ("verifying").

    Side effects: the object under upload.key; a RecordVersion (and its Record) with an
    audit entry; the upload "completed", its local part files deleted; after commit,
    the verification task is enqueued. On a refusal nothing changes (the upload stays
    open). Once claimed ("completing"), any failure but a refusal of the assembled
    object (wrong size, archive.RecordError: discarded, "aborted") puts the upload back
    to "open": StorageUnavailable, the store forgetting the upload, a database error.
    Completing again then goes on, finding the object whole if it was assembled.
    """
    created: list[RecordVersion] = []

    def add_version(claimed: RecordingUpload) -> None:
        try:
            created.append(_record(claimed))
        except archive.RecordError:
            _discard(claimed)
            raise

    assemble_checked(upload, parts, add_version)
    return created[0]


def assemble_checked(
    upload: RecordingUpload,
    parts: list[tuple[int, str]],
    finish: Callable[[RecordingUpload], None],
) -> None:
    """Check the parts, claim the upload ("completing"), make the object of the declared
    size, then `finish(claimed upload)`: add the recording version, or hand a document to
    its verification. On a refusal before the claim nothing changes; after it, any
    failure puts the upload back to "open" unless it was discarded (a wrong size)."""
    require_open(upload)
    try:
        stored = held_parts(upload)
    except record_storage.UploadMissing:
        stored = None
        if not assembled_earlier(upload):
            raise upload_missing() from None
    if stored is not None:
        _check_parts(upload, parts, stored)
    upload = _claim(upload)
    try:
        if stored is not None:
            _assemble(upload, parts)
        actual = record_storage.size_of(upload.key)
        if actual != upload.size:
            _discard(upload)
            message = (
                _("The stored document has %(actual)s bytes instead of %(size)s.")
                if upload.is_document
                else _("The stored recording has %(actual)s bytes instead of %(size)s.")
            )
            raise UploadError(
                message % {"actual": actual, "size": upload.size},
                "wrong_size",
                status=409,
            )
        finish(upload)
    except Exception:
        _release(upload)
        raise
    shutil.rmtree(parts_dir(upload), ignore_errors=True)


def _record(upload: RecordingUpload) -> RecordVersion:
    """The version and the upload "completed", in one transaction, if the upload is
    still the one this completion claimed ("completing"); else wrong_state (409)."""
    with transaction.atomic():
        locked = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != UploadStatus.COMPLETING:
            raise UploadError(
                _("This upload is no longer open (%(status)s).")
                % {"status": locked.get_status_display()},
                "wrong_state",
                status=409,
            )
        version = archive.add_recording_version(
            meeting=upload.meeting,
            title=upload.title,
            key=upload.key,
            original_name=upload.original_name,
            size=upload.size,
            content_type=upload.content_type,
            uploaded_by=upload.created_by,
            record=upload.record,
            reason=upload.reason,
        )
        locked.status = UploadStatus.COMPLETED
        locked.record = version.record
        locked.version = version
        locked.save(update_fields=["status", "record", "version", "updated_at"])
        schedule_verification(version)
    upload.status, upload.record = locked.status, locked.record
    return version


def _discard(upload: RecordingUpload) -> None:
    """The assembled object cannot become a record: remove it and end the session."""
    record_storage.delete(upload.key)
    shutil.rmtree(parts_dir(upload), ignore_errors=True)
    RecordingUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.ABORTED, updated_at=timezone.now()
    )
    upload.status = UploadStatus.ABORTED


# -- Abort ---------------------------------------------------------------------------------------


def abort_upload(upload: RecordingUpload) -> None:
    """Give up: the store forgets the parts (and any object under the key), the local
    part files go, the session is "aborted". StorageUnavailable leaves it as it was.

    Only an open upload: one being completed (or finished) is refused with wrong_state
    (409). The row stays locked while the store drops the parts, so a completion cannot
    claim it meanwhile."""
    with transaction.atomic():
        locked = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != UploadStatus.OPEN:
            raise UploadError(
                _("This upload can no longer be cancelled (%(status)s).")
                % {"status": locked.get_status_display()},
                "wrong_state",
                status=409,
            )
        if locked.mode == UploadMode.S3 and locked.upload_id:
            storage_multipart.abort_multipart(locked.key, locked.upload_id)
        record_storage.delete(locked.key)
        if locked.stored_key != locked.key:  # a document's copy from a failed completion
            record_storage.delete(locked.stored_key)
        shutil.rmtree(parts_dir(locked), ignore_errors=True)
        locked.status = UploadStatus.ABORTED
        locked.save(update_fields=["status", "updated_at"])
    upload.status = UploadStatus.ABORTED
