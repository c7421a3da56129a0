"""The records queue: a recording whose verification gave up (a long storage outage) or
was lost is verified again by the hourly sweep, once (the sweep's own schedule is a chain
of periodic/chains.py, tested in tests/periodic)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.records.models import RecordKind, RecordStatus, RecordVersion
from meetings.records.tasks import (
    abort_abandoned_uploads_task,
    resume_stalled_verifications,
)
from meetings.records.verification import verify_recording_task
from tests.factories import RecordFactory, stored_version
from tests.meetings.records.helpers import WEBM, local_storage, run_records_worker, session


@pytest.fixture(autouse=True)
def local(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def meeting(alice):
    return session(alice)


def verifying(meeting, alice, hours_ago: float) -> RecordVersion:
    version = stored_version(
        WEBM + bytes(100),
        record=RecordFactory(meeting=meeting, kind=RecordKind.RECORDING),
        content_type="video/webm",
        status=RecordStatus.VERIFYING,
        sha256="",
        uploaded_by=alice,
    )
    RecordVersion.objects.filter(pk=version.pk).update(
        uploaded_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return version


def waiting_verifications() -> list[int]:
    return [
        result["args"][0]
        for result in DBTaskResult.objects.filter(task_path=verify_recording_task.module_path)
        .exclude(status__in=["SUCCESSFUL", "FAILED"])
        .values_list("args_kwargs", flat=True)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_stalled_verification_is_enqueued_again_and_settles_the_recording(meeting, alice):
    version = verifying(meeting, alice, hours_ago=3)

    resumed = resume_stalled_verifications()
    run_records_worker()

    version.refresh_from_db()
    assert resumed == 1
    assert version.status == RecordStatus.AVAILABLE
    assert len(version.sha256) == 64


def test_a_recently_uploaded_recording_is_left_to_its_own_verification(meeting, alice):
    verifying(meeting, alice, hours_ago=0.5)

    assert resume_stalled_verifications() == 0
    assert waiting_verifications() == []


def test_a_recording_whose_verification_is_waiting_is_not_enqueued_twice(meeting, alice):
    version = verifying(meeting, alice, hours_ago=3)
    verify_recording_task.enqueue(version.pk)

    resumed = resume_stalled_verifications()

    assert resumed == 0
    assert waiting_verifications() == [version.pk]


def test_the_hourly_sweep_resumes_stalled_verifications(meeting, alice):
    version = verifying(meeting, alice, hours_ago=3)

    result = abort_abandoned_uploads_task.call()

    assert result["verifications_resumed"] == 1
    assert waiting_verifications() == [version.pk]
