"""Working days: not a weekend, not a public holiday, counting announced changes.

Public holidays come from the `holidays` package (Vietnam, names in Vietnamese), which
also knows the make-up Saturdays announced up to its release (22/08/2026). The days the
Government announces later are `AnnouncedDay` rows and win over both.

Costs: the package's holidays are computed once per year per process; the announced days
are read once per process and again only after one changes (workdays.revision). Each
call of the functions below then costs one small query (the revision token). A loop over
many dates should take one `snapshot()` and ask it instead: no query after the first.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

from workdays.models import AnnouncedDay, AnnouncedKind
from workdays.revision import current_token

# No real calendar has a year without a working day; this bounds a search through
# announced data that says otherwise instead of looping for ever.
SEARCH_LIMIT_DAYS = 3 * 366
SATURDAY = 5


@dataclass(frozen=True)
class PublicYear:
    """What the holidays package says about one year."""

    holidays: Mapping[date, str]
    weekend_workdays: frozenset[date]


@lru_cache(maxsize=64)
def public_year(year: int) -> PublicYear:
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    return PublicYear(
        holidays=MappingProxyType(dict(calendar.items())),
        weekend_workdays=frozenset(d for d in calendar.weekend_workdays if d.year == year),
    )


@dataclass(frozen=True)
class Announced:
    kind: str
    name: str


# (token, announced days) of this process; replaced whole, never changed in place, so
# threads of one process can read it without a lock.
_announced_cache: tuple[str, Mapping[date, Announced]] | None = None


def _announced_days(token: str) -> Mapping[date, Announced]:
    global _announced_cache
    cached = _announced_cache
    if cached is not None and cached[0] == token:
        return cached[1]
    days = MappingProxyType(
        {
            day: Announced(kind=kind, name=name)
            for day, kind, name in AnnouncedDay.objects.values_list("day", "kind", "name")
        }
    )
    _announced_cache = (token, days)
    return days


class WorkingCalendar:
    """The calendar as of one moment: ask it many questions for the price of one."""

    def __init__(self, announced: Mapping[date, Announced]) -> None:
        self.announced = announced

    def is_working_day(self, day: date) -> bool:
        announced = self.announced.get(day)
        if announced is not None:
            return announced.kind == AnnouncedKind.WORKING_DAY
        public = public_year(day.year)
        if day in public.holidays:
            return False
        if day.weekday() >= SATURDAY:
            return day in public.weekend_workdays
        return True

    def day_off_name(self, day: date) -> str:
        """Why `day` is not worked: the announcement, the holiday, or "" for a plain
        weekend (and for a working day)."""
        announced = self.announced.get(day)
        if announced is not None:
            return announced.name if announced.kind == AnnouncedKind.DAY_OFF else ""
        return public_year(day.year).holidays.get(day, "")

    def next_working_day(self, day: date) -> date:
        for offset in range(SEARCH_LIMIT_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {SEARCH_LIMIT_DAYS} days of {day}")

    def add_working_days(self, start: date, n: int) -> date:
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        for _ in range(n):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def working_days_between(self, start: date, end: date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )


def snapshot() -> WorkingCalendar:
    """The calendar as the database has it now (one query; two after a change)."""
    return WorkingCalendar(_announced_days(current_token()))


def is_working_day(day: date) -> bool:
    return snapshot().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (`start` itself never counts); n >= 1."""
    return snapshot().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative, counted the other way, if end < start."""
    return snapshot().working_days_between(start, end)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first one after it."""
    return snapshot().next_working_day(day)


def day_off_name(day: date) -> str:
    """The holiday's or the announcement's name of a day off ("" for a plain weekend)."""
    return snapshot().day_off_name(day)
