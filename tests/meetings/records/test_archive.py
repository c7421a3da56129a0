"""Records, the domain: versions, the minutes workflow, recordings' verification, access.

alice (secretariat) organises the sessions; carol is a named attendee; bob is the
technician of the session's site T01; dung is a secretariat colleague who is not
invited, and approves what alice submits (two pairs of eyes); erin is an attendee of
other sessions. The session has ended unless a test says otherwise.
"""

import pytest
from django.db import IntegrityError
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEntry
from meetings.models import Classification
from meetings.records import archive as records
from meetings.records.archive import RecordError
from meetings.records.models import Record, RecordKind, RecordStatus, RecordVersion
from tests.factories import RecordFactory, RecordVersionFactory, UserFactory, end_now, start_now
from tests.meetings.records.helpers import session

SHA = "ab" * 32


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", roles=[Role.ATTENDEE])


@pytest.fixture
def meeting(alice, bob, carol):
    return end_now(session(alice, attendees=[carol], technicians=[bob]))


def document(meeting, user, kind=RecordKind.AGENDA, record=None, reason="", **fields):
    return records.add_document_version(
        meeting=meeting,
        kind=kind,
        title=fields.pop("title", "Tài liệu phiên họp"),
        key=fields.pop("key", f"records/{meeting.uid}/{RecordVersion.objects.count() + 1:032x}"),
        original_name=fields.pop("original_name", "Tài liệu.pdf"),
        size=fields.pop("size", 10),
        content_type="application/pdf",
        sha256=SHA,
        uploaded_by=user,
        record=record,
        reason=reason,
    )


def colleague():
    """dung, who approves what alice submits."""
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


def published_minutes(meeting, user) -> RecordVersion:
    version = document(meeting, user, RecordKind.MINUTES)
    records.submit(version, user)
    return records.approve(version, colleague())


def actions(target) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk), target_type=target._meta.label_lower)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- versions ------------------------------------------------------------------------------------


def test_first_upload_creates_the_record_and_version_one(meeting, alice):
    version = document(meeting, alice, title="Tài liệu họp")

    assert (version.number, version.status, version.record.kind) == (1, "available", "agenda")
    assert version.record.meeting == meeting
    assert version.record.title == "Tài liệu họp"
    assert actions(version) == ["record.uploaded"]


def test_upload_again_is_a_new_version_and_the_old_one_stays(meeting, alice):
    first = document(meeting, alice)

    second = document(meeting, alice, record=first.record, original_name="Tài liệu v2.pdf")

    assert second.number == 2
    assert list(first.record.versions.values_list("number", "original_name")) == [
        (2, "Tài liệu v2.pdf"),
        (1, "Tài liệu.pdf"),
    ]


def test_minutes_start_as_a_draft(meeting, alice):
    version = document(meeting, alice, RecordKind.MINUTES)

    assert version.status == RecordStatus.DRAFT


def test_a_version_of_another_meetings_record_is_refused(meeting, alice):
    other = session(alice)
    record = document(other, alice).record

    with pytest.raises(RecordError) as refused:
        document(meeting, alice, record=record)

    assert refused.value.code == "wrong_record"
    assert record.versions.count() == 1


def test_a_version_of_another_kind_is_refused(meeting, alice):
    record = document(meeting, alice, RecordKind.AGENDA).record

    with pytest.raises(RecordError) as refused:
        document(meeting, alice, RecordKind.MINUTES, record=record)

    assert refused.value.code == "wrong_kind"


def test_a_record_needs_a_title(meeting, alice):
    with pytest.raises(RecordError) as refused:
        document(meeting, alice, title="  ")

    assert (refused.value.code, refused.value.field) == ("title_required", "title")
    assert Record.objects.count() == 0


def test_a_recording_kind_is_not_a_document(meeting, alice):
    with pytest.raises(RecordError) as refused:
        document(meeting, alice, RecordKind.RECORDING)

    assert refused.value.code == "wrong_kind"


