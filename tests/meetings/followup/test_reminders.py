"""Reminders: N working days before the deadline (across a holiday), once when overdue,
then weekly, never twice for the same reason, to the assigned office's secretariat."""

from datetime import date

import pytest
from django.core import mail

from meetings.followup import reminders
from meetings.followup.models import ReminderReason, SentReminder
from tests.meetings.followup.conftest import published_task

# 02/09/2026 (Wednesday) is National Day, 01/09 its extra day off, and 31/08 (Monday) is
# off in exchange for the make-up Saturday 22/08 (holidays 0.109).
DEADLINE = date(2026, 9, 3)  # Thursday


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def due(national, hanoi, hana):
    hana.email = "hana@example.vn"
    hana.save()
    return published_task(national, hanoi, DEADLINE)


def test_two_working_days_before_counts_across_the_holiday(due):
    # From Thursday 27/08: Friday 28/08 and Thursday 03/09 are the two working days left,
    # although the deadline is a week away; from Wednesday 26/08 there are three.
    too_early = reminders.send_due(date(2026, 8, 26))
    sent = reminders.send_due(date(2026, 8, 27))

    assert (too_early, sent) == (0, 1)
    assert mail.outbox[0].to == ["hana@example.vn"]
    assert "03/09/2026" in mail.outbox[0].subject


def test_never_twice_for_the_same_reason(due):
    first = reminders.send_due(date(2026, 8, 31))
    again = reminders.send_due(date(2026, 9, 3))

    assert (first, again) == (1, 0)
    assert SentReminder.objects.get().reason == ReminderReason.DUE_SOON


def test_overdue_once_then_weekly(due):
    sent = [reminders.send_due(date(2026, 9, day)) for day in (4, 5, 10, 11, 18)]

    assert sent == [1, 0, 0, 1, 1]
    assert list(SentReminder.objects.order_by("round").values_list("reason", "round")) == [
        (ReminderReason.OVERDUE, 0),
        (ReminderReason.OVERDUE, 1),
        (ReminderReason.OVERDUE, 2),
    ]


def test_a_done_task_is_never_reminded(due):
    due.state = "done"
    due.save()

    assert reminders.send_due(date(2026, 9, 10)) == 0
    assert mail.outbox == []


def test_a_failed_send_is_tried_again_at_the_next_sweep(due, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(reminders, "message", broken)
    with pytest.raises(OSError):
        reminders.send_due(date(2026, 9, 1))
    monkeypatch.undo()

    assert SentReminder.objects.count() == 0
    assert reminders.send_due(date(2026, 9, 1)) == 1
