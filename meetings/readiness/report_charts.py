"""The readiness report's pictures: each province's sites on time, late and never ready
as bars, and the ready sites over the readiness window as a line.

Numbers come from the report's own summary (conferencing.readiness_report) and from
the event log (conferencing.readiness_timeline, one query); the geometry from
conferencing.charts; the words, translated, from here.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from conferencing.charts import BarChart, LineChart, line_chart, nice_ceiling, stacked_bars
from conferencing.models import Conference
from conferencing.readiness_report import PUNCTUALITY_LABELS, Punctuality, ReadinessSummary
from conferencing.readiness_timeline import Timeline, ready_over_time
from conferencing.watch_policy import BoardPart
from meetings.views.common import grouped

# Labels under the time axis: the fewest minutes apart that leave at most this many.
MAX_TIME_LABELS = 8
LABEL_MINUTES = (5, 10, 15, 30, 60, 120, 180, 360, 720)


@dataclass(frozen=True)
class ReportCharts:
    provinces: BarChart
    provinces_summary: str
    ready: LineChart
    ready_summary: str


def clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def province_bars(summary: ReadinessSummary) -> tuple[BarChart, str]:
    keys = list(PUNCTUALITY_LABELS)
    chart = stacked_bars(
        [
            (name or _("Central level"), [counts[key] for key in keys])
            for name, counts in summary.by_province.items()
        ],
        [(key, str(label)) for key, label in PUNCTUALITY_LABELS.items()],
    )
    totals = summary.totals
    text = _(
        "Readiness by province, %(provinces)s provinces: %(on_time)s sites ready on time, "
        "%(late)s late, %(never)s never ready."
    ) % {
        "provinces": grouped(len(summary.by_province)),
        "on_time": grouped(totals[Punctuality.ON_TIME]),
        "late": grouped(totals[Punctuality.LATE]),
        "never": grouped(totals[Punctuality.NEVER]),
    }
    return chart, text


def label_every(length: timedelta) -> timedelta:
    minutes = length.total_seconds() / 60
    for every in LABEL_MINUTES:
        if minutes / every <= MAX_TIME_LABELS - 1:
            return timedelta(minutes=every)
    return timedelta(minutes=LABEL_MINUTES[-1])


def ready_line(timeline: Timeline, sites: int) -> tuple[LineChart, str]:
    """The ready sites from the opening of the window, on a scale up to the number of
    sites; the start is marked."""
    opens, last = timeline.moments[0], timeline.moments[-1]

    def minutes(moment: datetime) -> float:
        return (moment - opens).total_seconds() / 60

    every = label_every(last - opens)
    # The labels on round times of the day from the opening on: 07:15, 07:30 …
    local_opens = timezone.localtime(opens)
    midnight = local_opens.replace(hour=0, minute=0, second=0, microsecond=0)
    ticks = []
    tick = midnight + every * math.ceil((local_opens - midnight) / every)
    while tick <= last:
        ticks.append((minutes(tick), clock(tick)))
        tick += every
    chart = line_chart(
        [minutes(moment) for moment in timeline.moments],
        [clock(moment) for moment in timeline.moments],
        [("ready", _("Ready sites"), list(timeline.ready))],
        x_ticks=ticks,
        moments=[(minutes(timeline.start), _("Start %(time)s") % {"time": clock(timeline.start)})],
        top=nice_ceiling(max(sites, *timeline.ready)),
        step=True,
    )
    at_start = next(
        (
            ready
            for moment, ready in zip(timeline.moments, timeline.ready, strict=True)
            if moment == timeline.start
        ),
        None,
    )
    text = _(
        "Ready sites from %(opens)s to %(last)s, of %(sites)s: %(at_start)s at the start, "
        "%(last_count)s at %(last)s."
    ) % {
        "opens": clock(opens),
        "last": clock(last),
        "sites": grouped(sites),
        "at_start": "—" if at_start is None else grouped(at_start),
        "last_count": grouped(timeline.ready[-1]),
    }
    return chart, text


def report_charts(
    conference: Conference, summary: ReadinessSummary, part: BoardPart, now: datetime
) -> ReportCharts:
    """The report's two pictures of `part`; no query (the summary read the event log)."""
    provinces, provinces_summary = province_bars(summary)
    timeline = ready_over_time(conference, now, part, summary.transitions)
    ready, ready_summary = ready_line(timeline, len(summary.sites))
    return ReportCharts(provinces, provinces_summary, ready, ready_summary)
