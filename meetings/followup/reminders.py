"""Reminder e-mails to the assigned office's secretariat: once when the deadline is
TASK_REMINDER_WORKING_DAYS working days away or closer, once on the first day after it,
then once a week while the task stays open. Never twice for the same reason: each
reminder is a SentReminder row (task, reason, deadline, round) under a unique
constraint, written in the transaction that sends it; a failed send rolls the row back
and the next sweep tries again. An extension gives a new deadline, hence new reminders.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from meetings.conclusions.models import Task, TaskState
from meetings.followup.export import day
from meetings.followup.models import ReminderReason, SentReminder
from workdays.calendar import WorkingCalendar, snapshot

OVERDUE_EVERY_DAYS = 7


@dataclass(frozen=True)
class Due:
    task: Task
    reason: str
    round: int


def due_reminders(today: date) -> list[Due]:
    """The reminders owed today, not yet sent. Two queries whatever the number of tasks."""
    calendar = snapshot()
    horizon = calendar.add_working_days(today, settings.TASK_REMINDER_WORKING_DAYS)
    tasks = list(
        Task.objects.exclude(state=TaskState.DONE)
        .filter(deadline_on__lte=horizon)
        .select_related("office", "item__notice")
        .order_by("deadline_on", "pk")
    )
    sent = set(
        SentReminder.objects.filter(task__in=[task.pk for task in tasks]).values_list(
            "task_id", "reason", "deadline_on", "round"
        )
    )
    owed = []
    for task in tasks:
        due = reminder_for(task, today, calendar)
        if due and (task.pk, due.reason, task.deadline_on, due.round) not in sent:
            owed.append(due)
    return owed


def reminder_for(task: Task, today: date, calendar: WorkingCalendar) -> Due | None:
    if today > task.deadline_on:
        late_by = (today - task.deadline_on).days - 1
        return Due(task, ReminderReason.OVERDUE, late_by // OVERDUE_EVERY_DAYS)
    if (
        calendar.working_days_between(today, task.deadline_on)
        <= settings.TASK_REMINDER_WORKING_DAYS
    ):
        return Due(task, ReminderReason.DUE_SOON, 0)
    return None


def recipients(task: Task) -> list[str]:
    return sorted(
        set(
            task.office.members.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def message(due: Due, to: list[str]) -> EmailMessage:
    task = due.task
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "overdue": due.reason == ReminderReason.OVERDUE,
            "office": task.office.name,
            "text": task.item.text,
            "notice": task.item.notice.number_symbol,
            "deadline": day(task.deadline_on),
            "percent": task.percent,
            "link": settings.SITE_URL.rstrip("/") + reverse("followup:task", args=[task.pk]),
        }
        subject = render_to_string("meetings/followup/reminder_subject.txt", context).strip()
        body = render_to_string("meetings/followup/reminder_email.txt", context)
    return EmailMessage(subject, body, to=to)


def send_due(today: date | None = None) -> int:
    """Send every reminder owed today; how many were sent."""
    today = today or timezone.localdate()
    count = 0
    for due in due_reminders(today):
        to = recipients(due.task)
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    task=due.task,
                    reason=due.reason,
                    deadline_on=due.task.deadline_on,
                    round=due.round,
                    recipients=len(to),
                )
                if to:
                    with mailers.default as connection:
                        connection.send_messages([message(due, to)])
        except IntegrityError:
            continue  # another sweep sent it meanwhile
        count += 1
    return count
