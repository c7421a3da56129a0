"""The wording page and its preview; the meeting page's "Tạo giấy mời" button."""

import hashlib

import pytest
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.urls import reverse

from audit.models import AuditEntry
from meetings.models import MeetingStatus
from meetings.official.models import DocumentNumber, DocumentTemplate
from meetings.records import storage as record_storage
from meetings.records.models import Record, RecordKind, RecordVersion
from tests.factories import site_tree
from tests.meetings.official.helpers import pdf_text
from tests.meetings.records.helpers import local_storage, session


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def form_data(**changes) -> dict[str, str]:
    return {
        "place": "Hà Nội",
        "parent_name": "Ủy ban nhân dân thành phố Hà Nội",
        "signer_position": "Chánh Văn phòng",
        "signer_name": "Phạm Thị Hợp",
        "recipients": "Như trên;\n\nLưu: VT.",
        "opening": "Văn phòng UBND Hà Nội trân trọng kính mời:",
        "closing": "Rất mong đại biểu tham dự./.",
        **changes,
    }


# --- the wording page ----------------------------------------------------------------------------


def test_the_secretariat_sees_its_office_defaults(sites, hana, client_as):
    response = client_as(hana).get(reverse("official:template", kwargs={"kind": "invitation"}))

    assert response.status_code == 200
    assert response.context["office"].code == "VP-HN"
    assert response.context["form"].initial["signer_position"] == "Chánh Văn phòng"
    assert b'id="template-defaults"' in response.content


def test_saving_the_wording_keeps_it_for_the_acting_office(sites, hana, hanoi, client_as):
    url = reverse("official:template", kwargs={"kind": "invitation"})

    response = client_as(hana).post(url, form_data())

    assert response.status_code == 302
    saved = DocumentTemplate.objects.get(office=hanoi, kind="invitation")
    assert (saved.signer_name, saved.recipients) == ("Phạm Thị Hợp", "Như trên;\nLưu: VT.")
    assert AuditEntry.objects.filter(action="official.template_changed").count() == 1


def test_wording_without_recipients_is_refused_and_nothing_saved(sites, hana, client_as):
    url = reverse("official:template", kwargs={"kind": "conclusion"})

    response = client_as(hana).post(url, form_data(recipients="  \n ", signer_name=""))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"recipients", "signer_name"}
    assert DocumentTemplate.objects.count() == 0
    assert AuditEntry.objects.filter(action="official.template_changed").count() == 0


def test_an_unknown_kind_is_not_found(sites, hana, client_as):
    response = client_as(hana).get(reverse("official:template", kwargs={"kind": "memo"}))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_who_acts_for_no_office_is_refused(sites, persona, request, client_as):
    user = request.getfixturevalue(persona)

    response = client_as(user).get(reverse("official:template", kwargs={"kind": "invitation"}))

    assert response.status_code == 403


def test_the_preview_renders_the_saved_wording(sites, hana, hanoi, client_as):
    client = client_as(hana)
    client.post(reverse("official:template", kwargs={"kind": "invitation"}), form_data())

    response = client.get(reverse("official:template-preview", kwargs={"kind": "invitation"}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Phạm Thị Hợp" in text
    assert "Số: 01/GM-VP-HN" in text
    assert DocumentNumber.objects.count() == 0  # a preview takes no number


# --- the invitation letter -----------------------------------------------------------------------


@pytest.fixture
def meeting(alice, carol):
    meeting = session(alice, attendees=[carol])
    meeting.title = "Giao ban trực tuyến <b>Đà Nẵng</b> & Thừa Thiên Huế"
    meeting.agenda = "Kết luận quý IV.\nNhiệm vụ năm 2027."
    meeting.save()
    return meeting


def issue(client, meeting):
    return client.post(reverse("meetings:invitation-letter", kwargs={"meeting_id": meeting.pk}))


def test_the_owning_office_sees_the_button(meeting, alice, client_as):
    page = client_as(alice).get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}))

    assert b'id="invitation-letter-submit"' in page.content