def test_version_numbers_are_unique_per_record(meeting, alice):
    version = document(meeting, alice)

    with pytest.raises(IntegrityError):
        RecordVersionFactory(record=version.record, number=1)


# --- the minutes workflow ------------------------------------------------------------------------


def test_minutes_go_from_draft_to_submitted_to_published(meeting, alice, dung):
    version = document(meeting, alice, RecordKind.MINUTES)

    records.submit(version, alice)
    published = records.approve(version, dung)

    assert published.status == RecordStatus.PUBLISHED
    assert published.published_at is not None
    assert (published.submitted_by, published.submitted_at is not None) == (alice, True)
    assert (published.reviewed_by, published.reviewed_at) == (dung, published.published_at)
    assert actions(version) == ["record.uploaded", "record.submitted", "record.published"]


def test_publication_is_audited_with_the_version_and_its_checksum(meeting, alice, dung):
    version = published_minutes(meeting, alice)

    entry = AuditEntry.objects.get(action="record.published")

    assert (entry.actor, entry.target_id) == (dung, str(version.pk))
    assert entry.changes == {"number": 1, "sha256": SHA}


# --- two pairs of eyes, and publishing after the session -----------------------------------------


def test_the_person_who_submitted_minutes_cannot_approve_them(meeting, alice):
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)

    with pytest.raises(RecordError) as refused:
        records.approve(version, alice)

    assert refused.value.code == "same_person"
    assert "another member of the office must approve it" in refused.value.message
    version.refresh_from_db()
    assert version.status == RecordStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="record.published").count() == 0


def test_the_submitter_is_who_submitted_not_who_uploaded(meeting, alice, dung):
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, dung)

    with pytest.raises(RecordError) as refused:
        records.approve(version, dung)
    published = records.approve(version, alice)

    assert refused.value.code == "same_person"
    assert (published.status, published.reviewed_by) == (RecordStatus.PUBLISHED, alice)


def test_a_single_secretary_office_approves_its_own_minutes_and_the_audit_says_so(meeting, alice):
    meeting.owner_office.single_secretary = True
    meeting.owner_office.save(update_fields=["single_secretary"])
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)

    published = records.approve(version, alice)

    assert (published.status, published.reviewed_by) == (RecordStatus.PUBLISHED, alice)
    entry = AuditEntry.objects.get(action="record.published")
    assert entry.changes == {"number": 1, "sha256": SHA, "single_secretary_exception": True}


def test_minutes_are_not_published_before_the_session_has_ended(alice, dung):
    meeting = session(alice)
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)

    with pytest.raises(RecordError) as refused:
        records.approve(version, dung)

    assert (refused.value.code, refused.value.message) == (
        "not_ended",
        "Minutes can be published only after the session has ended.",
    )
    version.refresh_from_db()
    assert version.status == RecordStatus.SUBMITTED


def test_minutes_of_a_running_session_are_not_published(alice, dung):
    meeting = start_now(session(alice))
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)

    with pytest.raises(RecordError) as refused:
        records.approve(version, dung)

    assert refused.value.code == "not_ended"


def test_returned_minutes_carry_the_comment_and_can_be_submitted_again(meeting, alice):
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)

    returned = records.return_for_changes(version, alice, "  Thiếu chữ ký chủ trì.  ")
    resubmitted = records.submit(returned, alice)

    assert returned.review_comment == "Thiếu chữ ký chủ trì."
    assert resubmitted.status == RecordStatus.SUBMITTED
    entry = AuditEntry.objects.get(action="record.returned")
    assert entry.changes == {"comment": "Thiếu chữ ký chủ trì."}


def test_published_minutes_no_longer_carry_the_comment_of_an_earlier_return(meeting, alice, dung):
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)
    records.return_for_changes(version, dung, "Thiếu chữ ký chủ trì.")
    records.submit(version, alice)

    published = records.approve(version, dung)

    published.refresh_from_db()
    assert published.review_comment == ""
    entry = AuditEntry.objects.get(action="record.returned")
    assert entry.changes == {"comment": "Thiếu chữ ký chủ trì."}


