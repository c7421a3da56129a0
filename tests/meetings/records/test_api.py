"""Records over the JSON API: list, upload (multipart), download, the minutes workflow,
legal hold; errors with stable codes; the schema still generates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.roles import Role
from meetings.models import Classification
from meetings.records.models import RecordKind, RecordVersion
from tests.factories import (
    RecordFactory,
    RecordVersionFactory,
    UserFactory,
    end_now,
    stored_version,
)
from tests.fixtures.services import free_ports
from tests.meetings.records.helpers import DOCX, EXE, PDF, local_storage, session
from tests.problems import code_detail, field_errors

RECORD_PATHS = [
    "/api/v1/meetings/{meeting_id}/records/",
    "/api/v1/record-versions/{id}/",
    "/api/v1/record-versions/{id}/download/",
    "/api/v1/record-versions/{id}/submit/",
    "/api/v1/record-versions/{id}/approve/",
    "/api/v1/record-versions/{id}/return/",
    "/api/v1/records/{id}/legal-hold/",
    "/api/v1/meetings/{meeting_id}/document-uploads/",
    "/api/v1/document-uploads/{id}/",
    "/api/v1/document-uploads/{id}/sign/",
    "/api/v1/document-uploads/{id}/parts/{number}/",
    "/api/v1/document-uploads/{id}/complete/",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def meeting(alice, bob, carol):
    return session(alice, attendees=[carol], technicians=[bob])


def records_url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.pk}/records/"


def version_url(version, action: str = "") -> str:
    return f"/api/v1/record-versions/{version.pk}/" + (f"{action}/" if action else "")


def minutes(meeting, user, status="draft", record=None):
    record = record or RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title="Biên bản")
    return RecordVersionFactory(record=record, status=status, uploaded_by=user)


def upload(api, meeting, content=PDF, name="Biên bản họp.pdf", **data):
    return api.post(
        records_url(meeting),
        {"kind": "minutes", "title": "Biên bản phiên họp", **data,
         "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )  # fmt: skip


# --- list ----------------------------------------------------------------------------------------


def test_the_secretariat_lists_every_version(meeting, alice, api_as):
    published = minutes(meeting, alice, "published")
    draft = minutes(meeting, alice, "draft", record=published.record)

    response = api_as(alice).get(records_url(meeting))

    assert response.status_code == 200
    (item,) = response.json()
    assert (item["kind"], item["title"], item["legal_hold"]) == ("minutes", "Biên bản", False)
    assert [v["id"] for v in item["versions"]] == [draft.pk, published.pk]
    assert item["versions"][0]["download_url"] == version_url(draft, "download")


def test_an_attendee_lists_the_published_version_only(meeting, alice, carol, api_as):
    published = minutes(meeting, alice, "published")
    minutes(meeting, alice, "draft", record=published.record)

    response = api_as(carol).get(records_url(meeting))

    assert [[v["id"] for v in item["versions"]] for item in response.json()] == [[published.pk]]


def test_an_outsider_gets_404(meeting, api_as):
    erin = UserFactory(username="erin", roles=[Role.ATTENDEE])

    assert api_as(erin).get(records_url(meeting)).status_code == 404


def test_a_user_without_a_role_gets_403(meeting, mallory, api_as):
    assert api_as(mallory).get(records_url(meeting)).status_code == 403


def test_anonymous_gets_401(meeting, api):
    assert api.get(records_url(meeting)).status_code == 401


# --- upload --------------------------------------------------------------------------------------


def test_the_secretariat_uploads_minutes_as_a_draft(meeting, alice, api_as):
    response = upload(api_as(alice), meeting, DOCX, "Biên bản.docx")

    body = response.json()
    version = RecordVersion.objects.get()
    assert response.status_code == 201
    assert (body["id"], body["number"], body["status"], body["original_name"]) == (
        version.pk,
        1,
        "draft",
        "Biên bản.docx",
    )
    assert body["content_type"].endswith("wordprocessingml.document")
    assert len(body["sha256"]) == 64


def test_a_new_version_needs_a_reason_after_publication(meeting, alice, api_as):
    published = minutes(meeting, alice, "published")

    response = upload(api_as(alice), meeting, record=published.record.pk)

    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert field_errors(response) == {
        "reason": ["The record is published: a correction needs a reason."]
    }


def test_a_correction_with_a_reason_is_version_two(meeting, alice, api_as):
    published = minutes(meeting, alice, "published")

    response = upload(api_as(alice), meeting, record=published.record.pk, reason="Sai ngày")

    assert (response.status_code, response.json()["number"]) == (201, 2)


@pytest.mark.parametrize(
    ("content", "code"),
    [(EXE, "unsupported_type"), (b"", "empty_file")],
)
def test_a_bad_file_is_refused_with_a_code(meeting, alice, api_as, content, code):
    response = upload(api_as(alice), meeting, content, "Biên bản.pdf")

    assert response.status_code == 400
    assert RecordVersion.objects.count() == 0
    assert response.json()["code"] == code
    assert list(field_errors(response)) == ["file"]


def test_an_oversized_file_is_refused(meeting, alice, api_as, settings):
    settings.RECORDS_MAX_DOCUMENT_BYTES = 10

    response = upload(api_as(alice), meeting)

    assert (response.status_code, response.json()["code"]) == (400, "too_large")


def test_an_attendee_may_not_upload(meeting, carol, api_as):
    assert upload(api_as(carol), meeting).status_code == 403


def test_storage_down_is_503_with_a_code(meeting, alice, api_as, settings, seaweedfs):
    (port,) = free_ports(1)
    settings.STORAGES = seaweedfs.storages_setting(
        settings.STORAGES, endpoint_url=f"http://127.0.0.1:{port}"
    )

    response = upload(api_as(alice), meeting)

    assert (response.status_code, response.json()["code"]) == (503, "storage_unavailable")
    assert RecordVersion.objects.count() == 0


# --- download ------------------------------------------------------------------------------------


def test_download_streams_the_file(meeting, alice, carol, api_as):
    version = stored_version(
        PDF, record=RecordFactory(meeting=meeting), uploaded_by=alice, status="available"
    )

    response = api_as(carol).get(version_url(version, "download"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_download_of_a_draft_by_an_attendee_is_404(meeting, alice, carol, api_as):
    version = minutes(meeting, alice, "draft")

    assert api_as(carol).get(version_url(version, "download")).status_code == 404


def test_a_confidential_record_is_404_for_a_colleague_not_invited(alice, api_as):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    meeting = session(alice, Classification.CONFIDENTIAL)
    version = minutes(meeting, alice, "published")

    assert api_as(dung).get(version_url(version, "download")).status_code == 404
    assert api_as(dung).get(version_url(version)).status_code == 404


# --- workflow and hold ---------------------------------------------------------------------------


def test_minutes_are_submitted_approved_over_the_api(meeting, alice, api_as):
    end_now(meeting)
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    draft = minutes(meeting, alice)

    submitted = api_as(alice).post(version_url(draft, "submit"))
    approved = api_as(dung).post(version_url(draft, "approve"))

    assert (submitted.json()["status"], approved.json()["status"]) == ("submitted", "published")
    assert approved.json()["published_at"] is not None
    assert (approved.json()["submitted_by"], approved.json()["reviewed_by"]) == ("alice", "dung")
    assert approved.json()["submitted_at"] is not None


def test_approving_what_you_submitted_is_400_same_person(meeting, alice, api_as):
    end_now(meeting)
    draft = minutes(meeting, alice)
    api = api_as(alice)
    api.post(version_url(draft, "submit"))

    response = api.post(version_url(draft, "approve"))

    assert response.status_code == 400
    assert response.json()["code"] == "same_person"


def test_approving_before_the_session_has_ended_is_409_not_ended(meeting, alice, api_as):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    draft = minutes(meeting, alice)
    api_as(alice).post(version_url(draft, "submit"))

    response = api_as(dung).post(version_url(draft, "approve"))

    assert (response.status_code, response.json()["code"]) == (409, "not_ended")


def test_minutes_are_returned_with_a_comment(meeting, alice, api_as):
    submitted = minutes(meeting, alice, "submitted")

    response = api_as(alice).post(version_url(submitted, "return"), {"comment": "Sửa mục 2"})

    assert (response.json()["status"], response.json()["review_comment"]) == (
        "returned",
        "Sửa mục 2",
    )


def test_returning_needs_a_comment(meeting, alice, api_as):
    submitted = minutes(meeting, alice, "submitted")

    response = api_as(alice).post(version_url(submitted, "return"), {})

    assert response.status_code == 400
    assert list(field_errors(response)) == ["comment"]


def test_a_step_out_of_order_is_409_wrong_state(meeting, alice, api_as):
    draft = minutes(meeting, alice)

    response = api_as(alice).post(version_url(draft, "approve"))

    assert code_detail(response) == (
        409,
        "wrong_state",
        "This version is Draft: that cannot be done now.",
    )


def test_approving_twice_is_409_wrong_state(meeting, alice, api_as):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    end_now(meeting)
    submitted = minutes(meeting, alice, "submitted")
    api_as(dung).post(version_url(submitted, "approve"))

    response = api_as(dung).post(version_url(submitted, "approve"))

    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")


def test_submitting_twice_is_409_wrong_state(meeting, alice, api_as):
    draft = minutes(meeting, alice)
    api_as(alice).post(version_url(draft, "submit"))

    response = api_as(alice).post(version_url(draft, "submit"))

    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")


def test_an_attendee_may_not_approve(meeting, alice, carol, api_as):
    submitted = minutes(meeting, alice, "submitted")

    assert api_as(carol).post(version_url(submitted, "approve")).status_code == 403


def test_legal_hold_over_the_api(meeting, alice, api_as):
    record = minutes(meeting, alice).record

    response = api_as(alice).post(f"/api/v1/records/{record.pk}/legal-hold/", {"legal_hold": True})

    record.refresh_from_db()
    assert (response.status_code, response.json(), record.legal_hold) == (
        200,
        {"legal_hold": True},
        True,
    )


# --- schema --------------------------------------------------------------------------------------


def test_the_schema_documents_the_records_paths(api_as, carol):
    schema = api_as(carol).get("/api/v1/schema/", {"format": "json"}).json()

    assert sorted(set(RECORD_PATHS) - set(schema["paths"])) == []
    upload = schema["paths"]["/api/v1/meetings/{meeting_id}/records/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]


def test_the_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.stat().st_size > 0
