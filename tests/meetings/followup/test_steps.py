"""A task through extension and completion across two offices: Hà Nội (assigned)
reports, the centre (assigning) decides; the other province sees nothing."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEntry
from meetings.conclusions.models import TaskState
from meetings.followup import access, actions
from meetings.followup.models import EventKind, EvidenceFile, TaskEvent
from meetings.followup.transitions import WrongState
from meetings.records import storage


def test_extension_requested_by_the_province_and_granted_by_the_centre(task, hana, alice):
    asked_for = task.deadline_on + timedelta(days=14)

    actions.request_extension(hana, task, new_deadline=asked_for, reason="Chờ số liệu")
    waiting = task.state
    actions.decide_extension(alice, task, grant=True)

    assert waiting == TaskState.EXTENSION_REQUESTED
    assert task.state == TaskState.OPEN
    assert task.deadline_on == asked_for
    assert list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True)) == [
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_GRANTED,
    ]


def test_an_extension_refused_keeps_the_deadline_and_needs_a_reason(task, hana, alice):
    deadline = task.deadline_on
    actions.request_extension(hana, task, new_deadline=deadline + timedelta(days=3), reason="Lý do")

    with pytest.raises(actions.StepRefused):
        actions.decide_extension(alice, task, grant=False, reason=" ")
    actions.decide_extension(alice, task, grant=False, reason="Không đủ căn cứ")

    assert (task.state, task.deadline_on) == (TaskState.OPEN, deadline)


def test_completion_reported_sent_back_reported_again_and_accepted(task, hana, alice):
    actions.report_progress(hana, task, percent=40, note="Đang làm")
    actions.report_completion(hana, task, note="Xong")
    actions.decide_completion(alice, task, accept=False, reason="Thiếu báo cáo")
    sent_back = task.state
    actions.report_completion(hana, task, note="Đã bổ sung")
    actions.decide_completion(alice, task, accept=True)

    assert sent_back == TaskState.SENT_BACK
    assert (task.state, task.percent) == (TaskState.DONE, 100)
    accepted = TaskEvent.objects.get(task=task, kind=EventKind.ACCEPTED)
    assert accepted.completed_on == timezone.localdate()
    assert list(
        AuditEntry.objects.filter(target_type="conclusions.task")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "task.progress",
        "task.completion_reported",
        "task.sent_back",
        "task.completion_reported",
        "task.accepted",
    ]


def test_the_other_province_sees_and_does_nothing(task, tung):
    with pytest.raises(access.NoSuchTask):
        access.task_for(tung, task.pk)
    with pytest.raises(access.NoSuchTask):
        actions.report_progress(tung, task, percent=10)

    assert list(access.visible_tasks(tung)) == []


def test_the_assigned_office_may_not_decide_nor_the_assigning_office_report(task, hana, alice):
    actions.report_completion(hana, task)

    with pytest.raises(access.NoSuchTask):
        actions.decide_completion(hana, task, accept=True)
    with pytest.raises(access.NoSuchTask):
        actions.report_progress(alice, task, percent=50)


def test_a_decision_with_nothing_waiting_is_the_wrong_state(task, alice, hana):
    with pytest.raises(WrongState):
        actions.decide_completion(alice, task, accept=True)
    actions.report_completion(hana, task)
    actions.decide_completion(alice, task, accept=True)
    with pytest.raises(WrongState):
        actions.report_progress(hana, task, percent=10)

    assert TaskEvent.objects.filter(task=task).count() == 2


def test_evidence_is_stored_and_hashed(task, hana):
    upload = SimpleUploadedFile("báo cáo.pdf", b"%PDF-1.7 evidence", "application/pdf")

    event = actions.report_progress(hana, task, percent=60, files=[upload])

    stored = EvidenceFile.objects.get(event=event)
    assert (stored.name, stored.size) == ("báo cáo.pdf", 17)
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 evidence").hexdigest()
    assert b"".join(storage.open_chunks(stored.key)) == b"%PDF-1.7 evidence"


def test_evidence_too_big_is_refused_and_nothing_written(task, hana, settings):
    settings.TASK_EVIDENCE_MAX_BYTES = 4
    upload = SimpleUploadedFile("lớn.pdf", b"12345", "application/pdf")

    with pytest.raises(actions.StepRefused) as refused:
        actions.report_progress(hana, task, percent=60, files=[upload])

    assert refused.value.field == "files"
    assert TaskEvent.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
