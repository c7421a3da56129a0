"""The storage faults the records API documents, caused for real (on both CI legs): object
storage pointed at a loopback port nothing listens on (refused: 503
`storage_unavailable`) and at a loopback server that accepts and never answers (past
S3_READ_TIMEOUT: 504 `storage_timeout`); local storage whose directory cannot be
read (its parent is a file: 503). Every operation that documents 503 or 504 is asked here,
and each fault asked is documented."""

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from httpapi.problems import CONTENT_TYPE
from meetings.conclusions.models import ConclusionNotice, NoticeState
from meetings.records.models import RecordingUpload, RecordKind, UploadMode, UploadStatus
from tests.factories import RecordFactory, RecordVersionFactory
from tests.fixtures.services import S3Server, free_ports
from tests.httpapi.operations import operations, own_task
from tests.meetings.records.helpers import PDF, local_storage, session
from tests.signatures.fixtures import authority, holder, signing, trusted  # noqa: F401

TIMEOUT_S = 1
UNAVAILABLE = (503, "storage_unavailable")
TIMED_OUT = (504, "storage_timeout")


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback server that accepts connections (the kernel does, into the backlog)
    and never answers a byte."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def point_s3_at(settings, port: int) -> None:
    """S3 mode, the store at this loopback port, one try of TIMEOUT_S seconds at most."""
    settings.S3_CONNECT_TIMEOUT = TIMEOUT_S
    settings.S3_READ_TIMEOUT = TIMEOUT_S
    settings.S3_MAX_ATTEMPTS = 1
    store = S3Server(f"http://127.0.0.1:{port}", "giaoban-faults", "faults", "faults-secret")
    settings.STORAGES = store.storages_setting(settings.STORAGES)


def an_s3_upload(meeting, owner, kind: str) -> RecordingUpload:
    """An open upload as create_upload / create_document_upload leave it in S3 mode."""
    recording = kind == RecordKind.RECORDING
    return RecordingUpload.objects.create(
        meeting=meeting,
        created_by=owner,
        kind=kind,
        title="Ghi hình" if recording else "Tài liệu",
        original_name="ghi-hình.mp4" if recording else "Tài liệu.pdf",
        size=len(PDF),
        content_type="video/mp4" if recording else "application/pdf",
        key=f"records/{meeting.uid}/faults-{kind}",
        mode=UploadMode.S3,
        upload_id="faults-upload" if recording else "",
        part_size=len(PDF),
        part_count=1,
        status=UploadStatus.OPEN,
    )


@dataclass(frozen=True)
class Asked:
    method: str
    path: str
    body: dict | None = None
    format: str = "json"


def new_recording(meeting, alice) -> Asked:
    body = {"title": "Ghi hình", "file_name": "ghi-hình.mp4", "size": 1024,
            "content_type": "video/mp4"}  # fmt: skip
    return Asked("POST", f"/api/v1/meetings/{meeting.pk}/recording-uploads/", body)


def new_document(meeting, alice) -> Asked:
    body = {"kind": "minutes", "title": "Biên bản",
            "file": SimpleUploadedFile("Biên bản.pdf", PDF)}  # fmt: skip
    return Asked("POST", f"/api/v1/meetings/{meeting.pk}/records/", body, "multipart")


def upload_asked(kind: str, method: str, action: str = "") -> Callable:
    collection = "recording-uploads" if kind == RecordKind.RECORDING else "document-uploads"

    def arrange(meeting, alice) -> Asked:
        upload = an_s3_upload(meeting, alice, kind)
        body = {"parts": [{"number": 1, "etag": "0" * 32}]} if action else None
        return Asked(method, f"/api/v1/{collection}/{upload.pk}/{action}", body)

    return arrange


def download(meeting, alice) -> Asked:
    record = RecordFactory(meeting=meeting, kind=RecordKind.AGENDA)
    version = RecordVersionFactory(record=record, uploaded_by=alice)
    return Asked("GET", f"/api/v1/record-versions/{version.pk}/download/")


def task_report(meeting, alice) -> Asked:
    """A progress report with an evidence file, on a task assigned to alice's office."""
    task = own_task(meeting)
    body = {"kind": "progress", "percent": 20,
            "files": [SimpleUploadedFile("Báo cáo.pdf", PDF)]}  # fmt: skip
    return Asked("POST", f"/api/v1/tasks/{task.pk}/reports/", body, "multipart")


