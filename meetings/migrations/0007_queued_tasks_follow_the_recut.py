"""Queued tasks follow their functions to the re-cut packages (issue 12).

django-tasks-db stores each task by its import path; a task waiting in the queue
under an old path (the hourly upload sweep always is) would fail to import, and the
checks that look a task up by its path (`--schedule`, stalled verifications) would
miss it and enqueue it twice. No table changes: the models that moved kept their
app label and tables.
"""

from django.db import migrations

# Each task's import path before the re-cut -> after it.
MOVED_TASKS = {
    "meetings.record_tasks.verify_recording_task": (
        "meetings.records.verification.verify_recording_task"
    ),
    "meetings.record_tasks.verify_document_upload_task": (
        "meetings.records.document_uploads.verify_document_upload_task"
    ),
    "meetings.record_tasks.abort_abandoned_uploads_task": (
        "meetings.records.tasks.abort_abandoned_uploads_task"
    ),
    "meetings.record_strays.remove_stray_object_task": "meetings.records.strays.remove_stray_object_task",
    "meetings.invitations.send_invitations": "meetings.calendar.invitations.send_invitations",
    "meetings.readiness_notice.send_readiness_notice": (
        "meetings.readiness.notice.send_readiness_notice"
    ),
}


def rename(apps, schema_editor, moves: dict[str, str]) -> None:
    task_results = apps.get_model("django_tasks_database", "DBTaskResult").objects
    for old, new in moves.items():
        task_results.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, MOVED_TASKS)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in MOVED_TASKS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_feeds_stamp_and_validators"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
