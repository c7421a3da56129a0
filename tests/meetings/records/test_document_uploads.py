"""Document uploads the way recordings travel (issue #11, defect 2): S3 mode with one
presigned PUT bounded in size and type, against the real SeaweedFS; app mode on local
disk with parts through the application. The document becomes a version only once the
task worker verified it (SHA-256, type from the bytes)."""

import hashlib
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from audit.models import AuditEntry
from meetings.records import storage
from meetings.records.document_uploads import verify_document_upload, verify_document_upload_task
from meetings.records.documents import DOCX as DOCX_TYPE
from meetings.records.documents import ODT as ODT_TYPE
from meetings.records.models import (
    RecordingUpload,
    RecordKind,
    RecordStatus,
    RecordVersion,
    UploadStatus,
)
from meetings.records.tasks import resume_stalled_verifications
from meetings.records.upload_cleanup import abort_abandoned
from meetings.records.upload_parts import parts_dir
from tests.factories import UserFactory, end_now
from tests.meetings.records.helpers import (
    DOCX,
    EXE,
    ODT,
    PDF,
    ZIP,
    local_storage,
    run_records_worker,
    s3_storage,
    session,
)
from tests.problems import field_errors

MiB = 1024 * 1024
PART = 8 * MiB


def pdf(size: int) -> bytes:
    return PDF + b"%" * (size - len(PDF))


