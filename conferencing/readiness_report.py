"""After the session: who was ready on time, who was late, who never was."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conferencing.models import Conference, Leg, Level, ReadinessState
from conferencing.readiness_board import of_part, province_names, province_of
from conferencing.spreadsheet import csv_writer
from conferencing.watch_policy import WHOLE_BOARD, BoardPart


class Punctuality:
    ON_TIME = "on_time"
    LATE = "late"
    NEVER = "never"


PUNCTUALITY_LABELS = {
    Punctuality.ON_TIME: gettext_lazy("Ready on time"),
    Punctuality.LATE: gettext_lazy("Late"),
    Punctuality.NEVER: gettext_lazy("Never ready"),
}


@dataclass(frozen=True)
class SiteReadiness:
    site: str
    name: str
    level: str
    province: str
    first_ready_at: datetime | None
    final_state: str
    punctuality: str


@dataclass(frozen=True)
class ReadinessSummary:
    sites: list[SiteReadiness]
    by_province: dict[str, dict[str, int]]
    totals: dict[str, int]


def punctuality(first_ready_at: datetime | None, start: datetime) -> str:
    if first_ready_at is None:
        return Punctuality.NEVER
    return Punctuality.ON_TIME if first_ready_at <= start else Punctuality.LATE


def summarise(conference: Conference, part: BoardPart = WHOLE_BOARD) -> ReadinessSummary:
    """The sites of `part` (the whole session by default); two queries whatever their
    number. A site counts as ready when it first reported ready or connected."""
    provinces = province_names()
    rows = (
        of_part(Leg.objects.filter(conference=conference), part)
        .annotate(
            first_ready_at=Min(
                "events__at",
                filter=Q(events__to_state__in=[ReadinessState.READY, ReadinessState.CONNECTED]),
            )
        )
        .order_by("endpoint__path")
        .values(
            "endpoint__code",
            "endpoint__name",
            "endpoint__level",
            "endpoint__path",
            "state",
            "first_ready_at",
        )
    )
    sites = []
    for row in rows:
        province = province_of(row["endpoint__path"], provinces)
        sites.append(
            SiteReadiness(
                site=row["endpoint__code"],
                name=row["endpoint__name"],
                level=Level(row["endpoint__level"]).slug,
                province=province[1] if province else "",
                first_ready_at=row["first_ready_at"],
                final_state=row["state"],
                punctuality=punctuality(row["first_ready_at"], conference.start),
            )
        )
    totals = {key: 0 for key in PUNCTUALITY_LABELS}
    by_province: dict[str, dict[str, int]] = {}
    for site in sites:
        totals[site.punctuality] += 1
        counts = by_province.setdefault(site.province, {key: 0 for key in PUNCTUALITY_LABELS})
        counts[site.punctuality] += 1
    return ReadinessSummary(sites=sites, by_province=by_province, totals=totals)


def summary_csv(summary: ReadinessSummary) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(
        [
            _("Site code"),
            _("Site"),
            _("Level"),
            _("Province"),
            _("First ready at"),
            _("Final state"),
            _("Readiness"),
        ]
    )
    for site in summary.sites:
        writer.writerow(
            [
                site.site,
                site.name,
                Level[site.level.upper()].label,
                site.province,
                local_text(site.first_ready_at),
                ReadinessState(site.final_state).label,
                PUNCTUALITY_LABELS[site.punctuality],
            ]
        )
    return buffer.getvalue()


def province_csv(summary: ReadinessSummary) -> str:
    """One row per province (and the total): how many sites were ready on time,
    late, never."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([_("Province"), *(str(label) for label in PUNCTUALITY_LABELS.values())])
    for province, counts in summary.by_province.items():
        writer.writerow([province, *(counts[key] for key in PUNCTUALITY_LABELS)])
    writer.writerow([_("All sites"), *(summary.totals[key] for key in PUNCTUALITY_LABELS)])
    return buffer.getvalue()


def local_text(moment: datetime | None) -> str:
    """Spreadsheet-friendly local time (Asia/Ho_Chi_Minh by default)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
