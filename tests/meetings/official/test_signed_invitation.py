"""The invitation letter signed (PAdES) when the office's signer is configured."""

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse

from meetings.official.models import DocumentNumber
from meetings.records import storage as record_storage
from meetings.records.models import RecordVersion
from signatures.validation import validate_pdf
from tests.meetings.official.helpers import pdf_text
from tests.meetings.records.helpers import local_storage, session


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def meeting(alice):
    return session(alice)


def issue(client, meeting):
    return client.post(reverse("meetings:invitation-letter", kwargs={"meeting_id": meeting.pk}))


def test_the_letter_is_signed_by_the_office_and_validates(signing, meeting, alice, client_as):
    response = issue(client_as(alice), meeting)

    assert response.status_code == 302
    content = b"".join(record_storage.open_chunks(RecordVersion.objects.get().key))
    report = validate_pdf(content)
    assert report.status == "valid"
    assert [signature.intact for signature in report.signatures] == [True]
    assert "Số: 01/GM-VPCP" in pdf_text(content)


def test_a_signer_that_cannot_sign_stores_nothing_unsigned(
    settings, trusted, meeting, alice, client_as, tmp_path
):
    settings.SIGNING_PKCS11_MODULE = ""
    settings.SIGNING_PKCS12_FILE = str(tmp_path / "missing.p12")

    response = issue(client_as(alice), meeting)

    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [constants.ERROR]
    assert RecordVersion.objects.count() == 0
    assert DocumentNumber.objects.count() == 1  # given before signing failed, never reused
