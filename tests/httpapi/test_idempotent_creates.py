"""Every POST that creates honours Idempotency-Key (the retry gets the first answer and
nothing is made twice) and answers Location, the path of what it made."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from httpapi.models import IdempotencyRecord
from meetings.records.models import RecordingUpload, RecordKind, RecordVersion
from people.models import ApiToken, PeopleImportJob
from tests.meetings.records.helpers import PDF, local_storage, session
from tests.people.conftest import csv_of

MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


@pytest.fixture
def app_mode(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)


def twice(api, url: str, body, format: str = "json"):
    """The same POST sent twice with one key; both answers."""

    def send():
        payload = body() if callable(body) else body
        return api.post(url, payload, format=format, HTTP_IDEMPOTENCY_KEY="create-1")

    return send(), send()


def assert_replayed(first, again) -> None:
    assert first.status_code in (201, 202)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.count() == 1


def test_a_document_upload_to_the_records(api_as, alice, app_mode):
    meeting = session(alice)

    def body():
        upload = SimpleUploadedFile("Biên bản.pdf", PDF)
        return {"kind": "minutes", "title": "Biên bản", "file": upload}

    first, again = twice(
        api_as(alice), f"/api/v1/meetings/{meeting.pk}/records/", body, format="multipart"
    )

    assert_replayed(first, again)
    version = RecordVersion.objects.get()
    assert first["Location"] == f"/api/v1/record-versions/{version.pk}/"


def test_another_file_with_the_key_is_422(api_as, alice, app_mode):
    meeting = session(alice)
    url = f"/api/v1/meetings/{meeting.pk}/records/"
    api = api_as(alice)

    def send(content: bytes):
        upload = SimpleUploadedFile("Biên bản.pdf", content)
        body = {"kind": "minutes", "title": "Biên bản", "file": upload}
        return api.post(url, body, format="multipart", HTTP_IDEMPOTENCY_KEY="create-1")

    assert send(PDF).status_code == 201
    assert send(PDF + b"\n%changed").status_code == 422
    assert RecordVersion.objects.count() == 1


def test_a_recording_upload(api_as, alice, app_mode):
    meeting = session(alice)
    body = {
        "title": "Ghi hình",
        "file_name": "ghi-hình.mp4",
        "size": 9 * 1024 * 1024,
        "content_type": "video/mp4",
    }

    first, again = twice(api_as(alice), f"/api/v1/meetings/{meeting.pk}/recording-uploads/", body)

    assert_replayed(first, again)
    upload = RecordingUpload.objects.get()
    assert first["Location"] == f"/api/v1/recording-uploads/{upload.pk}/"


def test_a_document_upload_session(api_as, alice, app_mode):
    meeting = session(alice)
    body = {
        "kind": RecordKind.AGENDA,
        "title": "Tài liệu họp",
        "file_name": "Tài liệu.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
    }

    first, again = twice(api_as(alice), f"/api/v1/meetings/{meeting.pk}/document-uploads/", body)

    assert_replayed(first, again)
    upload = RecordingUpload.objects.get()
    assert first["Location"] == f"/api/v1/document-uploads/{upload.pk}/"


def test_a_people_import(api_as, hana):
    def body():
        upload = io.BytesIO(csv_of("Nguyễn Thị Lan,lan@hanoi.gov.vn,,lan,,,").encode())
        upload.name = "people.csv"
        return {"file": upload}

    first, again = twice(api_as(hana), "/api/v1/people/imports/", body, format="multipart")

    assert_replayed(first, again)
    job = PeopleImportJob.objects.get()
    assert first.status_code == 202
    assert first["Location"] == f"/api/v1/people/imports/{job.pk}/"


def test_a_token_and_its_secret_go_back_to_the_same_person(api_as, alice):
    first, again = twice(api_as(alice), "/api/v1/tokens/", {"name": "Tích hợp", "scope": "read"})

    assert_replayed(first, again)
    token = ApiToken.objects.get()
    assert first["Location"] == f"/api/v1/tokens/{token.pk}/"
    assert again.json()["token"] == first.json()["token"]
