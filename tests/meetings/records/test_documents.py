"""Documents uploaded through the app: the type from the bytes, limits, streaming with
SHA-256 into storage, and nothing half-written when storage or the database fails."""

import contextlib
import hashlib
import resource
import signal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import IntegrityError
from django.utils import translation

from accounts.roles import Role
from meetings.records import archive, documents
from meetings.records import storage as record_storage
from meetings.records.archive import RecordError
from meetings.records.documents import sniff, upload_document
from meetings.records.models import RecordKind, RecordVersion
from tests.factories import UserFactory, end_now
from tests.meetings.records.helpers import (
    DOCX,
    EXE,
    JPEG,
    ODT,
    PDF,
    PNG,
    XLSX,
    ZIP,
    TcpProxy,
    local_storage,
    s3_storage,
    session,
    zipped,
)

MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path) -> Path:
    local_storage(settings, tmp_path)
    return tmp_path / "media"


@pytest.fixture
def meeting(alice):
    return session(alice)


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def upload(content: bytes, name: str = "Biên bản họp.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def big_upload(content_head: bytes, size: int, name: str = "Tài liệu lớn.pdf"):
    """An upload as Django keeps one over FILE_UPLOAD_MAX_MEMORY_SIZE: in a temporary file."""
    temporary = TemporaryUploadedFile(name, "application/pdf", size, None)
    temporary.write(content_head)
    block = bytes(range(256)) * 4096
    while temporary.tell() < size:
        temporary.write(block[: size - temporary.tell()])
    temporary.seek(0)
    return temporary


def upload_as(user, meeting, content=PDF, name="Biên bản họp.pdf", **fields):
    return upload_document(
        meeting=meeting,
        kind=fields.pop("kind", RecordKind.AGENDA),
        title=fields.pop("title", "Tài liệu"),
        upload=fields.pop("file", None) or upload(content, name),
        uploaded_by=user,
        **fields,
    )


# --- the type from the bytes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ODT, "application/vnd.oasis.opendocument.text"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
    ],
)
def test_allowed_types_are_recognised_by_their_bytes(content, content_type):
    assert sniff(SimpleUploadedFile("x", content).file) == content_type


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        ZIP,
        b"plain text, no magic",
        b"PK\x03\x04 a broken zip",
        zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        zipped({"[Content_Types].xml": b"<Types/>"}),
    ],
    ids=["exe", "zip", "text", "broken-zip", "ods", "unknown-ooxml"],
)
def test_other_bytes_are_not_recognised(content):
    assert sniff(SimpleUploadedFile("x.pdf", content).file) is None


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(meeting, alice, media):
    with pytest.raises(RecordError) as refused:
        upload_as(alice, meeting, EXE, "Biên bản.pdf")

    assert (refused.value.code, refused.value.field) == ("unsupported_type", "file")
    assert RecordVersion.objects.count() == 0
    assert stored_files(media) == []


def test_an_empty_file_is_refused(meeting, alice, media):
    with pytest.raises(RecordError) as refused:
        upload_as(alice, meeting, b"")

    assert refused.value.code == "empty_file"
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused(meeting, alice, media, settings):
    settings.RECORDS_MAX_DOCUMENT_BYTES = len(PDF) - 1

    with pytest.raises(RecordError) as refused:
        upload_as(alice, meeting, PDF)

    assert refused.value.code == "too_large"
    assert stored_files(media) == []


def test_a_file_at_the_limit_is_accepted(meeting, alice, media, settings):
    settings.RECORDS_MAX_DOCUMENT_BYTES = len(PDF)

    version = upload_as(alice, meeting, PDF)

    assert version.size == len(PDF)


def test_the_default_limit_is_100_mb(settings):
    limit = settings.RECORDS_MAX_DOCUMENT_BYTES

    assert limit == 100 * MiB


def test_uploads_over_2_mib_go_to_a_temporary_file(settings):
    in_memory = settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    assert in_memory == 2 * MiB


# --- streamed into storage -----------------------------------------------------------------------


def test_a_document_is_stored_under_a_generated_key_with_its_sha256(meeting, alice, media):
    version = upload_as(alice, meeting, DOCX, "C:\\Tài liệu\\Biên bản họp giao ban.docx")

    assert version.original_name == "Biên bản họp giao ban.docx"
    assert version.key.startswith(f"records/{meeting.uid}/")
    assert "Bi" not in version.key
    assert version.content_type == documents.DOCX
    assert (version.size, version.sha256) == (len(DOCX), hashlib.sha256(DOCX).hexdigest())
    assert b"".join(record_storage.open_chunks(version.key)) == DOCX


def test_a_big_document_streams_from_its_temporary_file(meeting, alice, media):
    file = big_upload(PDF, 5 * MiB + 3)
    expected = hashlib.sha256()
    for chunk in file.chunks():
        expected.update(chunk)

    version = upload_as(alice, meeting, file=file)

    assert (version.size, version.sha256) == (5 * MiB + 3, expected.hexdigest())
    assert record_storage.size_of(version.key) == 5 * MiB + 3


