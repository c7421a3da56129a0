"""Deadlines of a conclusion notice and of its tasks, counted in working days
(workdays.calendar: weekends, Vietnamese public holidays, announced days off and
make-up working days), and the countdown the pages show.

A notice is due N working days after the day the session ended (setting
CONCLUSION_NOTICE_WORKING_DAYS, 5 by default: the Government's working rules); a task
is due on its date, or N working days after the notice was published.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workdays.calendar import WorkingCalendar, snapshot


def session_end_day(end: datetime) -> date:
    """The local (Asia/Ho_Chi_Minh) day a session ended on."""
    return timezone.localdate(end)


def notice_due_on(session_end: datetime, calendar: WorkingCalendar | None = None) -> date:
    """The day the notice must be published by. A loop passes one `calendar`
    (workdays.calendar.snapshot()): no query after the first."""
    calendar = calendar or snapshot()
    return calendar.add_working_days(
        session_end_day(session_end), settings.CONCLUSION_NOTICE_WORKING_DAYS
    )


def task_deadline(
    *,
    deadline_on: date | None,
    working_days: int | None,
    published_on: date,
    calendar: WorkingCalendar | None = None,
) -> date:
    """A task's deadline: its date, or `working_days` working days after publishing."""
    if deadline_on is not None:
        return deadline_on
    if working_days is None:
        raise ValueError("a task needs a date or a number of working days")
    return (calendar or snapshot()).add_working_days(published_on, working_days)


@dataclass(frozen=True)
class Countdown:
    """How far a deadline is from today, in working days: `remaining` working days left
    (0 on the day itself), or `overdue` working days late once the day has passed."""

    due_on: date
    remaining: int = 0
    overdue: int = 0
    passed: bool = False

    @property
    def label(self) -> str:
        if self.passed:
            if self.overdue == 0:
                # Due on a Friday, read on the Saturday: late, but by no working day yet.
                return _("overdue since %(day)s") % {"day": self.due_on.strftime("%d/%m/%Y")}
            return ngettext(
                "%(count)d working day overdue", "%(count)d working days overdue", self.overdue
            ) % {"count": self.overdue}
        if self.remaining == 0:
            return _("due today")
        return ngettext(
            "%(count)d working day left", "%(count)d working days left", self.remaining
        ) % {"count": self.remaining}

    @property
    def css_class(self) -> str:
        if self.passed:
            return "deadline-overdue"
        return "deadline-near" if self.remaining <= 1 else "deadline-ok"


def countdown(
    due_on: date, today: date | None = None, calendar: WorkingCalendar | None = None
) -> Countdown:
    """The countdown to `due_on` seen on `today` (the local date by default)."""
    today = timezone.localdate() if today is None else today
    calendar = calendar or snapshot()
    if today <= due_on:
        return Countdown(due_on, remaining=calendar.working_days_between(today, due_on))
    return Countdown(due_on, overdue=calendar.working_days_between(due_on, today), passed=True)
