"""After the session: who was ready on time, who was late, who never was; and what each
site said on the way: its problem, the checks it left not ok, why it was ready anyway."""

import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conferencing.models import Conference, Leg, Level, ReadinessEvent, ReadinessState
from conferencing.readiness import CHECK_LABELS, unchecked
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


# The reports that carry the pre-session checks (connected and disconnected need not).
CHECK_STATES = (ReadinessState.CHECKING, ReadinessState.READY, ReadinessState.PROBLEM)
S = ReadinessState


@dataclass(frozen=True)
class SiteReadiness:
    site: str
    name: str
    level: str
    province: str
    first_ready_at: datetime | None
    final_state: str
    punctuality: str
    province_code: str = ""
    # The checks its latest check report left not ok; None if it reported no checks.
    unchecked: tuple[str, ...] | None = None
    # The note of its latest problem report; None if it never reported a problem.
    problem: str | None = None
    # Its latest reason for ready despite a failed check; "" if it never gave one.
    override: str = ""

    @property
    def had_problem(self) -> bool:
        return self.problem is not None or self.final_state == S.PROBLEM

    @property
    def needs_attention(self) -> bool:
        """Not simply ready on time: late, never ready, a problem or an override."""
        return self.punctuality != Punctuality.ON_TIME or self.had_problem or bool(self.override)


# What the report counts per province besides punctuality.
ATTENTION = ("problem", "override", "attention")


@dataclass(frozen=True)
class ReadinessSummary:
    sites: list[SiteReadiness]
    by_province: dict[str, dict[str, int]]
    totals: dict[str, int]
    # Per province name: its code, and how many of its sites had a problem, an override,
    # or need attention at all (SiteReadiness.needs_attention).
    province_codes: dict[str, str] = field(default_factory=dict)
    attention: dict[str, dict[str, int]] = field(default_factory=dict)


def punctuality(first_ready_at: datetime | None, start: datetime) -> str:
    if first_ready_at is None:
        return Punctuality.NEVER
    return Punctuality.ON_TIME if first_ready_at <= start else Punctuality.LATE


def summarise(conference: Conference, part: BoardPart = WHOLE_BOARD) -> ReadinessSummary:
    """The sites of `part` (the whole session by default); two queries whatever their
    number. A site counts as ready when it first reported ready or connected; what it
    reported on the way comes from its event log (the leg keeps only the latest)."""
    provinces = province_names()
    events = ReadinessEvent.objects.filter(leg=OuterRef("pk"))
    rows = (
        of_part(Leg.objects.filter(conference=conference), part)
        .annotate(
            first_ready_at=Subquery(
                events.filter(to_state__in=[S.READY, S.CONNECTED]).order_by("at").values("at")[:1]
            ),
            checks=Subquery(
                events.filter(to_state__in=CHECK_STATES).order_by("-seq").values("checklist")[:1],
                output_field=JSONField(),
            ),
            problem=Subquery(events.filter(to_state=S.PROBLEM).order_by("-seq").values("note")[:1]),
            override=Subquery(
                events.exclude(override_reason="").order_by("-seq").values("override_reason")[:1]
            ),
        )
        .order_by("endpoint__path")
        .values(
            "endpoint__code",
            "endpoint__name",
            "endpoint__level",
            "endpoint__path",
            "state",
            "first_ready_at",
            "checks",
            "problem",
            "override",
        )
    )
    sites = []
    for row in rows:
        province = province_of(row["endpoint__path"], provinces)
        checks = row["checks"]
        sites.append(
            SiteReadiness(
                site=row["endpoint__code"],
                name=row["endpoint__name"],
                level=Level(row["endpoint__level"]).slug,
                province=province[1] if province else "",
                first_ready_at=row["first_ready_at"],
                final_state=row["state"],
                punctuality=punctuality(row["first_ready_at"], conference.start),
                province_code=province[0] if province else "",
                unchecked=tuple(unchecked(checks)) if isinstance(checks, dict) else None,
                problem=row["problem"],
                override=row["override"] or "",
            )
        )
    totals = {key: 0 for key in PUNCTUALITY_LABELS}
    by_province: dict[str, dict[str, int]] = {}
    codes: dict[str, str] = {}
    attention: dict[str, dict[str, int]] = {}
    for site in sites:
        totals[site.punctuality] += 1
        counts = by_province.setdefault(site.province, {key: 0 for key in PUNCTUALITY_LABELS})
        counts[site.punctuality] += 1
        codes[site.province] = site.province_code
        flags = attention.setdefault(site.province, dict.fromkeys(ATTENTION, 0))
        flags["problem"] += site.had_problem
        flags["override"] += bool(site.override)
        flags["attention"] += site.needs_attention
    return ReadinessSummary(
        sites=sites,
        by_province=by_province,
        totals=totals,
        province_codes=codes,
        attention=attention,
    )


def check_labels(items: tuple[str, ...] | None) -> str:
    """The checks not ok, by their labels ("" when none, or none reported)."""
    return ", ".join(str(CHECK_LABELS[item]) for item in items or ())


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
            _("Problem"),
            _("Checks not ok"),
            _("Reason for ready despite a failed check"),
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
                site.problem or "",
                check_labels(site.unchecked),
                site.override,
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
