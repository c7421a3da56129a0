"""Every PDF stored as a record version has its signatures checked (issue 18): the report
on the version, a badge on the record page, `signature` in the API."""

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from meetings.records.models import RecordVersion
from meetings.records.signature_checks import check_signature, check_signature_task
from signatures.signing import sign_pdf
from tests.meetings.records.helpers import (
    DOCX,
    local_storage,
    pdf_version,
    run_records_worker,
    session,
)
from tests.signatures.fixtures import use_pkcs12
from tests.signatures.pdfs import append_page_change, tiny_pdf


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def meeting(alice, carol):
    return session(alice, attendees=[carol])


def signed_pdf() -> bytes:
    return sign_pdf(tiny_pdf(), reason="Ban hành", location="Hà Nội", signer_lines=[])


def upload(api, meeting, content: bytes, name: str = "Thông báo.pdf"):
    return api.post(
        f"/api/v1/meetings/{meeting.pk}/records/",
        {"kind": "agenda", "title": "Tài liệu họp", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def version_json(api, version) -> dict:
    return api.get(f"/api/v1/record-versions/{version.pk}/").json()


def page(client, meeting) -> str:
    url = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
    return client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_signed_pdf_is_checked_by_the_worker(meeting, alice, api_as, signing):
    response = upload(api_as(alice), meeting, signed_pdf())
    run_records_worker()

    version = RecordVersion.objects.get(pk=response.json()["id"])
    assert response.status_code == 201
    assert version.signature["status"] == "valid"
    assert version.signature["signatures"][0]["signer_name"] == "Nguyễn Văn A"
    assert AuditEntry.objects.filter(action="record.signature_checked").count() == 1


def test_a_valid_signature_shows_on_the_page_and_in_the_api(
    meeting, alice, api_as, client_as, signing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api_as(alice), meeting, signed_pdf())
    version = RecordVersion.objects.get(pk=response.json()["id"])
    assert DBTaskResult.objects.filter(task_path=check_signature_task.module_path).count() == 1

    check_signature(version)

    body = version_json(api_as(alice), version)
    signature = body["signature"]
    assert (signature["status"], signature["reason"]) == ("valid", "")
    assert signature["signatures"][0]["signer_name"] == "Nguyễn Văn A"
    assert signature["signatures"][0]["organisation"] == "Văn phòng Chính phủ"
    assert signature["signatures"][0]["intact"] is True
    signed_at = timezone.localtime(datetime.fromisoformat(signature["signatures"][0]["signed_at"]))
    expected = f"Chữ ký hợp lệ — Nguyễn Văn A, {signed_at:%d/%m/%Y %H:%M}"
    assert expected in page(client_as(alice), meeting)


def test_a_pdf_changed_after_signing_shows_modified(meeting, alice, api_as, client_as, signing):
    version = pdf_version(meeting, alice, append_page_change(signed_pdf()))

    report = check_signature(version)

    assert (report.status, report.reason) == ("invalid", "modified")
    assert version_json(api_as(alice), version)["signature"]["status"] == "invalid"
    assert "Tài liệu đã bị sửa sau khi ký" in page(client_as(alice), meeting)


def test_a_pdf_signed_by_an_untrusted_ca_shows_untrusted(
    meeting, alice, client_as, settings, stranger, trusted
):
    use_pkcs12(settings, stranger)
    version = pdf_version(meeting, alice, signed_pdf())

    report = check_signature(version)

    assert report.status == "untrusted"
    assert "Chữ ký không được tin cậy" in page(client_as(alice), meeting)


def test_an_unsigned_pdf_shows_no_badge(meeting, alice, api_as, client_as):
    version = pdf_version(meeting, alice, tiny_pdf())

    check_signature(version)

    assert version_json(api_as(alice), version)["signature"]["status"] == "unsigned"
    assert f'id="signature-{version.pk}"' not in page(client_as(alice), meeting)


def test_another_type_of_file_is_not_checked(
    meeting, alice, api_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api_as(alice), meeting, DOCX, "Tài liệu.docx")

    assert response.json()["signature"] is None
    assert not DBTaskResult.objects.filter(task_path=check_signature_task.module_path).exists()


def test_a_pdf_over_the_limit_is_not_read(meeting, alice, settings):
    settings.SIGNATURE_VALIDATION_MAX_BYTES = 10
    version = pdf_version(meeting, alice, tiny_pdf())

    report = check_signature(version)

    assert (report.status, report.reason) == ("invalid", "too_large")


def test_check_signatures_command_checks_what_was_never_checked(meeting, alice, signing):
    checked = pdf_version(meeting, alice, tiny_pdf())
    check_signature(checked)
    never = pdf_version(meeting, alice, signed_pdf())
    out = io.StringIO()

    call_command("check_signatures", stdout=out)

    never.refresh_from_db()
    assert never.signature["status"] == "valid"
    assert out.getvalue().splitlines() == [f"phiên bản {never.pk}: valid ", "Đã kiểm tra: valid 1"]


def test_check_signatures_all_checks_again_with_new_trust_roots(meeting, alice, settings, signing):
    version = pdf_version(meeting, alice, signed_pdf())
    check_signature(version)
    settings.SIGNATURE_TRUST_ROOTS = ""

    call_command("check_signatures", "--all", stdout=io.StringIO())

    version.refresh_from_db()
    assert version.signature["status"] == "untrusted"
