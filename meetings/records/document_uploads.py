"""Documents (agenda papers, minutes, other papers) uploaded the way recordings are.

No request body carries a whole document: in S3 mode the browser PUTs it straight to
the bucket with a presigned URL whose signature pins its exact size and declared type
(the store refuses any other body); on local disk it sends parts of at most 8 MiB to
the application, which streams each to var/uploads/<id>/ (the recording machinery of
meetings/records/uploads.py and upload_parts.py, reused as is). Completing checks the
object's size and its first bytes, then the upload waits ("verifying") for the task worker
(`verify_document_upload_task`), which reads the object once: its SHA-256, its size,
and its type sniffed from the bytes (DOCX/XLSX/ODT by their zip members, read from a
temporary copy on disk). Only then does the document become a version (minutes as a
draft, others available), so no unverified document is ever shown; a refused one is
deleted from storage and its upload says why ("failed"). A completed or failed upload
is not open any more: completing it again is 409, never a second version.
"""

import contextlib
import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.tasks import task
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from meetings.models import Meeting
from meetings.records import archive
from meetings.records import documents as record_documents
from meetings.records import storage as record_storage
from meetings.records.documents import DOCX, JPEG, ODT, PDF, PNG, XLSX
from meetings.records.models import (
    Record,
    RecordingUpload,
    UploadMode,
    UploadStatus,
    new_storage_key,
)
from meetings.records.upload_parts import UploadError, parts_dir
from meetings.records.uploads import GENERIC_TYPES, assemble_checked, plan_parts
from meetings.records.verification import QUEUE, VERIFY_ATTEMPTS, VERIFY_RETRY_AFTER

# The extension names the declared type (what the S3 PUT is signed for); the bytes decide
# the stored type at verification.
DOCUMENT_TYPES = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".odt": ODT,
    ".xlsx": XLSX,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
}
READ_CHUNK = 8 * 1024 * 1024

logger = logging.getLogger(__name__)


def document_type(file_name: str, content_type: str) -> str:
    """The declared type, checked against the name's extension; UploadError if it is
    not a document we keep. A generic declared type takes the extension's."""
    known = DOCUMENT_TYPES.get(PurePath(file_name).suffix.lower())
    declared = content_type.split(";")[0].strip().lower()
    if known is None or declared not in (known, *GENERIC_TYPES):
        raise UploadError(
            _("This file is not a PDF, DOCX, ODT, XLSX, PNG or JPEG document."),
            "unsupported_type",
            field="content_type",
        )
    return known