@pytest.fixture(params=["s3", "app"])
def mode(request, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    if request.param == "s3":
        s3_storage(settings, request.getfixturevalue("seaweedfs"))
    else:
        local_storage(settings, tmp_path)
    return request.param


@pytest.fixture
def app_mode(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)


@pytest.fixture
def s3_mode(settings, seaweedfs, tmp_path):
    settings.VAR_DIR = tmp_path
    s3_storage(settings, seaweedfs)


@pytest.fixture
def meeting(alice):
    return session(alice)


@pytest.fixture
def lan(db):
    return UserFactory(username="lan", full_name="Lan", roles=[Role.SECRETARIAT])


def create(api, meeting, payload: bytes = PDF, **fields):
    body = {
        "kind": RecordKind.AGENDA,
        "title": "Tài liệu họp",
        "file_name": "Tài liệu.pdf",
        "size": len(payload),
        "content_type": "application/pdf",
        **fields,
    }
    return api.post(
        reverse("meetings-api:document-uploads", kwargs={"meeting_id": meeting.pk}),
        body,
        format="json",
    )


def url(upload: dict, suffix: str = "") -> str:
    return reverse("meetings-api:document-upload", kwargs={"pk": upload["id"]}) + suffix


def http_put(target: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(target, data=data, method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("ETag", "").strip('"')
    except urllib.error.HTTPError as error:
        with error:
            return error.code, ""


def send(api, upload: dict, payload: bytes) -> dict[int, str]:
    """What the page does: one signed PUT (S3) or the parts to the app; {number: etag}."""
    if upload["mode"] == "s3":
        signed = api.post(url(upload, "sign/"), {}, format="json").json()
        status, etag = http_put(signed["urls"]["1"], payload, signed["headers"])
        assert status == 200
        return {1: etag}
    etags = {}
    for number in range(1, upload["part_count"] + 1):
        start = (number - 1) * upload["part_size"]
        response = api.put(
            url(upload, f"parts/{number}/"),
            payload[start : start + upload["part_size"]],
            content_type="application/octet-stream",
        )
        assert response.status_code == 200, response.content
        etags[number] = response.json()["etag"]
    return etags


def complete(api, upload: dict, etags: dict[int, str]):
    parts = [{"number": n, "etag": etag} for n, etag in sorted(etags.items())]
    return api.post(url(upload, "complete/"), {"parts": parts}, format="json")


def uploaded(api, meeting, payload: bytes = PDF, **fields) -> dict:
    """Create, send and complete: the upload as complete/ answered it."""
    upload = create(api, meeting, payload, **fields).json()
    completed = complete(api, upload, send(api, upload, payload))
    assert completed.status_code == 202, completed.content
    return completed.json()


def verify(upload: dict) -> RecordingUpload:
    return verify_document_upload(RecordingUpload.objects.get(pk=upload["id"]))


# -- The happy path ------------------------------------------------------------------------------


def test_document_upload_becomes_a_version_only_once_verified(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = pdf(PART + 1000)

    created = create(api, meeting, payload).json()
    completed = complete(api, created, send(api, created, payload)).json()
    before = RecordVersion.objects.count()
    verify(completed)
    done = api.get(url(completed)).json()

    expected_parts = (len(payload), 1) if mode == "s3" else (PART, 2)
    assert (created["mode"], created["part_size"], created["part_count"]) == (
        mode,
        *expected_parts,
    )
    assert (completed["status"], completed["record_version"], before) == ("verifying", None, 0)
    assert done["status"] == "completed"
    version = RecordVersion.objects.get()
    assert done["record_version"]["id"] == version.pk
    assert (version.status, version.size, version.sha256, version.content_type) == (
        RecordStatus.AVAILABLE,
        len(payload),
        hashlib.sha256(payload).hexdigest(),
        "application/pdf",
    )
    assert (version.record.kind, version.record.title, version.original_name) == (
        RecordKind.AGENDA,
        "Tài liệu họp",
        "Tài liệu.pdf",
    )
    assert b"".join(storage.open_chunks(version.key)) == payload
    assert not parts_dir(RecordingUpload.objects.get()).exists()


@pytest.mark.parametrize(
    ("payload", "name", "declared", "sniffed"),
    [
        (DOCX, "Biên bản.docx", DOCX_TYPE, DOCX_TYPE),
        (ODT, "Báo cáo.odt", "", ODT_TYPE),
    ],
)
def test_document_upload_office_types_are_sniffed_from_their_zip(
    api_as, alice, meeting, mode, payload, name, declared, sniffed
):
    upload = uploaded(api_as(alice), meeting, payload, file_name=name, content_type=declared)

    verify(upload)

    assert RecordVersion.objects.get().content_type == sniffed


def test_document_upload_minutes_go_through_approval(api_as, alice, meeting, mode):
    api = api_as(alice)
    upload = uploaded(api, meeting, kind=RecordKind.MINUTES, title="Biên bản")
    verify(upload)
    version = RecordVersion.objects.get()
    end_now(meeting)
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])

    submitted = api.post(reverse("meetings-api:record-version-submit", kwargs={"pk": version.pk}))
    approved = api_as(dung).post(
        reverse("meetings-api:record-version-approve", kwargs={"pk": version.pk})
    )

    assert (submitted.json()["status"], approved.json()["status"]) == ("submitted", "published")


def test_document_upload_a_new_version_of_a_record(api_as, alice, meeting, mode):
    api = api_as(alice)
    first = uploaded(api, meeting)
    record = verify(first).record_id

    second = uploaded(api, meeting, record=record, title="", kind="")
    verify(second)

    numbers = RecordVersion.objects.filter(record=record).order_by("number")
    assert list(numbers.values_list("number", flat=True)) == [1, 2]


# -- Verification refuses: no version, no object --------------------------------------------------


def test_document_upload_failing_verification_leaves_no_version_and_no_object(
    api_as, alice, meeting, mode
):
    api = api_as(alice)
    upload = uploaded(api, meeting, ZIP, file_name="Biên bản.docx", content_type="")
    key = RecordingUpload.objects.get().key

    verify(upload)
    answer = api.get(url(upload)).json()

    assert (answer["status"], answer["failure"]) == (
        "failed",
        "This file is not a PDF, DOCX, ODT, XLSX, PNG or JPEG document.",
    )
    assert (RecordVersion.objects.count(), storage.exists(key)) == (0, False)
    assert AuditEntry.objects.filter(action="record.failed").count() == 1


def test_document_upload_a_program_is_refused_at_completion(api_as, alice, meeting, mode):
    api = api_as(alice)
    upload = create(api, meeting, EXE, file_name="giấy mời.pdf").json()

    response = complete(api, upload, send(api, upload, EXE))

    assert (response.status_code, response.json()["code"]) == (400, "unsupported_type")
    stored = RecordingUpload.objects.get()
    assert (stored.status, RecordVersion.objects.count()) == (UploadStatus.FAILED, 0)
    assert storage.exists(stored.key) is False


def test_document_upload_retry_after_completion_makes_no_second_version(
    api_as, alice, meeting, mode
):
    api = api_as(alice)
    upload = create(api, meeting).json()
    etags = send(api, upload, PDF)
    complete(api, upload, etags)
    verify(upload)

    again = complete(api, upload, etags)
    verify(upload)

    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")
    assert RecordVersion.objects.count() == 1


def test_document_upload_completing_while_verifying_is_refused(api_as, alice, meeting, mode):
    api = api_as(alice)
    upload = create(api, meeting).json()
    etags = send(api, upload, PDF)
    complete(api, upload, etags)

    again = complete(api, upload, etags)

    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")
    assert RecordingUpload.objects.get().status == UploadStatus.VERIFYING


# -- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"size": 0}, "empty_file"),
        ({"size": 100 * MiB + 1}, "too_large"),
        ({"file_name": "setup.exe", "content_type": ""}, "unsupported_type"),
        ({"file_name": "giấy mời.pdf", "content_type": "text/html"}, "unsupported_type"),
        ({"file_name": "ghi hình.mp4", "content_type": "video/mp4"}, "unsupported_type"),
        ({"kind": ""}, "wrong_kind"),
        ({"title": " "}, "title_required"),
    ],
)
def test_document_upload_create_refuses(api_as, alice, meeting, mode, fields, code):
    response = create(api_as(alice), meeting, **fields)

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert RecordingUpload.objects.count() == 0


