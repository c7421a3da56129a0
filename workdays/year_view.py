"""One year of the calendar as the central office reads it: every public holiday, every
package make-up Saturday and every announced day, in date order (one query)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from workdays.calendar import Announced, WorkingCalendar, public_year
from workdays.models import AnnouncedDay, AnnouncedKind


@dataclass(frozen=True)
class DayEntry:
    day: date
    name: str
    kind_label: str
    is_working_day: bool
    announced: AnnouncedDay | None  # removable when set


@dataclass(frozen=True)
class YearView:
    year: int
    entries: list[DayEntry]
    working_days: int


def year_view(year: int) -> YearView:
    announced = list(AnnouncedDay.objects.in_year(year))
    by_day = {row.day: row for row in announced}
    public = public_year(year)
    entries = [
        DayEntry(day, name, _("Public holiday"), False, None)
        for day, name in public.holidays.items()
        if day not in by_day
    ]
    entries += [
        DayEntry(day, _("Make-up working day"), _("Make-up working day"), True, None)
        for day in public.weekend_workdays
        if day not in by_day
    ]
    entries += [
        DayEntry(
            row.day,
            row.name,
            _("Announced day off")
            if row.kind == AnnouncedKind.DAY_OFF
            else _("Announced make-up working day"),
            row.kind == AnnouncedKind.WORKING_DAY,
            row,
        )
        for row in announced
    ]
    # The year's own announcements are all that matter for counting inside it.
    calendar = WorkingCalendar({row.day: Announced(row.kind, row.name) for row in announced})
    return YearView(
        year=year,
        entries=sorted(entries, key=lambda entry: entry.day),
        working_days=calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)),
    )
