"""The records section of the meeting page and the secretariat's actions there; the
page to watch a recording. Messages are checked by level and status, not text."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from meetings.models import Classification
from meetings.records.models import Record, RecordKind, RecordStatus, RecordVersion
from signatures import trust
from tests.factories import (
    OfficeFactory,
    RecordFactory,
    RecordVersionFactory,
    UserFactory,
    end_now,
    stored_version,
)
from tests.fixtures.services import free_ports
from tests.meetings.records.helpers import EXE, PDF, WEBM, local_storage, session


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)
    return tmp_path / "media"


@pytest.fixture
def meeting(alice, bob, carol):
    return session(alice, attendees=[carol], technicians=[bob])


@pytest.fixture
def english(client):
    """Text assertions are on the English msgids, whatever the .po says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", roles=[Role.ATTENDEE])


def page_url(meeting) -> str:
    return reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})


def url(name: str, meeting, **kwargs) -> str:
    return reverse(f"meetings:{name}", kwargs={"meeting_id": meeting.pk, **kwargs})


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def minutes(meeting, user, status="draft", **fields):
    record = fields.pop("record", None) or RecordFactory(
        meeting=meeting, kind=RecordKind.MINUTES, title="Biên bản phiên họp"
    )
    return RecordVersionFactory(record=record, status=status, uploaded_by=user, **fields)


def post_upload(client, meeting, content=PDF, name="Biên bản.pdf", **data):
    return client.post(
        url("record-upload", meeting),
        {"kind": "agenda", "title": "Tài liệu phiên họp", **data,
         "file": SimpleUploadedFile(name, content)},
    )  # fmt: skip


# --- the section ---------------------------------------------------------------------------------


def test_the_secretariat_sees_every_version_and_its_actions(meeting, alice, client_as):
    end_now(meeting)
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    draft = minutes(meeting, alice)
    minutes(meeting, dung, status="submitted", record=draft.record, submitted_by=dung)

    response = client_as(alice).get(page_url(meeting))

    content = response.content.decode()
    assert response.status_code == 200
    assert [version.number for version in response.context["record_rows"][0].versions] == [2, 1]
    assert 'id="record-upload-form"' in content
    assert 'id="approve-' in content and 'id="return-' in content
    assert f'id="hold-{draft.record.pk}"' in content
    assert "Biên bản phiên họp" in content


def test_the_document_form_uploads_the_way_recordings_do(meeting, alice, client_as):
    response = client_as(alice).get(page_url(meeting))

    content = response.content.decode()
    create_url = reverse("meetings-api:document-uploads", kwargs={"meeting_id": meeting.pk})
    assert content.count('data-chunked-upload="document"') == 1
    assert f'data-create-url="{create_url}"' in content
    assert content.count("js/record_upload.js") == 1


def test_attendees_see_only_the_published_version_and_no_action(meeting, alice, carol, client_as):
    published = minutes(meeting, alice, status="published")
    minutes(meeting, alice, status="draft", record=published.record)

    response = client_as(carol).get(page_url(meeting))

    content = response.content.decode()
    rows = response.context["record_rows"]
    assert [[v.pk for v in row.versions] for row in rows] == [[published.pk]]
    assert 'id="record-upload-form"' not in content
    assert "hold-" not in content
    assert f'id="download-{published.pk}"' in content


def test_the_section_shows_size_uploader_and_status(meeting, alice, client_as):
    RecordVersionFactory(
        record=RecordFactory(meeting=meeting, kind=RecordKind.AGENDA),
        uploaded_by=alice,
        content=b"x" * 2048,
    )

    content = client_as(alice).get(page_url(meeting)).content.decode()

    assert "2,0\xa0KB" in content or "2.0\xa0KB" in content
    assert "Alice" in content
    assert "badge-record-available" in content


def test_the_section_has_no_inline_script(meeting, alice, client_as):
    minutes(meeting, alice)

    content = client_as(alice).get(page_url(meeting)).content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content) == []


def test_an_empty_section_says_so(meeting, carol, client_as):
    response = client_as(carol).get(page_url(meeting))

    assert 'id="no-records"' in response.content.decode()


