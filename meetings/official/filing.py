"""A finished official document into the session's records: one record per kind of
document (its newest version is the one in force), versioned and hashed like every record.
"""

import contextlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from audit import trail
from meetings.models import Meeting
from meetings.official.models import DocumentKind
from meetings.records import documents
from meetings.records import storage as record_storage
from meetings.records.models import Record, RecordKind, RecordVersion

# Each kind's record title and file name, in Vietnamese as the documents are.
RECORD_TITLES = {DocumentKind.INVITATION: "Giấy mời", DocumentKind.CONCLUSION: "Thông báo kết luận"}
FILE_STEMS = {DocumentKind.INVITATION: "giay-moi", DocumentKind.CONCLUSION: "thong-bao-ket-luan"}


def file_document(
    meeting: Meeting, kind: str, number_symbol: str, pdf: bytes, actor: AbstractBaseUser
) -> RecordVersion:
    """Store `pdf` as the newest version of the session's record of this kind.

    Raises record_storage.StorageUnavailable (nothing stored) or RecordError.
    Side effects, in one transaction: the object in storage, the version with its SHA-256
    (audit "record.uploaded"), audit "official.issued" with the number.
    """
    kind = DocumentKind(kind)
    title = RECORD_TITLES[kind]
    file_name = f"{FILE_STEMS[kind]}-{number_symbol.replace('/', '-')}.pdf"
    with transaction.atomic():
        record = Record.objects.filter(meeting=meeting, kind=RecordKind.OTHER, title=title).first()
        version = documents.upload_document(
            meeting=meeting,
            kind=RecordKind.OTHER,
            title=title,
            upload=SimpleUploadedFile(file_name, pdf, content_type=documents.PDF),
            uploaded_by=actor,
            record=record,
            reason=f"Số {number_symbol}",
        )
        try:
            trail.record(
                actor,
                "official.issued",
                version,
                {"meeting": meeting.pk, "kind": kind.value, "number": number_symbol},
            )
        except BaseException:
            # The version rolls back with the transaction; its object must go too.
            with contextlib.suppress(record_storage.StorageUnavailable):
                record_storage.delete(version.key)
            raise
    return version