def notice_sign(meeting, alice) -> Asked:
    """The session's approved conclusion notice, signed (by the test CA's signer) and then
    stored: the fault is met on storing."""
    ConclusionNotice.objects.create(
        meeting=meeting, state=NoticeState.APPROVED, due_on=timezone.localdate(), drafted_by=alice
    )
    return Asked("POST", f"/api/v1/meetings/{meeting.pk}/conclusions/sign/")


S3_FAULTS = {
    ("POST", "/api/v1/meetings/{meeting_id}/recording-uploads/"): new_recording,
    ("POST", "/api/v1/meetings/{meeting_id}/records/"): new_document,
    ("GET", "/api/v1/recording-uploads/{id}/"): upload_asked(RecordKind.RECORDING, "GET"),
    ("DELETE", "/api/v1/recording-uploads/{id}/"): upload_asked(RecordKind.RECORDING, "DELETE"),
    ("POST", "/api/v1/recording-uploads/{id}/complete/"): upload_asked(
        RecordKind.RECORDING, "POST", "complete/"
    ),
    ("GET", "/api/v1/document-uploads/{id}/"): upload_asked(RecordKind.AGENDA, "GET"),
    ("DELETE", "/api/v1/document-uploads/{id}/"): upload_asked(RecordKind.AGENDA, "DELETE"),
    ("POST", "/api/v1/document-uploads/{id}/complete/"): upload_asked(
        RecordKind.AGENDA, "POST", "complete/"
    ),
    ("POST", "/api/v1/tasks/{task_id}/reports/"): task_report,
    ("POST", "/api/v1/meetings/{meeting_id}/conclusions/sign/"): notice_sign,
}
# A download in S3 mode is a presigned redirect, made without a word to the store: only
# local storage can fail it, and local disk has no timeout.
LOCAL_FAULTS = {("GET", "/api/v1/record-versions/{id}/download/"): download}


@pytest.fixture(autouse=True)
def office_signer(request):
    """The office can sign (the test CA's PKCS#12 signer), so a sign meets the store."""
    request.getfixturevalue("signing")


@pytest.fixture
def meeting(alice):
    return session(alice)


def ask(api, asked: Asked):
    if asked.body is None:
        return api.generic(asked.method, asked.path)
    send = getattr(api, asked.method.lower())
    return send(asked.path, asked.body, format=asked.format)


def answer(response) -> tuple[int, str]:
    assert response["Content-Type"] == CONTENT_TYPE
    return response.status_code, response.json()["code"]


def documented() -> dict[tuple[str, str], frozenset[int]]:
    return {(o.method, o.path): o.documented for o in operations()}


@pytest.mark.parametrize("operation", sorted(S3_FAULTS), ids=" ".join)
def test_s3_refusing_connections_is_503(operation, meeting, alice, api_as, settings):
    asked = S3_FAULTS[operation](meeting, alice)
    (closed,) = free_ports(1)
    point_s3_at(settings, closed)

    response = ask(api_as(alice), asked)

    assert answer(response) == UNAVAILABLE
    assert 503 in documented()[operation]


@pytest.mark.parametrize("operation", sorted(S3_FAULTS), ids=" ".join)
def test_s3_never_answering_is_504(operation, meeting, alice, api_as, settings, silent_port):
    asked = S3_FAULTS[operation](meeting, alice)
    point_s3_at(settings, silent_port)

    response = ask(api_as(alice), asked)

    assert answer(response) == TIMED_OUT
    assert 504 in documented()[operation]


@pytest.mark.parametrize("operation", sorted(LOCAL_FAULTS), ids=" ".join)
def test_local_storage_that_cannot_be_read_is_503(
    operation, meeting, alice, api_as, settings, tmp_path
):
    asked = LOCAL_FAULTS[operation](meeting, alice)
    blocking_file = tmp_path / "not-a-directory"
    blocking_file.write_bytes(b"")
    local_storage(settings, blocking_file)  # records under not-a-directory/media/

    response = ask(api_as(alice), asked)

    assert answer(response) == UNAVAILABLE
    assert 503 in documented()[operation]


def test_every_operation_documenting_a_storage_fault_is_asked_for_it():
    asked_503 = set(S3_FAULTS) | set(LOCAL_FAULTS)

    documents_503 = {key for key, statuses in documented().items() if 503 in statuses}
    documents_504 = {key for key, statuses in documented().items() if 504 in statuses}

    assert documents_503 == asked_503
    assert documents_504 == set(S3_FAULTS)