SIGNED_REPORT = {
    "status": "valid",
    "reason": "",
    "signatures": [
        {
            "signer_name": "Nguyễn Văn A",
            "organisation": "Văn phòng Chính phủ",
            "signed_at": "2026-12-07T02:15:00+00:00",
            "intact": True,
            "valid": True,
            "trusted": True,
            "covers_whole_document": True,
            "modification": "",
        }
    ],
    "trust_roots": trust.fingerprint_of([]),  # no roots: the test settings configure none
}


@pytest.mark.parametrize("count", [1, 3])
def test_meeting_page_query_count_does_not_grow_with_records(
    meeting, alice, client_as, django_assert_num_queries, count
):
    for number in range(count):
        record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES, title=f"Biên bản {number}")
        # Signed PDFs, one checked against trust roots since replaced: its badge says so.
        RecordVersionFactory(
            record=record, status="published", uploaded_by=alice, signature=SIGNED_REPORT
        )
        RecordVersionFactory(
            record=record,
            status="draft",
            uploaded_by=alice,
            signature={**SIGNED_REPORT, "trust_roots": "replaced"},
        )
    client = client_as(alice)

    # session, user, roles, meeting, details visible, sites, attendees, may change, may watch
    # (readiness links); the records section adds one: the versions with their records and
    # uploaders
    # One query more since issue #13: the offices the user acts for (the header's office).
    # Whether they manage the records (the owning office's) is the page's "may change",
    # handed to the records section rather than asked again. Since issue #15 the sites
    # take three (conferencing.session_sites: counted, not loaded). Since issue #16 the
    # owning office's expected attendance takes two (meetings.calendar.answers).
    # 16 since the conclusion notice's card (meetings.conclusions: one query).
    with django_assert_num_queries(16):
        response = client.get(page_url(meeting))

    assert len(response.context["record_rows"]) == count
    body = response.content.decode()
    assert body.count('class="badge badge-signature-valid') == count
    assert body.count('class="badge badge-signature-stale') == count


# --- uploading -----------------------------------------------------------------------------------


def test_the_secretariat_uploads_a_document_from_the_page(meeting, alice, client_as):
    response = post_upload(client_as(alice), meeting, name="Tài liệu họp.pdf")

    version = RecordVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_url(meeting) + "#records"
    assert levels(response) == [constants.SUCCESS]
    assert (version.original_name, version.status, version.record.title) == (
        "Tài liệu họp.pdf",
        "available",
        "Tài liệu phiên họp",
    )


def test_a_new_version_takes_its_records_kind(meeting, alice, client_as):
    draft = minutes(meeting, alice)

    post_upload(client_as(alice), meeting, record=draft.record.pk, kind="")

    newest = draft.record.versions.first()
    assert (newest.number, newest.status) == (2, RecordStatus.DRAFT)


def test_an_exe_renamed_pdf_is_refused_with_a_message(meeting, alice, client_as, media):
    response = post_upload(client_as(alice), meeting, EXE, "Biên bản.pdf")

    assert response.status_code == 302
    assert levels(response) == [constants.ERROR]
    assert RecordVersion.objects.count() == 0
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_an_upload_without_a_file_is_refused_with_a_message(meeting, alice, client_as):
    response = client_as(alice).post(url("record-upload", meeting), {"kind": "agenda"})

    assert levels(response) == [constants.ERROR]
    assert Record.objects.count() == 0


def test_storage_down_during_an_upload_is_a_503_page(meeting, alice, client_as, seaweedfs):
    (port,) = free_ports(1)
    settings_storages = seaweedfs.storages_setting(
        settings.STORAGES, endpoint_url=f"http://127.0.0.1:{port}"
    )
    client = client_as(alice)

    from django.test import override_settings

    with override_settings(STORAGES=settings_storages):
        response = post_upload(client, meeting)

    assert response.status_code == 503
    assert 'id="storage-unavailable"' in response.content.decode()
    assert RecordVersion.objects.count() == Record.objects.count() == 0


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_only_the_secretariat_uploads(meeting, client_as, persona, request):
    response = post_upload(client_as(request.getfixturevalue(persona)), meeting)

    assert response.status_code == 403
    assert RecordVersion.objects.count() == 0


