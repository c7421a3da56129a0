"""The reminder sweep is a periodic chain: scheduled once however often the start runs,
and each run enqueues the next."""

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from meetings.followup.reminder_tasks import SWEEP, send_reminders_task


def waiting_runs() -> int:
    return DBTaskResult.objects.filter(
        task_path=send_reminders_task.module_path, status="READY"
    ).count()


def test_the_reminders_are_scheduled_once(db):
    call_command("send_task_reminders", "--schedule")
    call_command("send_task_reminders", "--schedule")

    assert SWEEP.waiting()
    assert waiting_runs() == 1


def test_a_run_with_nothing_owed_sends_nothing_and_enqueues_the_next(db, mailoutbox):
    assert send_reminders_task.call() == 0

    assert mailoutbox == []
    assert waiting_runs() == 1