def test_a_new_version_of_minutes_is_a_draft(meeting, alice, media):
    first = upload_as(alice, meeting, kind=RecordKind.MINUTES)

    second = upload_as(alice, meeting, ODT, "Biên bản v2.odt", kind=RecordKind.MINUTES,
                       record=first.record)  # fmt: skip

    assert (second.number, second.status, second.content_type) == (2, "draft", documents.ODT)
    assert len(stored_files(media)) == 2


def test_a_refused_correction_stores_nothing(meeting, alice, media):
    end_now(meeting)
    first = upload_as(alice, meeting, kind=RecordKind.MINUTES)
    archive.submit(first, alice)
    archive.approve(first, UserFactory(username="dung", roles=[Role.SECRETARIAT]))

    with pytest.raises(RecordError) as refused:
        upload_as(alice, meeting, kind=RecordKind.MINUTES, record=first.record)

    assert refused.value.code == "reason_required"
    assert len(stored_files(media)) == 1


def test_a_database_failure_after_storing_deletes_the_object(meeting, alice, media, monkeypatch):
    def fail(**kwargs):
        raise IntegrityError("the database went away")

    # A fault that cannot be caused from here: the database failing after the bytes are stored.
    monkeypatch.setattr(archive, "add_document_version", fail)

    with pytest.raises(IntegrityError):
        upload_as(alice, meeting)

    assert stored_files(media) == []


@contextlib.contextmanager
def file_size_limit(limit: int):
    """A real write failure: files of this process may not grow past `limit` bytes (EFBIG)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_disk_full_mid_upload_leaves_no_version_and_no_partial_file(meeting, alice, media):
    file = big_upload(PDF, 24 * MiB)

    with file_size_limit(16 * MiB), pytest.raises(record_storage.StorageUnavailable):
        upload_as(alice, meeting, file=file)

    assert RecordVersion.objects.count() == 0
    assert stored_files(media) == []


# --- on real S3 ----------------------------------------------------------------------------------


def test_a_document_streams_to_s3_in_parts_with_its_sha256(meeting, alice, settings, seaweedfs):
    s3_storage(settings, seaweedfs)
    file = big_upload(PDF, 17 * MiB)  # three parts of 8 MiB, the last one short
    expected = hashlib.sha256()
    for chunk in file.chunks():
        expected.update(chunk)

    version = upload_as(alice, meeting, file=file)

    head = seaweedfs.client().head_object(Bucket=seaweedfs.bucket, Key=version.key)
    assert (head["ContentLength"], head["ContentType"]) == (17 * MiB, "application/pdf")
    assert version.sha256 == expected.hexdigest()
    read_back = hashlib.sha256()
    for chunk in record_storage.open_chunks(version.key):
        read_back.update(chunk)
    assert read_back.hexdigest() == expected.hexdigest()


def test_s3_unreachable_leaves_no_version(meeting, alice, settings, seaweedfs):
    from tests.fixtures.services import free_ports

    (port,) = free_ports(1)
    settings.STORAGES = seaweedfs.storages_setting(
        settings.STORAGES, endpoint_url=f"http://127.0.0.1:{port}"
    )

    with pytest.raises(record_storage.StorageUnavailable):
        upload_as(alice, meeting)

    assert RecordVersion.objects.count() == 0


def test_s3_going_down_mid_upload_leaves_no_version_and_no_object(
    meeting, alice, settings, seaweedfs
):
    proxy = TcpProxy(urlsplit(seaweedfs.endpoint_url).port)
    settings.STORAGES = seaweedfs.storages_setting(
        settings.STORAGES, endpoint_url=f"http://127.0.0.1:{proxy.port}"
    )
    file = big_upload(PDF, 20 * MiB)
    chunks = file.chunks
    keys = []

    def chunks_then_outage(chunk_size=None):
        for number, chunk in enumerate(chunks(chunk_size)):
            if number == 9:  # 1 MiB chunks: part 1 went up, part 2 is being read
                proxy.cut()
            yield chunk

    file.chunks = chunks_then_outage
    save_stream = record_storage.save_stream

    def remember_key(key, chunks, **kwargs):
        keys.append(key)
        return save_stream(key, chunks, **kwargs)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(record_storage, "save_stream", remember_key)  # only to learn the key
            with pytest.raises(record_storage.StorageUnavailable):
                upload_as(alice, meeting, file=file)
    finally:
        proxy.cut()

    assert RecordVersion.objects.count() == 0
    listing = seaweedfs.client().list_objects_v2(Bucket=seaweedfs.bucket, Prefix=keys[0])
    assert listing.get("KeyCount", 0) == 0
