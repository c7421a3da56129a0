"""Days off ahead of today for the series tests, found in the calendar rather than
written as dates, so the tests hold whatever day they run on."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tests.factories import LOCAL_ZONE
from workdays import calendar
from workdays.models import AnnouncedDay, AnnouncedKind

DAY_OFF_NAME = "Nghỉ bù (Công văn 1234/TB-VPCP)"


def today() -> date:
    return timezone.localdate(timezone=LOCAL_ZONE)


def at_eight(day: date) -> datetime:
    return datetime.combine(day, time(8), LOCAL_ZONE)


def public_holiday_ahead() -> tuple[date, str]:
    """The first public holiday on a weekday at least three days ahead whose next working
    day comes within the week, with its Vietnamese name."""
    day = today() + timedelta(days=3)
    while True:
        name = calendar.public_year(day.year).holidays.get(day)
        if name and day.weekday() < 5 and calendar.next_working_day(day) < day + timedelta(days=7):
            return day, name
        day += timedelta(days=1)


def announced_day_off_ahead() -> date:
    """A working Monday to Thursday at least three days ahead, followed by a working day,
    announced as a day off."""
    day = today() + timedelta(days=3)
    while not (
        day.weekday() < 4
        and calendar.is_working_day(day)
        and calendar.is_working_day(day + timedelta(days=1))
    ):
        day += timedelta(days=1)
    AnnouncedDay.objects.create(day=day, kind=AnnouncedKind.DAY_OFF, name=DAY_OFF_NAME)
    return day