def test_returning_needs_a_comment(meeting, alice):
    version = document(meeting, alice, RecordKind.MINUTES)
    records.submit(version, alice)

    with pytest.raises(RecordError) as refused:
        records.return_for_changes(version, alice, " ")

    assert refused.value.code == "comment_required"
    version.refresh_from_db()
    assert version.status == RecordStatus.SUBMITTED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("submitted", "submit"),
        ("returned", "approve"),
        ("published", "submit"),
        ("published", "approve"),
        ("published", "return"),
    ],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(meeting, alice, status, action):
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES)
    version = RecordVersionFactory(record=record, status=status)
    step = {
        "submit": lambda: records.submit(version, alice),
        "approve": lambda: records.approve(version, alice),
        "return": lambda: records.return_for_changes(version, alice, "Sửa lại"),
    }[action]

    with pytest.raises(RecordError) as refused:
        step()

    assert refused.value.code == "wrong_state"
    version.refresh_from_db()
    assert version.status == status
    assert AuditEntry.objects.filter(action__startswith="record.").count() == 0


def test_only_minutes_go_through_approval(meeting, alice):
    version = RecordVersionFactory(
        record=RecordFactory(meeting=meeting, kind=RecordKind.AGENDA), status="draft"
    )

    with pytest.raises(RecordError) as refused:
        records.submit(version, alice)

    assert refused.value.code == "not_minutes"


def test_only_the_newest_version_of_minutes_can_be_approved(meeting, alice):
    first = document(meeting, alice, RecordKind.MINUTES)
    records.submit(first, alice)
    document(meeting, alice, RecordKind.MINUTES, record=first.record)

    with pytest.raises(RecordError) as refused:
        records.approve(first, alice)

    assert refused.value.code == "not_latest"


def test_a_correction_of_published_minutes_needs_a_reason(meeting, alice):
    published = published_minutes(meeting, alice)

    with pytest.raises(RecordError) as refused:
        document(meeting, alice, RecordKind.MINUTES, record=published.record, reason=" ")

    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert published.record.versions.count() == 1


def test_a_correction_is_a_new_draft_and_the_published_version_is_untouched(meeting, alice):
    published = published_minutes(meeting, alice)

    correction = document(
        meeting, alice, RecordKind.MINUTES, record=published.record, reason="Sai tên đại biểu"
    )

    published.refresh_from_db()
    assert (correction.number, correction.status, correction.reason) == (
        2,
        "draft",
        "Sai tên đại biểu",
    )
    assert published.status == RecordStatus.PUBLISHED


# --- recordings ----------------------------------------------------------------------------------


def recording(meeting, user, record=None):
    return records.add_recording_version(
        meeting=meeting,
        title="Ghi hình phiên họp",
        key=f"records/{meeting.uid}/{RecordVersion.objects.count() + 1:032x}",
        original_name="Ghi hình.mp4",
        size=5_000_000_000,
        content_type="video/mp4",
        uploaded_by=user,
        record=record,
    )


def test_a_completed_recording_waits_for_verification_without_a_checksum(meeting, alice):
    version = recording(meeting, alice)

    assert (version.status, version.sha256, version.size) == ("verifying", "", 5_000_000_000)
    assert version.record.kind == RecordKind.RECORDING


def test_a_verified_recording_becomes_available_with_its_checksum(meeting, alice):
    version = recording(meeting, alice)

    records.mark_verified(version, sha256=SHA)

    version.refresh_from_db()
    assert (version.status, version.sha256) == ("available", SHA)
    assert actions(version) == ["record.uploaded", "record.verified"]


