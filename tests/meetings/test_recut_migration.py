"""The re-cut of meetings (issue 12) moved models to meetings/records and
meetings/calendar without moving their tables: a database migrated to the head
before it, with data in every table of the app, migrates forward with nothing lost,
and queued tasks follow their functions to their new modules."""

import pytest
from django.apps import apps
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from tests.historical import bridge as historical_bridge
from tests.historical import (
    counts,
    latest,
    meeting,
    meetings_rows,
    migrate,
    models_at,
    site_rows,
    user,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The head before the re-cut; conferencing before offices, whose columns the rows below
# could not fill (meetings 0006 does not depend on them, so they could stay applied).
HEAD_BEFORE_THE_RECUT = [
    ("meetings", "0006_feeds_stamp_and_validators"),
    ("conferencing", "0005_readiness"),
]

QUEUED_BEFORE = {
    "meetings.record_tasks.verify_recording_task": (
        "meetings.records.verification.verify_recording_task"
    ),
    "meetings.record_tasks.verify_document_upload_task": (
        "meetings.records.document_uploads.verify_document_upload_task"
    ),
    "meetings.record_strays.remove_stray_object_task": (
        "meetings.records.strays.remove_stray_object_task"
    ),
    "meetings.record_tasks.abort_abandoned_uploads_task": (
        "meetings.records.tasks.abort_abandoned_uploads_task"
    ),
    "meetings.invitations.send_invitations": "meetings.calendar.invitations.send_invitations",
    "meetings.readiness_notice.send_readiness_notice": (
        "meetings.readiness.notice.send_readiness_notice"
    ),
}


def rows_of_every_table() -> tuple[dict[str, int], list[int]]:
    """Something in each table of the meetings app, written with the models as they were
    before the re-cut."""
    old = models_at(HEAD_BEFORE_THE_RECUT)
    alice = user(old, "alice", "Secretariat")
    carol = user(old, "carol", "Attendee")
    sites = site_rows(old)
    session = meeting(old, alice, historical_bridge(old, "MCU 1"), [sites["T01"]])
    meetings_rows(old, alice, carol, session)
    queued = [
        DBTaskResult.objects.create(
            task_path=old_path,
            queue_name="default",
            args_kwargs={"args": [], "kwargs": {}},
            run_after=timezone.now(),
            backend_name="default",
        ).pk
        for old_path in QUEUED_BEFORE
    ]
    return counts(old, "meetings"), queued


def test_a_database_from_before_the_recut_migrates_forward_with_nothing_lost():
    migrate(HEAD_BEFORE_THE_RECUT)
    before, queued = rows_of_every_table()

    migrate(latest())

    assert 0 not in before.values()
    # Tables made by later migrations are left aside (the search index, filled with the
    # session by its migration): every table of before the re-cut keeps its rows.
    after = counts(apps, "meetings")
    assert {table: after[table] for table in before} == before
    assert sorted(
        DBTaskResult.objects.filter(pk__in=queued).values_list("task_path", flat=True)
    ) == sorted(QUEUED_BEFORE.values())
    assert all(isinstance(import_string(path), Task) for path in QUEUED_BEFORE.values())