def test_a_secretariat_colleague_not_invited_to_a_confidential_session_gets_404(alice, client_as):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    meeting = session(alice, Classification.CONFIDENTIAL)

    response = post_upload(client_as(dung), meeting)

    assert response.status_code == 404


# --- the minutes workflow and the legal hold -----------------------------------------------------


def test_minutes_are_submitted_approved_and_published_from_the_page(meeting, alice, client_as):
    end_now(meeting)
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    draft = minutes(meeting, alice)
    client_as(alice).post(url("record-submit", meeting, version_id=draft.pk))

    response = client_as(dung).post(url("record-approve", meeting, version_id=draft.pk))

    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by, draft.reviewed_by) == ("published", alice, dung)
    assert levels(response) == [constants.SUCCESS, constants.SUCCESS]


def test_approving_asks_for_confirmation_first(meeting, alice, client_as):
    end_now(meeting)
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    submitted = minutes(meeting, alice, status="submitted", submitted_by=alice)

    page = client_as(alice).get(page_url(meeting)).content.decode()
    response = client_as(dung).get(url("record-approve", meeting, version_id=submitted.pk))

    submitted.refresh_from_db()
    content = response.content.decode()
    assert submitted.status == "submitted"
    assert response.status_code == 200
    assert 'id="approve-form"' in content and 'method="post"' in content
    assert 'id="single-secretary-note"' not in content
    assert 'id="approve-' not in page  # alice submitted: no button for her
    assert f'id="approval-note-{submitted.pk}"' in page


def test_the_page_says_the_minutes_wait_for_the_end_of_the_session(
    meeting, alice, client_as, english
):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    submitted = minutes(meeting, alice, status="submitted", submitted_by=alice)

    content = client_as(dung).get(page_url(meeting)).content.decode()

    assert f'id="approve-{submitted.pk}"' not in content
    assert "Minutes can be published only after the session has ended." in content


def test_the_confirm_page_says_when_the_single_secretary_exception_is_used(
    meeting, alice, client_as
):
    end_now(meeting)
    meeting.owner_office.single_secretary = True
    meeting.owner_office.save(update_fields=["single_secretary"])
    submitted = minutes(meeting, alice, status="submitted", submitted_by=alice)

    response = client_as(alice).get(url("record-approve", meeting, version_id=submitted.pk))

    assert response.status_code == 200
    assert 'id="single-secretary-note"' in response.content.decode()


def test_approving_what_you_submitted_is_refused_with_a_message(meeting, alice, client_as):
    end_now(meeting)
    submitted = minutes(meeting, alice, status="submitted", submitted_by=alice)

    shown = client_as(alice).get(url("record-approve", meeting, version_id=submitted.pk))
    posted = client_as(alice).post(url("record-approve", meeting, version_id=submitted.pk))

    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert (shown.status_code, posted.status_code) == (302, 302)
    assert levels(posted) == [constants.ERROR, constants.ERROR]


def test_approving_before_the_session_has_ended_is_refused_with_a_message(
    meeting, alice, client_as
):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    submitted = minutes(meeting, alice, status="submitted", submitted_by=alice)

    response = client_as(dung).post(url("record-approve", meeting, version_id=submitted.pk))

    submitted.refresh_from_db()
    assert (submitted.status, levels(response)) == ("submitted", [constants.ERROR])


def test_the_confirm_page_of_a_meeting_of_another_office_is_404(meeting, alice, client_as):
    end_now(meeting)
    submitted = minutes(meeting, alice, status="submitted", submitted_by=alice)
    elsewhere = OfficeFactory(code="VP-KHAC", jurisdiction=meeting.owner_office.jurisdiction)
    outsider = UserFactory(username="outsider", roles=[Role.SECRETARIAT], offices=[elsewhere])

    response = client_as(outsider).get(url("record-approve", meeting, version_id=submitted.pk))

    assert response.status_code == 404