def create_document_upload(
    *,
    meeting: Meeting,
    user: AbstractBaseUser,
    kind: str,
    title: str,
    file_name: str,
    size: int,
    content_type: str,
    record: Record | None = None,
    reason: str = "",
) -> RecordingUpload:
    """Open a document upload: one presigned PUT (S3) or parts through the app (local).

    Refuses (UploadError / archive.RecordError), before any byte moves: a kind that is
    not a document, an empty or over-size file, a name or type that is not a document we
    keep, a missing title, a record of another meeting or kind, a correction of a
    published record without a reason. No side effect but the row.
    """
    archive.require_document_kind(kind)
    if size <= 0:
        raise UploadError(_("The file is empty."), "empty_file", field="size")
    limit = record_documents.max_document_bytes()
    if size > limit:
        raise UploadError(
            _("The file is %(size)s; documents may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "too_large",
            field="size",
        )
    declared = document_type(file_name, content_type)
    archive.check_new_version(meeting=meeting, kind=kind, record=record, reason=reason, title=title)
    mode = UploadMode.S3 if record_storage.is_s3() else UploadMode.APP
    # S3: the whole file is "part 1" of one signed PUT; local: parts the app streams.
    part_size, part_count = (size, 1) if mode == UploadMode.S3 else plan_parts(size)
    return RecordingUpload.objects.create(
        meeting=meeting,
        created_by=user,
        kind=kind,
        title=title.strip()[:300],
        original_name=record_documents.display_name(file_name),
        size=size,
        content_type=declared,
        key=new_storage_key(meeting.uid),
        mode=mode,
        part_size=part_size,
        part_count=part_count,
        record=record,
        reason=reason.strip(),
    )


def complete_document_upload(
    upload: RecordingUpload, parts: list[tuple[int, str]]
) -> RecordingUpload:
    """Check the parts (S3: the object, part 1, with the ETag the PUT answered), make the
    object, check its size and first bytes, and hand it to the task worker ("verifying").

    Refusals leave the upload open (UploadError 400/409). First bytes that are no
    document: the object is deleted, the upload "failed" with why, UploadError
    unsupported_type. StorageUnavailable: the upload stays open, complete again later.
    Side effects: the object; after commit, the verification task is enqueued.
    """
    assemble_checked(upload, parts, _to_verification)
    upload.refresh_from_db()
    return upload


def _to_verification(upload: RecordingUpload) -> None:
    if upload.single_put:
        # Copied again by a completion tried again: nothing under this key is a version yet.
        # The presigned key stays until the version exists (a completion that fails after
        # this point and is tried again copies it again), then goes.
        record_storage.copy(upload.key, upload.stored_key)
    # A cheap look at the first bytes answers the common mistake (a renamed program) at
    # once; the task worker's full sniff decides.
    head = b"".join(record_storage.open_chunks(upload.stored_key, end=record_documents.HEAD_BYTES))
    if record_documents.sniff_head(head) is None:
        reason = _("This file is not a PDF, DOCX, ODT, XLSX, PNG or JPEG document.")
        fail(upload, reason)
        raise UploadError(reason, "unsupported_type", status=400, field="file")
    with transaction.atomic():
        updated = RecordingUpload.objects.filter(
            pk=upload.pk, status=UploadStatus.COMPLETING
        ).update(status=UploadStatus.VERIFYING, updated_at=timezone.now())
        if not updated:
            raise UploadError(
                _("This upload is no longer open (%(status)s).")
                % {"status": UploadStatus.COMPLETING.label},
                "wrong_state",
                status=409,
            )
        schedule_document_verification(upload)
    upload.status = UploadStatus.VERIFYING


@dataclass(frozen=True)
class Found:
    sha256: str
    size: int
    content_type: str | None


def _read(key: str) -> Found:
    """Read the object once, 8 MiB at a time, into a temporary file on disk (never into
    memory): its SHA-256 and size on the way, then its type sniffed from the copy (a
    zip's members need its central directory, at the end)."""
    hasher = hashlib.sha256()
    size = 0
    with tempfile.TemporaryFile() as copy:
        for chunk in record_storage.open_chunks(key, chunk_size=READ_CHUNK):
            hasher.update(chunk)
            size += len(chunk)
            copy.write(chunk)
        copy.flush()
        content_type = record_documents.sniff(copy)
    return Found(hasher.hexdigest(), size, content_type)


def verify_document_upload(upload: RecordingUpload) -> RecordingUpload:
    """Settle a "verifying" document upload: the version, or "failed" with why.

    Side effects when it passes: the version (minutes as a draft, others available) with
    its SHA-256 and sniffed type, audit "record.uploaded", the upload "completed". When
    it fails: the object deleted, the upload "failed", audit "record.failed". An upload
    no longer verifying (a second run of the task) is left as it is: never a second
    version. StorageUnavailable propagates (the task tries again later).
    """
    if upload.status != UploadStatus.VERIFYING:
        return upload
    try:
        found = _read(upload.stored_key)
    except record_storage.ObjectMissing:
        return fail(upload, _("The document is missing from storage."))
    if found.size != upload.size:
        return fail(
            upload,
            _("The stored document has %(actual)s bytes instead of %(size)s.")
            % {"actual": found.size, "size": upload.size},
        )
    if found.content_type is None:
        return fail(upload, _("This file is not a PDF, DOCX, ODT, XLSX, PNG or JPEG document."))
    refusal = ""
    with transaction.atomic():
        locked = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != UploadStatus.VERIFYING:
            return locked
        try:
            with transaction.atomic():
                version = archive.add_document_version(
                    meeting=upload.meeting,
                    kind=upload.kind,
                    title=upload.title,
                    key=upload.stored_key,
                    original_name=upload.original_name,
                    size=found.size,
                    content_type=found.content_type,
                    sha256=found.sha256,
                    uploaded_by=upload.created_by,
                    record=upload.record,
                    reason=upload.reason,
                )
        except archive.RecordError as error:
            # The record changed meanwhile (e.g. its minutes were published).
            refusal = error.message
        else:
            locked.status = UploadStatus.COMPLETED
            locked.record = version.record
            locked.version = version
            locked.save(update_fields=["status", "record", "version", "updated_at"])
    if not refusal:
        if upload.single_put:
            # The PUT's own object is no longer needed; if storage refuses now, the sweep
            # deletes it with the finished session.
            with contextlib.suppress(record_storage.StorageUnavailable):
                record_storage.delete(upload.key)
        return locked
    return fail(upload, refusal)


def fail(upload: RecordingUpload, reason: str) -> RecordingUpload:
    """The file cannot become a version: delete the object (StorageUnavailable
    propagates: nothing is marked), then the upload is "failed" with the reason and
    audit "record.failed". Nothing if the upload left "completing"/"verifying"."""
    record_storage.delete(upload.key)
    record_storage.delete(upload.stored_key)
    with transaction.atomic():
        locked = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status not in (UploadStatus.COMPLETING, UploadStatus.VERIFYING):
            return locked
        locked.status = UploadStatus.FAILED
        locked.failure = reason
        locked.save(update_fields=["status", "failure", "updated_at"])
        trail.record(
            locked.created_by,
            "record.failed",
            locked,
            {
                "meeting": locked.meeting_id,
                "kind": locked.kind,
                "name": locked.original_name,
                "size": locked.size,
                "reason": reason,
            },
        )
    shutil.rmtree(parts_dir(locked), ignore_errors=True)
    upload.status, upload.failure = locked.status, locked.failure
    return locked


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
