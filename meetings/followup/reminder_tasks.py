"""The reminder sweep as a periodic task: each run sends what is owed
(meetings.followup.reminders) and enqueues the next run TASK_REMINDER_SWEEP_SECONDS
later, whatever happened. `manage.py send_task_reminders --schedule` (bin/run prepare)
starts the chain unless a run is already waiting, as the records' sweep does."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.followup import reminders

FINISHED = ["SUCCESSFUL", "FAILED"]
# A sweep takes seconds; one "running" for longer than this died with its worker.
SWEEP_DEAD_AFTER = timedelta(hours=3)


@task(queue_name="default")
def send_reminders_task() -> int:
    try:
        return reminders.send_due()
    finally:
        schedule(timezone.now() + timedelta(seconds=settings.TASK_REMINDER_SWEEP_SECONDS))


def schedule(run_after=None) -> None:
    send_reminders_task.using(run_after=run_after).enqueue()


def waiting() -> bool:
    died_before = timezone.now() - SWEEP_DEAD_AFTER
    return (
        DBTaskResult.objects.filter(task_path=send_reminders_task.module_path)
        .exclude(status__in=FINISHED)
        .exclude(status="RUNNING", started_at__lt=died_before)
        .exists()
    )
