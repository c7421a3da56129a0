"""Working days across Tết, make-up Saturdays and announced changes."""

from datetime import date

import pytest

from workdays import calendar
from workdays.models import AnnouncedDay, AnnouncedKind

pytestmark = pytest.mark.django_db


def announce(day: date, kind: str, name: str) -> AnnouncedDay:
    return AnnouncedDay.objects.create(day=day, kind=kind, name=name)


def test_weekday_is_working_day():
    assert calendar.is_working_day(date(2026, 12, 8)) is True


def test_weekend_is_not_working_day():
    assert calendar.is_working_day(date(2026, 12, 12)) is False
    assert calendar.is_working_day(date(2026, 12, 13)) is False


def test_tet_2027_days_are_not_working_days():
    tet = [date(2027, 2, day) for day in range(4, 11)]

    assert [calendar.is_working_day(day) for day in tet] == [False] * 7


def test_working_days_across_tet_2027():
    # Mon 1/2 .. Fri 12/2/2027: Mon 1, Tue 2, Wed 3 worked, Thu 4 .. Wed 10 Tết, Thu 11, Fri 12.
    assert calendar.working_days_between(date(2027, 1, 31), date(2027, 2, 12)) == 5


def test_working_days_between_counts_backwards_negative():
    assert calendar.working_days_between(date(2027, 2, 12), date(2027, 1, 31)) == -5


def test_working_days_between_same_day_is_zero():
    assert calendar.working_days_between(date(2027, 2, 3), date(2027, 2, 3)) == 0


def test_add_working_days_over_tet_2027():
    # Wed 3/2/2027 + 1 working day: Tết runs Thu 4 .. Wed 10, so Thu 11/2.
    assert calendar.add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 11)
    assert calendar.add_working_days(date(2027, 2, 3), 5) == date(2027, 2, 17)


def test_conclusion_deadline_five_working_days_after_a_session_before_tet():
    # A session on Tue 2/2/2027: Wed 3, Thu 11, Fri 12, Mon 15, Tue 16.
    assert calendar.add_working_days(date(2027, 2, 2), 5) == date(2027, 2, 16)


def test_add_working_days_refuses_zero():
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2027, 2, 3), 0)


def test_make_up_saturday_of_the_holidays_package_is_working_day():
    # 22/08/2026 is worked in exchange for Monday 31/08/2026 off.
    assert calendar.is_working_day(date(2026, 8, 22)) is True
    assert calendar.is_working_day(date(2026, 8, 31)) is False


def test_working_days_across_the_packages_make_up_saturday():
    # Fri 21/8 .. Wed 2/9/2026: Fri 21, Sat 22, Mon 24 .. Fri 28 worked; 31/8, 1/9, 2/9 off.
    assert calendar.working_days_between(date(2026, 8, 20), date(2026, 9, 2)) == 7


def test_announced_make_up_saturday_is_working_day():
    saturday = date(2027, 1, 30)
    announce(saturday, AnnouncedKind.WORKING_DAY, "Làm bù cho ngày 04/02/2027")

    assert calendar.is_working_day(saturday) is True
    assert calendar.working_days_between(date(2027, 1, 29), date(2027, 2, 1)) == 2


def test_announced_day_off_is_not_working_day():
    bridge_day = date(2027, 2, 11)
    announce(bridge_day, AnnouncedKind.DAY_OFF, "Nghỉ Tết Nguyên Đán (văn bản 1234/TB-VPCP)")

    assert calendar.is_working_day(bridge_day) is False
    assert calendar.add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 12)
    assert calendar.day_off_name(bridge_day) == "Nghỉ Tết Nguyên Đán (văn bản 1234/TB-VPCP)"


def test_next_working_day_of_working_day_is_itself():
    assert calendar.next_working_day(date(2027, 2, 3)) == date(2027, 2, 3)


def test_next_working_day_after_tet_2027():
    assert calendar.next_working_day(date(2027, 2, 6)) == date(2027, 2, 11)


def test_day_off_name_is_the_holidays_vietnamese_name():
    assert calendar.day_off_name(date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert calendar.day_off_name(date(2027, 2, 3)) == ""
    assert calendar.day_off_name(date(2026, 12, 12)) == ""


def test_snapshot_answers_many_questions_without_queries(django_assert_num_queries):
    calendar.next_working_day(date(2027, 2, 6))  # warm: token and announced days read
    with django_assert_num_queries(1):
        warm = calendar.snapshot()

    with django_assert_num_queries(0):
        counts = [
            warm.working_days_between(date(2027, 1, 1), date(2027, m, 1)) for m in range(2, 13)
        ]

    # January 2027 has 20 working days after New Year's Day, and Monday 1/2 is one.
    assert counts[0] == 21


def test_warm_call_costs_one_query(django_assert_num_queries):
    calendar.is_working_day(date(2027, 2, 6))

    with django_assert_num_queries(1):
        calendar.add_working_days(date(2027, 2, 3), 30)
