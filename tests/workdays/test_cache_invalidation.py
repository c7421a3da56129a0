"""The cached announced days follow every change, from this process or another."""

from datetime import date

import pytest

from workdays import calendar
from workdays.models import AnnouncedDay, AnnouncedKind, CalendarRevision
from workdays.revision import current_token

pytestmark = pytest.mark.django_db

SATURDAY = date(2027, 3, 6)


def test_new_announced_day_is_seen_after_the_year_was_cached():
    assert calendar.is_working_day(SATURDAY) is False

    AnnouncedDay.objects.create(day=SATURDAY, kind=AnnouncedKind.WORKING_DAY, name="Làm bù")

    assert calendar.is_working_day(SATURDAY) is True


def test_removed_announced_day_is_forgotten():
    announced = AnnouncedDay.objects.create(
        day=SATURDAY, kind=AnnouncedKind.WORKING_DAY, name="Làm bù"
    )
    assert calendar.is_working_day(SATURDAY) is True

    announced.delete()

    assert calendar.is_working_day(SATURDAY) is False


def test_change_made_by_another_process_is_seen():
    # Another process writes rows and the token directly; this process's cache is warm.
    assert calendar.is_working_day(SATURDAY) is False
    AnnouncedDay.objects.bulk_create(
        [AnnouncedDay(day=SATURDAY, kind=AnnouncedKind.WORKING_DAY, name="Làm bù")]
    )
    assert calendar.is_working_day(SATURDAY) is False  # bulk writes send no signal

    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": "from-another-process"})

    assert calendar.is_working_day(SATURDAY) is True


def test_every_change_writes_a_new_token():
    before = current_token()

    AnnouncedDay.objects.create(day=SATURDAY, kind=AnnouncedKind.WORKING_DAY, name="Làm bù")

    assert current_token() not in ("", before)