def test_minutes_are_returned_with_a_comment(meeting, alice, client_as):
    submitted = minutes(meeting, alice, status="submitted")

    client_as(alice).post(
        url("record-return", meeting, version_id=submitted.pk), {"comment": "Bổ sung chữ ký"}
    )

    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == ("returned", "Bổ sung chữ ký")


def test_returning_without_a_comment_is_refused_with_a_message(meeting, alice, client_as):
    submitted = minutes(meeting, alice, status="submitted")

    response = client_as(alice).post(url("record-return", meeting, version_id=submitted.pk))

    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert levels(response) == [constants.ERROR]


def test_approving_a_draft_is_refused_with_a_message(meeting, alice, client_as):
    draft = minutes(meeting, alice)

    response = client_as(alice).post(url("record-approve", meeting, version_id=draft.pk))

    draft.refresh_from_db()
    assert (draft.status, levels(response)) == ("draft", [constants.ERROR])


def test_a_version_of_another_meeting_is_404(meeting, alice, client_as):
    other = minutes(session(alice), alice)

    response = client_as(alice).post(url("record-submit", meeting, version_id=other.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_only_the_secretariat_approves(meeting, alice, client_as, persona, request):
    submitted = minutes(meeting, alice, status="submitted")

    response = client_as(request.getfixturevalue(persona)).post(
        url("record-approve", meeting, version_id=submitted.pk)
    )

    assert response.status_code == 403


def test_legal_hold_is_toggled_from_the_page_and_audited(meeting, alice, client_as):
    record = minutes(meeting, alice).record
    client = client_as(alice)

    client.post(url("record-hold", meeting, record_id=record.pk), {"hold": "on"})
    record.refresh_from_db()
    held = record.legal_hold
    client.post(url("record-hold", meeting, record_id=record.pk))
    record.refresh_from_db()

    assert (held, record.legal_hold) == (True, False)
    assert AuditEntry.objects.filter(action="record.legal_hold").count() == 2


# --- watching a recording ------------------------------------------------------------------------


def recording(meeting, user, status="available"):
    return stored_version(
        WEBM,
        record=RecordFactory(meeting=meeting, kind=RecordKind.RECORDING, title="Ghi hình"),
        content_type="video/webm",
        original_name="Ghi hình.webm",
        status=status,
        uploaded_by=user,
    )


def test_a_recording_is_watched_in_a_video_player_that_can_seek(meeting, alice, carol, client_as):
    version = recording(meeting, alice)

    response = client_as(carol).get(url("record-watch", meeting, version_id=version.pk))

    file_url = url("record-download", meeting, version_id=version.pk)
    assert response.status_code == 200
    assert f'src="{file_url}?inline=1"' in response.content.decode()
    assert "<video" in response.content.decode()


def test_a_document_has_no_player(meeting, alice, client_as):
    version = minutes(meeting, alice, status="published")

    response = client_as(alice).get(url("record-watch", meeting, version_id=version.pk))

    assert response.status_code == 404


def test_a_recording_being_verified_is_hidden_from_attendees(meeting, alice, carol, client_as):
    version = recording(meeting, alice, status="verifying")

    attendee = client_as(carol).get(url("record-watch", meeting, version_id=version.pk))

    assert attendee.status_code == 404


def test_the_page_links_recordings_to_the_player(meeting, alice, carol, client_as):
    version = recording(meeting, alice)

    content = client_as(carol).get(page_url(meeting)).content.decode()

    assert url("record-watch", meeting, version_id=version.pk) in content


# --- outsiders -----------------------------------------------------------------------------------


def test_an_outsider_with_a_role_gets_404_for_a_download(meeting, alice, erin, client_as):
    version = recording(meeting, alice)

    response = client_as(erin).get(url("record-download", meeting, version_id=version.pk))

    assert response.status_code == 404


def test_a_user_without_a_role_is_refused(meeting, alice, mallory, client_as):
    version = recording(meeting, alice)

    response = client_as(mallory).get(url("record-download", meeting, version_id=version.pk))

    assert response.status_code == 403


def test_an_anonymous_visitor_goes_to_the_login_page(meeting, alice, client):
    version = recording(meeting, alice)

    response = client.get(url("record-download", meeting, version_id=version.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
