"""The notice's workflow (meetings.conclusions.workflow): four eyes, wrong states refused,
signing keeps the PDF held back, publishing makes the tasks with their deadlines in
working days and releases the PDF."""

from datetime import date

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from meetings.conclusions import drafting, workflow
from meetings.conclusions.errors import ConclusionError, ConclusionStateError
from meetings.conclusions.models import NoticeState, Task
from meetings.official.models import DocumentNumber
from meetings.records import storage
from meetings.records.models import RecordStatus
from signatures.validation import validate_pdf
from tests.meetings.conclusions.conftest import two_tasks
from workdays.calendar import add_working_days


def approved(notice, alice, dung):
    notice = workflow.submit(notice, alice)
    return workflow.approve(notice, dung)


def test_the_drafter_may_not_approve(drafted, alice):
    notice = workflow.submit(drafted, alice)

    with pytest.raises(ConclusionError) as refused:
        workflow.approve(notice, alice)

    assert refused.value.code == "same_person"
    notice.refresh_from_db()
    assert notice.state == NoticeState.SUBMITTED


def test_the_submitter_may_not_approve_what_someone_else_drafted(drafted, dung):
    notice = workflow.submit(drafted, dung)

    with pytest.raises(ConclusionError) as refused:
        workflow.approve(notice, dung)

    assert refused.value.code == "same_person"


def test_a_second_person_approves_and_the_audit_says_who(drafted, alice, dung):
    notice = approved(drafted, alice, dung)

    assert (notice.state, notice.approved_by, notice.submitted_by) == (
        NoticeState.APPROVED,
        dung,
        alice,
    )
    actions = list(
        AuditEntry.objects.filter(target_type="conclusions.conclusionnotice")
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions == [
        ("conclusions.started", "alice"),
        ("conclusions.saved", "alice"),
        ("conclusions.submitted", "alice"),
        ("conclusions.approved", "dung"),
    ]


def test_a_single_secretary_office_approves_its_own_notice_as_a_recorded_exception(
    drafted, alice, vpcp
):
    vpcp.single_secretary = True
    vpcp.save()

    notice = approved(drafted, alice, alice)

    entry = AuditEntry.objects.get(action="conclusions.approved")
    assert (notice.state, entry.changes["single_secretary_exception"]) == (
        NoticeState.APPROVED,
        True,
    )


@pytest.mark.parametrize("action", ["approve", "sign", "publish"])
def test_a_draft_refuses_every_action_but_submit(drafted, dung, action):
    with pytest.raises(ConclusionStateError) as refused:
        getattr(workflow, action)(drafted, dung)

    assert refused.value.code == "wrong_state"


def test_a_submitted_notice_cannot_be_edited(drafted, alice, hanoi, t02):
    notice = workflow.submit(drafted, alice)

    with pytest.raises(ConclusionStateError):
        drafting.save_draft(notice, alice, summary="", items=two_tasks(hanoi, t02))


def test_an_empty_draft_cannot_be_submitted(national, alice):
    notice = drafting.start(national, alice)

    with pytest.raises(ConclusionError) as refused:
        workflow.submit(notice, alice)

    assert refused.value.code == "no_items"


def test_returned_notice_is_a_draft_again_with_the_comment_audited(drafted, alice, dung):
    notice = workflow.submit(drafted, alice)

    notice = workflow.return_to_draft(notice, dung, "Thêm hạn cho mục 1.")

    assert (notice.state, notice.submitted_by) == (NoticeState.DRAFT, None)
    assert AuditEntry.objects.get(action="conclusions.returned").changes == {
        "comment": "Thêm hạn cho mục 1."
    }


def test_signing_numbers_the_notice_and_holds_its_pdf_back(drafted, alice, dung):
    notice = workflow.sign(approved(drafted, alice, dung), dung)

    version = notice.record.versions.get()
    assert notice.state == NoticeState.SIGNED
    assert notice.number_symbol == f"{notice.number:02d}/TB-VPCP"
    assert (version.status, version.content_type, len(version.sha256)) == (
        RecordStatus.DRAFT,
        "application/pdf",
        64,
    )


def test_publishing_makes_one_task_per_item_and_office_due_in_working_days(
    drafted, alice, dung, hanoi, t02
):
    notice = workflow.sign(approved(drafted, alice, dung), dung)

    notice = workflow.publish(notice, alice)

    today = timezone.localdate()
    tasks = sorted(
        (task.item.position, task.office.code, task.deadline_on)
        for task in Task.objects.select_related("item", "office")
    )
    in_30_days = drafted.items.get(position=3).deadline_on
    assert tasks == [
        (2, "VP-HN", add_working_days(today, 5)),
        (3, "VP-HN", in_30_days),
        (3, "VP-T02", in_30_days),
    ]
    assert notice.state == NoticeState.PUBLISHED
    assert notice.record.versions.get().status == RecordStatus.PUBLISHED


def test_publishing_twice_is_refused(drafted, alice, dung):
    notice = workflow.publish(workflow.sign(approved(drafted, alice, dung), dung), alice)

    with pytest.raises(ConclusionStateError):
        workflow.publish(notice, alice)
    assert Task.objects.count() == 3


def test_a_task_may_go_only_to_an_office_of_the_session(national, alice, tam):
    notice = drafting.start(national, alice)
    t03 = tam.offices.get()

    with pytest.raises(ConclusionError) as refused:
        drafting.save_draft(
            notice,
            alice,
            summary="",
            items=[
                drafting.ItemDraft(
                    "Việc", is_task=True, office_ids=[t03.pk], deadline_working_days=2
                )
            ],
        )

    assert (refused.value.code, refused.value.field) == ("office_not_in_session", "items.1.offices")
    assert notice.items.count() == 0


def test_a_task_needs_exactly_one_deadline(national, alice, hanoi):
    notice = drafting.start(national, alice)

    with pytest.raises(ConclusionError) as refused:
        drafting.save_draft(
            notice,
            alice,
            summary="",
            items=[
                drafting.ItemDraft(
                    "Việc",
                    is_task=True,
                    office_ids=[hanoi.pk],
                    deadline_on=date(2027, 1, 5),
                    deadline_working_days=2,
                )
            ],
        )

    assert refused.value.code == "deadline_required"


def test_a_stale_save_is_refused(drafted, alice, hanoi, t02):
    with pytest.raises(ConclusionStateError) as refused:
        drafting.save_draft(
            drafted, alice, summary="", items=two_tasks(hanoi, t02), expected_version=1
        )

    assert refused.value.code == "stale"


def test_the_notice_is_due_five_working_days_after_the_session(drafted, national):
    ended = timezone.localdate(national.conference.end)

    assert drafted.due_on == add_working_days(ended, 5)


def test_the_signed_pdf_is_a_valid_pades_signature_of_the_whole_document(drafted, alice, dung):
    notice = workflow.sign(approved(drafted, alice, dung), dung)

    version = notice.record.versions.get()
    pdf = b"".join(storage.open_chunks(version.key))
    report = validate_pdf(pdf)
    assert report.status == "valid"
    assert [signature.covers_whole_document for signature in report.signatures] == [True]


def test_without_a_signer_signing_is_refused_and_no_number_is_spent(drafted, alice, dung, settings):
    settings.SIGNING_PKCS12_FILE = ""
    settings.SIGNING_PKCS11_MODULE = ""
    notice = approved(drafted, alice, dung)

    with pytest.raises(ConclusionStateError) as refused:
        workflow.sign(notice, dung)

    assert refused.value.code == "signing_unavailable"
    assert DocumentNumber.objects.count() == 0