def test_a_failed_recording_keeps_the_reason(meeting, alice):
    version = recording(meeting, alice)

    records.mark_failed(version, reason="not a video")

    version.refresh_from_db()
    assert (version.status, version.review_comment) == ("failed", "not a video")


def test_a_recording_is_verified_only_once(meeting, alice):
    version = recording(meeting, alice)
    records.mark_verified(version, sha256=SHA)

    with pytest.raises(RecordError) as refused:
        records.mark_failed(version, reason="late")

    assert refused.value.code == "wrong_state"


def test_a_checksum_must_be_sha256_hex(meeting, alice):
    version = recording(meeting, alice)

    with pytest.raises(RecordError) as refused:
        records.mark_verified(version, sha256="XYZ")

    assert refused.value.code == "bad_checksum"


def test_a_new_recording_version_is_numbered_after_the_last(meeting, alice):
    first = recording(meeting, alice)

    second = recording(meeting, alice, record=first.record)

    assert second.number == 2


# --- legal hold ----------------------------------------------------------------------------------


def test_legal_hold_is_set_and_released_with_audit_entries(meeting, alice):
    record = document(meeting, alice).record

    records.set_legal_hold(record, hold=True, actor=alice)
    records.set_legal_hold(record, hold=True, actor=alice)
    released = records.set_legal_hold(record, hold=False, actor=alice)

    assert released.legal_hold is False
    assert [entry.changes for entry in AuditEntry.objects.filter(action="record.legal_hold")] == [
        {"legal_hold": False},
        {"legal_hold": True},
    ]


# --- who sees what -------------------------------------------------------------------------------


def seen(user, meeting) -> list[tuple[str, int, str]]:
    return [(v.record.kind, v.number, v.status) for v in records.visible_versions(user, meeting)]


@pytest.fixture
def archive(meeting, alice):
    """Agenda v1+v2, minutes v1 published and v2 a draft correction, a verifying recording."""
    agenda = document(meeting, alice)
    document(meeting, alice, record=agenda.record)
    minutes = published_minutes(meeting, alice)
    document(meeting, alice, RecordKind.MINUTES, record=minutes.record, reason="Sửa")
    recording(meeting, alice)
    return meeting


def test_the_secretariat_sees_every_version(archive, alice, dung):
    expected = [
        ("agenda", 2, "available"),
        ("agenda", 1, "available"),
        ("minutes", 2, "draft"),
        ("minutes", 1, "published"),
        ("recording", 1, "verifying"),
    ]

    assert seen(alice, archive) == expected
    assert seen(dung, archive) == expected


def test_attendees_and_technicians_see_the_latest_version_that_is_out(archive, carol, bob):
    expected = [("agenda", 2, "available"), ("minutes", 1, "published")]

    assert seen(carol, archive) == expected
    assert seen(bob, archive) == expected


def test_others_see_nothing(archive, erin, mallory):
    assert seen(erin, archive) == []
    assert seen(mallory, archive) == []


def test_a_confidential_meetings_records_only_for_its_organiser_and_named_attendees(
    alice, bob, carol, dung
):
    meeting = session(alice, Classification.CONFIDENTIAL, attendees=[carol], technicians=[bob])
    document(meeting, alice)

    assert [len(seen(user, meeting)) for user in (alice, carol, dung, bob)] == [1, 1, 0, 0]


def test_visible_versions_is_one_query(archive, carol, django_assert_num_queries):
    records.may_upload(carol, archive)  # reads carol's roles once

    with django_assert_num_queries(1):
        seen(carol, archive)


def test_only_the_secretariat_that_reads_the_meeting_may_upload(alice, carol, dung):
    internal = session(alice, attendees=[carol])
    confidential = session(alice, Classification.CONFIDENTIAL, attendees=[carol])

    assert [records.may_upload(user, internal) for user in (alice, dung, carol)] == [
        True,
        True,
        False,
    ]
    assert [records.may_upload(user, confidential) for user in (alice, dung, carol)] == [
        True,
        False,
        False,
    ]