def test_another_reader_of_the_session_sees_no_button(meeting, carol, client_as):
    page = client_as(carol).get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}))

    assert page.status_code == 200
    assert b'id="invitation-letter-submit"' not in page.content


def test_the_invitation_letter_joins_the_records_numbered_and_hashed(meeting, alice, client_as):
    response = issue(client_as(alice), meeting)

    assert response.status_code == 302
    assert levels(response) == [constants.SUCCESS]
    version = RecordVersion.objects.get(record__meeting=meeting)
    assert (version.record.kind, version.record.title) == (RecordKind.OTHER, "Giấy mời")
    assert version.content_type == "application/pdf"
    content = b"".join(record_storage.open_chunks(version.key))
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    text = pdf_text(content)
    assert "GIẤY MỜI" in text
    assert "Số: 01/GM-VPCP" in text
    assert "Giao ban trực tuyến <b>Đà Nẵng</b> & Thừa Thiên Huế" in text
    assert "Nội dung: Kết luận quý IV. Nhiệm vụ năm 2027." in text
    assert "điểm cầu chủ trì" in text
    issued = AuditEntry.objects.get(action="official.issued")
    assert issued.changes == {"meeting": meeting.pk, "kind": "invitation", "number": "01/GM-VPCP"}


def test_the_time_is_printed_in_vietnam(meeting, alice, client_as):
    from django.utils import timezone

    start = timezone.localtime(meeting.conference.start)

    issue(client_as(alice), meeting)

    content = b"".join(record_storage.open_chunks(RecordVersion.objects.get().key))
    assert f"Thời gian: {start:%d/%m/%Y %H:%M} - " in pdf_text(content)
    assert start.hour == 8


def test_a_second_letter_is_a_new_version_with_the_next_number(meeting, alice, client_as):
    client = client_as(alice)
    issue(client, meeting)

    issue(client, meeting)

    record = Record.objects.get(meeting=meeting)
    assert list(record.versions.order_by("number").values_list("number", "reason")) == [
        (1, "Số 01/GM-VPCP"),
        (2, "Số 02/GM-VPCP"),
    ]


def test_a_cancelled_session_gets_no_letter_and_keeps_its_number_free(meeting, alice, client_as):
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()

    response = issue(client_as(alice), meeting)

    assert response.status_code == 302
    assert levels(response) == [constants.ERROR]
    assert RecordVersion.objects.count() == 0
    assert DocumentNumber.objects.count() == 0


def test_another_office_cannot_issue_and_learns_nothing(meeting, hana, client_as):
    response = issue(client_as(hana), meeting)

    assert response.status_code == 404
    assert RecordVersion.objects.count() == 0
    assert DocumentNumber.objects.count() == 0


def test_an_attendee_is_refused(meeting, carol, client_as):
    response = issue(client_as(carol), meeting)

    assert response.status_code == 403


def test_the_button_only_posts(meeting, alice, client_as):
    url = reverse("meetings:invitation-letter", kwargs={"meeting_id": meeting.pk})

    assert client_as(alice).get(url).status_code == 405


def test_storage_down_stores_nothing_and_the_number_stays_given(
    meeting, alice, client_as, settings, seaweedfs
):
    from tests.fixtures.services import free_ports
    from tests.meetings.records.helpers import dead_s3_storage

    (port,) = free_ports(1)
    dead_s3_storage(settings, seaweedfs, port)

    response = issue(client_as(alice), meeting)

    assert response.status_code == 302
    assert levels(response) == [constants.ERROR]
    assert RecordVersion.objects.count() == 0
    assert AuditEntry.objects.filter(action="official.issued").count() == 0
    # The number was given before the store failed: the next letter takes the one after.
    assert list(DocumentNumber.objects.values_list("number", flat=True)) == [1]
