"""Deadlines in working days (meetings.conclusions.deadlines) on fixed dates: a notice due
5 working days after the session, across a weekend and across Tết 2027, and the countdown
the pages show, overdue included."""

from datetime import UTC, date, datetime

import pytest

from meetings.conclusions import deadlines

pytestmark = pytest.mark.django_db


def test_a_notice_is_due_five_working_days_after_a_monday_session():
    # Monday 7 December 2026, 10:00 in Hà Nội.
    end = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)

    assert deadlines.notice_due_on(end) == date(2026, 12, 14)


def test_a_session_ending_late_in_the_evening_counts_from_its_local_day():
    # 23:30 on Friday 11 December in Hà Nội is 16:30 UTC the same day.
    end = datetime(2026, 12, 11, 16, 30, tzinfo=UTC)

    assert deadlines.notice_due_on(end) == date(2026, 12, 18)


def test_a_notice_due_across_tet_skips_the_holidays(settings):
    # Tết Đinh Mùi: the days off run from Thursday 4 to Wednesday 10 February 2027
    # (holidays 0.109, VN); then Thu 11, Fri 12, Mon 15, Tue 16, Wed 17.
    end = datetime(2027, 2, 3, 3, 0, tzinfo=UTC)  # Wednesday 3 February

    due = deadlines.notice_due_on(end)

    assert due == date(2027, 2, 17)
    assert deadlines.countdown(due, today=date(2027, 2, 3)).remaining == 5
    assert deadlines.countdown(due, today=date(2027, 2, 9)).label == "5 working days left"


def test_the_working_days_setting_moves_the_deadline(settings):
    settings.CONCLUSION_NOTICE_WORKING_DAYS = 1
    end = datetime(2026, 12, 11, 3, 0, tzinfo=UTC)  # Friday

    assert deadlines.notice_due_on(end) == date(2026, 12, 14)


def test_the_countdown_counts_working_days_left():
    countdown = deadlines.countdown(date(2026, 12, 14), today=date(2026, 12, 9))

    assert (countdown.remaining, countdown.passed, countdown.label) == (
        3,
        False,
        "3 working days left",
    )
    assert countdown.css_class == "deadline-ok"


def test_the_countdown_on_the_day_itself_says_due_today():
    countdown = deadlines.countdown(date(2026, 12, 14), today=date(2026, 12, 14))

    assert (countdown.label, countdown.css_class) == ("due today", "deadline-near")


def test_an_overdue_notice_counts_working_days_late_and_is_marked():
    countdown = deadlines.countdown(date(2026, 12, 14), today=date(2026, 12, 16))

    assert (countdown.overdue, countdown.passed, countdown.label) == (
        2,
        True,
        "2 working days overdue",
    )
    assert countdown.css_class == "deadline-overdue"


def test_late_by_a_weekend_only_is_overdue_by_no_working_day_yet():
    countdown = deadlines.countdown(date(2026, 12, 11), today=date(2026, 12, 12))

    assert (countdown.overdue, countdown.passed) == (0, True)
    assert countdown.label == "overdue since 11/12/2026"


def test_a_task_due_in_working_days_counts_from_publishing():
    due = deadlines.task_deadline(deadline_on=None, working_days=3, published_on=date(2026, 12, 11))

    assert due == date(2026, 12, 16)


def test_a_task_with_a_date_keeps_it():
    due = deadlines.task_deadline(
        deadline_on=date(2027, 1, 5), working_days=None, published_on=date(2026, 12, 11)
    )

    assert due == date(2027, 1, 5)
