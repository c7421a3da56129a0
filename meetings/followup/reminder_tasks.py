"""The reminder sweep as a periodic task (a chain of periodic/chains.py): each run sends
what is owed (meetings.followup.reminders), then the next one runs
TASK_REMINDER_SWEEP_SECONDS later. `manage.py send_task_reminders --schedule` (bin/run
prepare) starts the chain unless a run is already waiting."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task

from meetings.followup import reminders
from periodic.chains import Chain


def sweep_interval() -> timedelta:
    return timedelta(seconds=settings.TASK_REMINDER_SWEEP_SECONDS)


@task(queue_name="default")
def send_reminders_task() -> int:
    with SWEEP.repeating():
        return reminders.send_due()


SWEEP = Chain(send_reminders_task, interval=sweep_interval)
