"""An office's month at a glance: its sessions week by week, and how many of their sites
were ready on time.

The sessions are those the office owns (the acting office of its secretariat,
conferencing.jurisdiction), not cancelled, starting in the month (local time). A site is
ready on time when it reported ready (or connected) by the start, as the readiness
report judges it (conferencing.readiness_report); only sessions that have started
count towards the rate, and of those only the ones whose details the person may read
(meetings.visibility: a confidential session they are not invited to is counted as a
session, never looked into). One query for the whole month, whatever its sessions and
their sites.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from conferencing.instants import local_midnight
from conferencing.models import ConferenceStatus, Leg, Office, ReadinessEvent
from conferencing.readiness import READY_STATES
from meetings.models import Meeting, MeetingStatus
from meetings.visibility import details_flag


@dataclass(frozen=True)
class Week:
    """The days of one week (Monday to Sunday) that fall in the month."""

    first: date
    last: date
    held: int = 0  # sessions that have started
    upcoming: int = 0
    sites: int = 0  # sites of the started sessions the rate looks into
    on_time: int = 0

    @property
    def sessions(self) -> int:
        return self.held + self.upcoming

    @property
    def on_time_percent(self) -> int | None:
        """None for a week with no site to judge yet."""
        return round(100 * self.on_time / self.sites) if self.sites else None


@dataclass(frozen=True)
class MonthGlance:
    month: date  # its first day
    weeks: tuple[Week, ...]

    @property
    def sessions(self) -> int:
        return sum(week.sessions for week in self.weeks)

    @property
    def sites(self) -> int:
        return sum(week.sites for week in self.weeks)

    @property
    def on_time(self) -> int:
        return sum(week.on_time for week in self.weeks)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.sites) if self.sites else None


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def weeks_of(month: date) -> list[tuple[date, date]]:
    """Monday-to-Sunday weeks cut to the month: December 2026 (starting on a Tuesday)
    is 1-6, 7-13, 14-20, 21-27, 28-31."""
    end = next_month(month)
    weeks = []
    first = month
    while first < end:
        last = min(first + timedelta(days=6 - first.weekday()), end - timedelta(days=1))
        weeks.append((first, last))
        first = last + timedelta(days=1)
    return weeks


def month_glance(user: AbstractBaseUser, office: Office, month: date, now: datetime) -> MonthGlance:
    """The office's sessions starting in `month` (its first day), by week; one query."""
    legs = Leg.objects.filter(conference=OuterRef("conference"), is_reserved=True)
    ready_by_start = ReadinessEvent.objects.filter(
        leg=OuterRef("pk"),
        to_state__in=READY_STATES,
        at__lte=OuterRef(OuterRef("conference__start")),
    )

    def counted(queryset) -> Coalesce:
        per_conference = queryset.order_by().values("conference").annotate(n=Count("pk"))
        return Coalesce(Subquery(per_conference.values("n")), 0, output_field=IntegerField())

    rows = (
        Meeting.objects.filter(
            owner_office=office,
            conference__status=ConferenceStatus.SCHEDULED,
            conference__start__gte=local_midnight(month),
            conference__start__lt=local_midnight(next_month(month)),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(
            readable=details_flag(user),
            sites=counted(legs),
            on_time=counted(legs.filter(Exists(ready_by_start))),
        )
        .values_list("conference__start", "readable", "sites", "on_time")
        .order_by()
    )
    spans = weeks_of(month)
    tallies = [[0, 0, 0, 0] for _span in spans]  # held, upcoming, sites, on time
    for start, readable, sites, on_time in rows:
        day = timezone.localtime(start).date()
        tally = tallies[next(i for i, (first, last) in enumerate(spans) if first <= day <= last)]
        if start > now:
            tally[1] += 1
            continue
        tally[0] += 1
        if readable:
            tally[2] += sites
            tally[3] += on_time
    return MonthGlance(
        month=month,
        weeks=tuple(
            Week(first, last, *tally) for (first, last), tally in zip(spans, tallies, strict=True)
        ),
    )
