"""After the session: who was ready on time, who was late, who never was; and what each
site said on the way: its problem, the checks it left not ok, why it was ready anyway."""

import io
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conferencing.models import Conference, Leg, Level, ReadinessEvent, ReadinessState
from conferencing.readiness import CHECK_LABELS, READY_STATES, unchecked
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
    # Every state change of these sites as (leg, at, to state), in the order accepted:
    # the ready line (readiness_timeline) replays them without reading the log again.
    transitions: list[tuple[int, datetime, str]] = field(default_factory=list)


def punctuality(first_ready_at: datetime | None, start: datetime) -> str:
    if first_ready_at is None:
        return Punctuality.NEVER
    return Punctuality.ON_TIME if first_ready_at <= start else Punctuality.LATE


@dataclass
class SiteLog:
    """What a site's event log says, folded in order of sequence."""

    first_ready_at: datetime | None = None
    checks: dict | None = None
    problem: str | None = None
    override: str = ""

    def add(self, to_state: str, at: datetime, checklist, note: str, override: str) -> None:
        if to_state in READY_STATES and (self.first_ready_at is None or at < self.first_ready_at):
            self.first_ready_at = at
        if to_state in CHECK_STATES:
            self.checks = checklist if isinstance(checklist, dict) else {}
        if to_state == S.PROBLEM:
            self.problem = note
        if override:
            self.override = override


def site_logs(legs) -> tuple[dict[int, SiteLog], list[tuple[int, datetime, str]]]:
    """Each of these legs' event log, folded; one query. Read whole and folded here: one
    pass over a national session's few thousand events is half the time of asking the
    log four questions per site in SQL. The checklists come as text, each distinct one
    parsed once: they are a handful of values, and parsing each event's was most of
    the time. Also the changes of state, in the order they were accepted."""
    logs: dict[int, SiteLog] = {}
    transitions: list[tuple[int, datetime, str]] = []
    parsed: dict[str, object] = {}
    events = (
        ReadinessEvent.objects.filter(leg__in=legs)
        .annotate(checklist_text=Cast("checklist", TextField()))
        .order_by("seq")
        .values_list("leg_id", "to_state", "at", "checklist_text", "note", "override_reason")
    )
    for leg_id, to_state, at, text, note, override in events:
        checklist = parsed.get(text)
        if checklist is None:
            checklist = parsed[text] = json.loads(text) if text else {}
        logs.setdefault(leg_id, SiteLog()).add(to_state, at, checklist, note, override)
        transitions.append((leg_id, at, to_state))
    return logs, transitions


def summarise(conference: Conference, part: BoardPart = WHOLE_BOARD) -> ReadinessSummary:
    """The sites of `part` (the whole session by default); three queries whatever their
    number. A site counts as ready when it first reported ready or connected; what it
    reported on the way comes from its event log (the leg keeps only the latest)."""
    provinces = province_names()
    legs = of_part(Leg.objects.filter(conference=conference), part)
    logs, transitions = site_logs(legs)
    rows = legs.order_by("endpoint__path").values(
        "pk",
        "endpoint__code",
        "endpoint__name",
        "endpoint__level",
        "endpoint__path",
        "state",
    )
    empty = SiteLog()
    sites = []
    for row in rows:
        province = province_of(row["endpoint__path"], provinces)
        log = logs.get(row["pk"], empty)
        sites.append(
            SiteReadiness(
                site=row["endpoint__code"],
                name=row["endpoint__name"],
                level=Level(row["endpoint__level"]).slug,
                province=province[1] if province else "",
                first_ready_at=log.first_ready_at,
                final_state=row["state"],
                punctuality=punctuality(log.first_ready_at, conference.start),
                province_code=province[0] if province else "",
                unchecked=tuple(unchecked(log.checks)) if log.checks is not None else None,
                problem=log.problem,
                override=log.override,
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
        transitions=transitions,
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