def test_document_upload_create_refuses_a_recording_kind(api_as, alice, meeting, app_mode):
    response = create(api_as(alice), meeting, kind="recording")

    assert (response.status_code, field_errors(response)) == (
        400,
        {"kind": ['"recording" is not a valid choice.']},
    )


def test_document_upload_create_honours_the_size_setting(
    api_as, alice, meeting, app_mode, settings
):
    settings.RECORDS_MAX_DOCUMENT_BYTES = 10 * MiB

    response = create(api_as(alice), meeting, size=10 * MiB + 1)

    assert (response.status_code, response.json()["code"]) == (400, "too_large")


def test_document_upload_parts_are_at_most_8_mib(api_as, alice, meeting, app_mode):
    upload = create(api_as(alice), meeting, size=100 * 1000 * 1000).json()

    assert (upload["part_size"], upload["part_count"]) == (PART, 12)


def test_document_upload_s3_a_larger_body_is_refused_by_the_store(api_as, alice, meeting, s3_mode):
    api = api_as(alice)
    upload = create(api, meeting).json()
    signed = api.post(url(upload, "sign/"), {}, format="json").json()

    bigger, _etag = http_put(signed["urls"]["1"], PDF + b"x" * 100, signed["headers"])
    html, _etag = http_put(signed["urls"]["1"], PDF, {"Content-Type": "text/html"})
    response = complete(api, upload, {1: "0" * 32})

    assert (bigger, html) == (403, 403)
    assert (response.status_code, response.json()["code"]) == (400, "part_missing")
    assert signed["headers"] == {"Content-Type": "application/pdf"}


def test_document_upload_s3_the_signed_url_cannot_replace_the_stored_document(
    api_as, alice, meeting, s3_mode
):
    api = api_as(alice)
    upload = create(api, meeting).json()
    signed = api.post(url(upload, "sign/"), {}, format="json").json()
    _status, etag = http_put(signed["urls"]["1"], PDF, signed["headers"])
    complete(api, upload, {1: etag})
    forged = PDF.replace(b"endobj", b"ENDOBJ")  # same size, same type, other bytes

    again, _etag = http_put(signed["urls"]["1"], forged, signed["headers"])
    verify(upload)

    version = RecordVersion.objects.get()
    assert again == 200  # the store took it: the URL was still valid
    assert b"".join(storage.open_chunks(version.key)) == PDF
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()


def test_document_upload_s3_a_late_put_leaves_no_object_after_the_sweep(
    api_as, alice, meeting, s3_mode
):
    api = api_as(alice)
    upload = create(api, meeting).json()
    signed = api.post(url(upload, "sign/"), {}, format="json").json()
    _status, etag = http_put(signed["urls"]["1"], PDF, signed["headers"])
    complete(api, upload, {1: etag})
    verify(upload)
    http_put(signed["urls"]["1"], PDF, signed["headers"])  # the URL is still valid
    presigned_key = RecordingUpload.objects.get().key
    aged(upload, 25)

    abort_abandoned()

    version = RecordVersion.objects.get()
    assert (storage.exists(presigned_key), storage.exists(version.key)) == (
        False,
        True,
    )


