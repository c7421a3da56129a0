"""The signature page of a PDF record version (issue 18, "validated on display"): it
checks the stored file again each time, names every signature, and stores and audits a
verdict that differs from the stored one. The record page's badge links to it and does
not claim a verdict reached against trust roots the deployer has since replaced."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from meetings.records import storage as record_storage
from meetings.records.signature_checks import check_signature
from signatures.signing import sign_pdf
from tests.factories import RecordVersionFactory, UserFactory, stored_version
from tests.fixtures.services import free_ports
from tests.meetings.records.helpers import dead_s3_storage, local_storage, pdf_version, session
from tests.signatures.fixtures import use_pkcs12
from tests.signatures.pdfs import flip_byte_in_signed_range, tiny_pdf

PDF = "application/pdf"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def meeting(alice, carol):
    return session(alice, attendees=[carol])


def version_in_the_api(api, version) -> dict:
    return api.get(f"/api/v1/record-versions/{version.pk}/").json()


def signed_pdf() -> bytes:
    return sign_pdf(tiny_pdf(), reason="Ban hành", location="Hà Nội", signer_lines=[])


def signature_url(meeting, version_id: int) -> str:
    return reverse(
        "meetings:record-signature", kwargs={"meeting_id": meeting.pk, "version_id": version_id}
    )


def open_page(client, meeting, version_id: int):
    return client.get(signature_url(meeting, version_id))


def record_page(client, meeting) -> str:
    url = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
    return client.get(url).content.decode()


def checks_audited(version) -> int:
    return AuditEntry.objects.filter(
        action="record.signature_checked", target_id=str(version.pk)
    ).count()


def test_the_page_of_a_valid_signed_pdf_names_the_signer_and_the_time(
    meeting, alice, carol, client_as, signing
):
    version = pdf_version(meeting, alice, signed_pdf())
    report = check_signature(version)

    response = open_page(client_as(carol), meeting, version.pk)

    body = response.content.decode()
    when = f"{timezone.localtime(report.signer.signed_at):%d/%m/%Y %H:%M}"
    assert response.status_code == 200
    assert f"Chữ ký hợp lệ — Nguyễn Văn A, {when}" in body
    assert "Văn phòng Chính phủ" in body
    assert f"<td>{when}</td>" in body
    assert "Nguyên vẹn" in body
    assert "Chuỗi chứng thư đến một gốc tin cậy đã cấu hình" in body
    assert "Bao trùm toàn bộ tài liệu" in body
    assert checks_audited(version) == 1  # the same verdict again: nothing stored, no trace


def test_a_byte_flipped_after_the_check_shows_invalid_and_updates_the_report(
    meeting, alice, client_as, signing
):
    content = signed_pdf()
    version = pdf_version(meeting, alice, content)
    check_signature(version)
    record_storage.delete(version.key)
    record_storage.save_stream(version.key, [flip_byte_in_signed_range(content)], content_type=PDF)

    body = open_page(client_as(alice), meeting, version.pk).content.decode()

    version.refresh_from_db()
    assert "Chữ ký không hợp lệ" in body
    assert "Đã bị sửa sau khi ký: các byte được ký đã thay đổi" in body
    assert (version.signature["status"], version.signature["reason"]) == ("invalid", "broken")
    assert checks_audited(version) == 2
    assert f'id="signature-{version.pk}"' in record_page(client_as(alice), meeting)
    assert "Chữ ký không hợp lệ" in record_page(client_as(alice), meeting)


def test_a_file_over_the_display_bound_shows_the_check_made_when_stored(
    meeting, alice, client_as, settings, signing
):
    content = signed_pdf()
    version = pdf_version(meeting, alice, content)
    report = check_signature(version)
    record_storage.delete(version.key)
    record_storage.save_stream(version.key, [flip_byte_in_signed_range(content)], content_type=PDF)
    settings.SIGNATURE_DISPLAY_CHECK_MAX_BYTES = len(content) - 1

    body = open_page(client_as(alice), meeting, version.pk).content.decode()

    when = f"{timezone.localtime(report.signer.signed_at):%d/%m/%Y %H:%M}"
    assert f"Chữ ký hợp lệ — Nguyễn Văn A, {when}" in body  # the stored verdict, not read again
    assert 'id="checked-when-stored"' in body
    assert checks_audited(version) == 1


def test_a_file_over_the_display_bound_not_checked_yet_says_so(
    meeting, alice, client_as, settings, signing
):
    version = pdf_version(meeting, alice, signed_pdf())
    settings.SIGNATURE_DISPLAY_CHECK_MAX_BYTES = 0

    body = open_page(client_as(alice), meeting, version.pk).content.decode()

    assert "Chưa kiểm tra" in body
    assert checks_audited(version) == 0


def test_a_signer_under_an_untrusted_ca_is_shown_untrusted(
    meeting, alice, client_as, settings, stranger, trusted
):
    use_pkcs12(settings, stranger)
    version = pdf_version(meeting, alice, signed_pdf())

    body = open_page(client_as(alice), meeting, version.pk).content.decode()

    assert "Chữ ký không được tin cậy" in body
    assert "Trần Thị B" in body
    assert "Chuỗi chứng thư không đến gốc tin cậy nào đã cấu hình" in body


def test_changed_trust_roots_make_the_badge_stale_and_the_page_gives_the_new_verdict(
    meeting, alice, api_as, client_as, settings, signing, stranger, tmp_path
):
    version = pdf_version(meeting, alice, signed_pdf())
    check_signature(version)
    # The deployer now trusts another CA only.
    other_roots = tmp_path / "other-roots.pem"
    other_roots.write_bytes(stranger.chain[0].public_bytes(serialization.Encoding.PEM))
    settings.SIGNATURE_TRUST_ROOTS = str(other_roots)
    client = client_as(alice)

    before = record_page(client, meeting)
    stale_in_the_api = version_in_the_api(api_as(alice), version)["signature"]["stale"]
    body = open_page(client, meeting, version.pk).content.decode()
    after = record_page(client, meeting)

    version.refresh_from_db()
    assert "Đã kiểm tra theo các gốc tin cậy trước đây — kiểm tra lại" in before
    assert "Chữ ký hợp lệ" not in before
    assert signature_url(meeting, version.pk) in before
    assert "Chữ ký không được tin cậy" in body
    assert version.signature["status"] == "untrusted"
    assert "Chữ ký không được tin cậy" in after
    assert checks_audited(version) == 2
    assert stale_in_the_api is True
    assert version_in_the_api(api_as(alice), version)["signature"]["stale"] is False


def test_check_signatures_stale_checks_again_only_what_other_roots_decided(
    meeting, alice, settings, signing, tmp_path
):
    stale = pdf_version(meeting, alice, signed_pdf())
    check_signature(stale)
    unsigned = pdf_version(meeting, alice, tiny_pdf())
    check_signature(unsigned)
    settings.SIGNATURE_TRUST_ROOTS = ""
    current = pdf_version(meeting, alice, signed_pdf())
    check_signature(current)
    out = io.StringIO()

    call_command("check_signatures", "--stale", stdout=out)

    stale.refresh_from_db()
    assert stale.signature["status"] == "untrusted"
    assert out.getvalue().splitlines() == [
        f"phiên bản {stale.pk}: untrusted ",
        "Đã kiểm tra: untrusted 1",
    ]


def test_a_file_over_the_limit_is_not_read_and_the_page_says_why(
    meeting, alice, client_as, settings
):
    settings.SIGNATURE_VALIDATION_MAX_BYTES = 10
    version = pdf_version(meeting, alice, tiny_pdf())

    response = open_page(client_as(alice), meeting, version.pk)

    version.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 200
    assert "Không kiểm tra được chữ ký" in body
    assert "10\xa0byte" in body or "10 byte" in body
    assert (version.signature["status"], version.signature["reason"]) == ("invalid", "too_large")


def test_an_outsider_gets_the_404_of_a_missing_version(meeting, alice, client_as):
    version = pdf_version(meeting, alice, tiny_pdf())
    client = client_as(UserFactory(roles=[Role.ATTENDEE]))  # invited to nothing

    refused = open_page(client, meeting, version.pk)
    missing = open_page(client, meeting, version.pk + 1000)

    assert refused.status_code == missing.status_code == 404
    assert checks_audited(version) == 0


def test_another_type_of_file_has_no_signature_page(meeting, alice, client_as):
    version = stored_version(
        content=b"PK\x03\x04",
        record__meeting=meeting,
        record__kind="agenda",
        status="available",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        uploaded_by=alice,
    )

    assert open_page(client_as(alice), meeting, version.pk).status_code == 404


def test_a_version_whose_file_is_gone_is_404(meeting, alice, client_as):
    version = RecordVersionFactory(
        record__meeting=meeting, record__kind="agenda", content_type=PDF, uploaded_by=alice
    )

    assert open_page(client_as(alice), meeting, version.pk).status_code == 404


def test_storage_down_is_the_records_503_page(meeting, alice, client_as, settings, seaweedfs):
    version = RecordVersionFactory(
        record__meeting=meeting, record__kind="agenda", content_type=PDF, uploaded_by=alice
    )
    (port,) = free_ports(1)
    dead_s3_storage(settings, seaweedfs, port)

    response = open_page(client_as(alice), meeting, version.pk)

    assert response.status_code == 503
    assert 'id="storage-unavailable"' in response.content.decode()
