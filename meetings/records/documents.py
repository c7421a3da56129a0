"""Documents uploaded through the app: agenda papers, minutes and other papers.

The type comes from the bytes, never the name: PDF, PNG and JPEG by their magic
numbers; DOCX, XLSX and ODT are zip containers, recognised by the zip's
`[Content_Types].xml` or `mimetype` member, read from the upload's own file
(Django keeps uploads over FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file, and
zipfile seeks to its central directory: the upload is never read whole into
memory). The chunks stream to storage through a SHA-256; nothing half-written
stays: if storage or the database fails, the object is deleted and no version
exists.
"""

import contextlib
import hashlib
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.records import archive as records
from meetings.records import storage as record_storage
from meetings.records import strays
from meetings.records.archive import RecordError
from meetings.records.models import Record, RecordVersion, new_storage_key

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# The main part each Office Open XML type declares in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# A zip member read to tell the type is small; a bigger one is not an office document.
MAX_MEMBER_BYTES = 1024 * 1024
UPLOAD_CHUNK_BYTES = 1024 * 1024


ZIP_CONTAINER = "application/zip"  # DOCX, XLSX or ODT, perhaps: the members tell
HEAD_BYTES = 8


def sniff_head(head: bytes) -> str | None:
    """What the first HEAD_BYTES bytes say: PDF, PNG, JPEG, ZIP_CONTAINER (an office
    document only if its members say so: `sniff`), or None (nothing we keep)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return ZIP_CONTAINER
    return None


def sniff(stream: IO[bytes]) -> str | None:
    """The allowed content type these bytes are, or None. Leaves the stream at its start."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    found = sniff_head(head)
    if found == ZIP_CONTAINER:
        try:
            return _sniff_zip(stream)
        finally:
            stream.seek(0)
    return found


def _sniff_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return ODT if _member(archive, "mimetype").strip() == ODT.encode() else None
            if "[Content_Types].xml" in names:
                declared = _member(archive, "[Content_Types].xml")
                for content_type, main_part in OOXML_MAIN_PARTS.items():
                    if main_part in declared:
                        return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError):
        return None
    return None


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most MAX_MEMBER_BYTES of a member: a zip bomb gets no further than that."""
    with archive.open(name) as member:
        return member.read(MAX_MEMBER_BYTES)


def max_document_bytes() -> int:
    return int(settings.RECORDS_MAX_DOCUMENT_BYTES)


def check_file(upload: UploadedFile) -> str:
    """The upload's content type, or RecordError: empty, over the limit, not an allowed type."""
    size = upload.size or 0
    if size == 0:
        raise RecordError(_("The file is empty."), "empty_file", "file")
    if size > max_document_bytes():
        raise RecordError(
            _("The file is %(size)s; documents may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_document_bytes())},
            "too_large",
            "file",
        )
    # The upload's own file (never `with upload.open()`: closing it deletes a temporary file).
    content_type = sniff(upload.file) if upload.file is not None else None
    if content_type is None:
        raise RecordError(
            _("This file is not a PDF, DOCX, ODT, XLSX, PNG or JPEG document."),
            "unsupported_type",
            "file",
        )
    return content_type


def upload_document(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    upload: UploadedFile,
    uploaded_by: AbstractBaseUser,
    record: Record | None = None,
    reason: str = "",
    held: bool = False,
) -> RecordVersion:
    """Check, store and record one uploaded document as a new version (`held` back as a
    draft until archive.release when asked).

    Raises RecordError for a refused file or version (nothing stored) and
    record_storage.StorageUnavailable (StorageTimeout when the store did not answer in
    time) when storage fails: nothing left behind, and the key's removal is scheduled
    (strays.remove_later) for a write that lands after the store wakes up.
    Side effects: one object in storage, the version and its audit entry.
    """
    records.require_document_kind(kind)
    records.check_new_version(meeting=meeting, kind=kind, record=record, reason=reason, title=title)
    content_type = check_file(upload)
    key = new_storage_key(meeting.uid)
    hasher = hashlib.sha256()
    try:
        size = record_storage.save_stream(
            key, _hashed_chunks(upload, hasher), content_type=content_type
        )
        return records.add_document_version(
            meeting=meeting,
            kind=kind,
            title=title,
            key=key,
            original_name=display_name(upload.name),
            size=size,
            content_type=content_type,
            sha256=hasher.hexdigest(),
            uploaded_by=uploaded_by,
            record=record,
            reason=reason,
            held=held,
        )
    except BaseException as error:
        # Whatever failed (storage, the database, a refused version), no object stays.
        with contextlib.suppress(record_storage.StorageUnavailable):
            record_storage.delete(key)
        if isinstance(error, record_storage.StorageUnavailable):
            # A write the store did not acknowledge may still land later, after the
            # delete above: remove it again once the store answers.
            strays.remove_later(key)
        raise


def _hashed_chunks(upload: UploadedFile, hasher: "hashlib._Hash") -> Iterator[bytes]:
    upload.seek(0)
    for chunk in upload.chunks(UPLOAD_CHUNK_BYTES):
        hasher.update(chunk)
        yield chunk


def display_name(name: str | None) -> str:
    """The user's file name, without any path a browser sent, kept for downloads only."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or _("document"))[:255]