def test_document_upload_s3_a_wrong_etag_is_refused(api_as, alice, meeting, s3_mode):
    api = api_as(alice)
    upload = create(api, meeting).json()
    send(api, upload, PDF)

    response = complete(api, upload, {1: hashlib.md5(b"other").hexdigest()})

    assert (response.status_code, response.json()["code"]) == (400, "wrong_etag")


def test_document_upload_app_mode_has_no_signed_url(api_as, alice, meeting, app_mode):
    api = api_as(alice)
    upload = create(api, meeting).json()

    response = api.post(url(upload, "sign/"), {}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "wrong_mode")


def test_document_upload_abort_leaves_nothing(api_as, alice, meeting, mode):
    api = api_as(alice)
    upload = create(api, meeting).json()
    send(api, upload, PDF)

    response = api.delete(url(upload))

    stored = RecordingUpload.objects.get()
    assert (response.status_code, stored.status) == (204, UploadStatus.ABORTED)
    assert (storage.exists(stored.key), parts_dir(stored).exists()) == (False, False)


# -- Who may -------------------------------------------------------------------------------------


def test_document_upload_someone_elses_is_not_found(api_as, alice, lan, meeting, app_mode):
    upload = create(api_as(alice), meeting).json()
    other = api_as(lan)

    answers = [
        other.get(url(upload)).status_code,
        other.put(
            url(upload, "parts/1/"), PDF, content_type="application/octet-stream"
        ).status_code,
        complete(other, upload, {1: "0" * 32}).status_code,
        other.delete(url(upload)).status_code,
    ]

    assert answers == [404] * 4


def test_document_upload_is_not_a_recording_upload(api_as, alice, meeting, app_mode):
    api = api_as(alice)
    upload = create(api, meeting).json()

    response = api.get(reverse("meetings-api:recording-upload", kwargs={"pk": upload["id"]}))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_document_upload_only_the_secretariat(api_as, request, meeting, app_mode, persona):
    response = create(api_as(request.getfixturevalue(persona)), meeting)

    assert response.status_code == 403


def test_document_upload_anonymous_gets_401(api, meeting, app_mode):
    assert create(api, meeting).status_code == 401


# -- The verification task, run by the real worker -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_document_upload_completion_enqueues_the_verification(api_as, mode):
    alice = UserFactory(username="alice", roles=[Role.SECRETARIAT])
    meeting = session(alice)
    api = api_as(alice)
    payload = pdf(3 * MiB)
    uploaded(api, meeting, payload)

    run_records_worker()

    version = RecordVersion.objects.get()
    assert (version.status, version.sha256) == (
        RecordStatus.AVAILABLE,
        hashlib.sha256(payload).hexdigest(),
    )
    assert RecordingUpload.objects.get().status == UploadStatus.COMPLETED


# -- The sweep ------------------------------------------------------------------------------------


def aged(upload: dict, hours: float) -> None:
    RecordingUpload.objects.filter(pk=upload["id"]).update(
        updated_at=timezone.now() - timedelta(hours=hours)
    )


def test_document_upload_stalled_verification_is_enqueued_again(api_as, alice, meeting, app_mode):
    upload = uploaded(api_as(alice), meeting)
    DBTaskResult.objects.all().delete()  # the task was lost with the task table
    aged(upload, 3)

    resumed = resume_stalled_verifications()

    waiting = DBTaskResult.objects.filter(
        task_path=verify_document_upload_task.module_path
    ).values_list("args_kwargs", flat=True)
    assert (resumed, [entry["args"][0] for entry in waiting]) == (1, [upload["id"]])


def test_document_upload_waiting_verification_is_not_enqueued_twice(
    api_as, alice, meeting, app_mode
):
    upload = uploaded(api_as(alice), meeting)
    verify_document_upload_task.enqueue(upload["id"])
    aged(upload, 3)

    assert resume_stalled_verifications() == 0


def test_document_upload_failed_sessions_are_deleted_by_the_sweep(api_as, alice, meeting, app_mode):
    upload = uploaded(api_as(alice), meeting, ZIP, file_name="a.docx", content_type="")
    verify(upload)
    aged(upload, 25)

    report = abort_abandoned()

    assert (report.sessions_deleted, RecordingUpload.objects.count()) == (1, 0)
