"""Refusals the records API answers for the state of what is asked, over the API: parts or
an abort for an upload already completed (409 wrong_state), a sign request that is not
valid (400), returning a draft (409 wrong_state)."""

import hashlib

import pytest

from meetings.records.models import RecordKind
from tests.factories import RecordFactory, RecordVersionFactory
from tests.meetings.records.helpers import PDF, local_storage, session
from tests.problems import members

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 32


@pytest.fixture(autouse=True)
def app_mode(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)


@pytest.fixture
def meeting(alice):
    return session(alice)


def completed_upload(api, meeting, collection: str, body: dict, content: bytes) -> str:
    """The URL of an upload whose one part was sent and which was completed (202)."""
    created = api.post(f"/api/v1/meetings/{meeting.pk}/{collection}/", body, format="json")
    url = created["Location"]
    sent = api.put(f"{url}parts/1/", content, content_type="application/octet-stream")
    done = api.post(f"{url}complete/", {"parts": [{"number": 1, "etag": sent.json()["etag"]}]})
    assert (created.status_code, sent.status_code, done.status_code) == (201, 200, 202)
    assert sent.json()["etag"] == hashlib.md5(content, usedforsecurity=False).hexdigest()
    return url


def a_completed_document(api, meeting) -> str:
    body = {"kind": RecordKind.AGENDA, "title": "Tài liệu", "file_name": "Tài liệu.pdf",
            "size": len(PDF), "content_type": "application/pdf"}  # fmt: skip
    return completed_upload(api, meeting, "document-uploads", body, PDF)


def a_completed_recording(api, meeting) -> str:
    body = {"title": "Ghi hình", "file_name": "ghi-hình.mp4", "size": len(MP4),
            "content_type": "video/mp4"}  # fmt: skip
    return completed_upload(api, meeting, "recording-uploads", body, MP4)


@pytest.mark.parametrize(
    ("completed", "content"), [(a_completed_document, PDF), (a_completed_recording, MP4)]
)
def test_a_part_sent_to_a_completed_upload_is_409(api_as, alice, meeting, completed, content):
    api = api_as(alice)
    url = completed(api, meeting)

    response = api.put(f"{url}parts/1/", content, content_type="application/octet-stream")

    assert (response.status_code, members(response)["code"]) == (409, "wrong_state")


def test_aborting_a_completed_document_upload_is_409(api_as, alice, meeting):
    api = api_as(alice)
    url = a_completed_document(api, meeting)

    response = api.delete(url)

    assert (response.status_code, members(response)["code"]) == (409, "wrong_state")


def test_signing_a_part_a_document_does_not_have_is_400(api_as, alice, meeting):
    api = api_as(alice)
    created = api.post(
        f"/api/v1/meetings/{meeting.pk}/document-uploads/",
        {"kind": RecordKind.AGENDA, "title": "Tài liệu", "file_name": "Tài liệu.pdf",
         "size": len(PDF), "content_type": "application/pdf"},
        format="json",
    )  # fmt: skip

    response = api.post(f"{created['Location']}sign/", {"parts": [2]}, format="json")

    assert (response.status_code, members(response)["code"]) == (400, "invalid")
    assert [error["field"] for error in response.json()["errors"]] == ["parts.0"]


def test_returning_a_draft_is_409(api_as, alice, meeting):
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES)
    draft = RecordVersionFactory(record=record, status="draft", uploaded_by=alice)

    response = api_as(alice).post(
        f"/api/v1/record-versions/{draft.pk}/return/", {"comment": "Sửa mục 2"}, format="json"
    )

    assert (response.status_code, members(response)["code"]) == (409, "wrong_state")
