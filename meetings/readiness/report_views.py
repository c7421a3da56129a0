"""The readiness report of a session and its CSV."""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from conferencing.models import Level
from conferencing.readiness_report import (
    PUNCTUALITY_LABELS,
    Punctuality,
    ReadinessSummary,
    SiteReadiness,
    check_labels,
    province_csv,
    summarise,
    summary_csv,
)
from meetings.readiness.report_charts import report_charts
from meetings.readiness.watching import state_labels, watched_meeting, watched_part
from meetings.views.common import AuthenticatedHttpRequest

# A report of at most this many sites lists each of them; a larger one (a national
# session's 3,356) lists, on demand, the sites of one province that need attention.
SITE_LIST_LIMIT = 200
# The `province` of the central level's sites, which lie in no province.
NO_PROVINCE = "-"


@dataclass
class ProvinceRow:
    name: str
    code: str
    counts: dict[str, int]
    attention: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_percent(self) -> int:
        return round(100 * self.counts[Punctuality.ON_TIME] / self.total) if self.total else 0

    @property
    def key(self) -> str:
        """Its value of the report's `province` parameter."""
        return self.code or NO_PROVINCE


def minutes_late(first_ready_at: datetime | None, start: datetime) -> int | None:
    if first_ready_at is None or first_ready_at <= start:
        return None
    return max(1, round((first_ready_at - start).total_seconds() / 60))


@dataclass(frozen=True)
class SiteList:
    """The sites the report lists: all of a small report's; else, asked for one province,
    those of its sites that need attention; else none (`needs_choice`)."""

    sites: list[SiteReadiness]
    province: ProvinceRow | None
    complete: bool
    needs_choice: bool


def site_list(summary: ReadinessSummary, provinces: list[ProvinceRow], wanted: str) -> SiteList:
    chosen = next((row for row in provinces if row.key == wanted), None) if wanted else None
    if len(summary.sites) <= SITE_LIST_LIMIT and not chosen:
        return SiteList(summary.sites, None, complete=True, needs_choice=False)
    if chosen is None:
        return SiteList([], None, complete=False, needs_choice=True)
    sites = [
        site for site in summary.sites if site.province_code == chosen.code and site.needs_attention
    ]
    return SiteList(sites, chosen, complete=False, needs_choice=False)


@require_GET
@role_required(can_view_meetings)
def readiness_report(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = watched_meeting(request.user, meeting_id)
    conference = meeting.conference
    watched = watched_part(request.user, meeting)
    summary = summarise(conference, watched.part)
    provinces = [
        ProvinceRow(name, summary.province_codes[name], counts, summary.attention[name])
        for name, counts in summary.by_province.items()
    ]
    listed = site_list(summary, provinces, request.GET.get("province", ""))
    levels = {level.slug: str(level.label) for level in Level}
    states = state_labels()
    now = timezone.now()
    sites = [
        {
            "site": site,
            "level": levels[site.level],
            "state": states[site.final_state],
            "punctuality": PUNCTUALITY_LABELS[site.punctuality],
            "late_by": minutes_late(site.first_ready_at, conference.start),
            "checks": check_labels(site.unchecked),
        }
        for site in listed.sites
    ]
    return render(
        request,
        "meetings/readiness_report.html",
        {
            "meeting": meeting,
            "conference": conference,
            "watched": watched,
            "ended": conference.end <= now,
            "summary": summary,
            "readiness_charts": report_charts(conference, summary, watched.part, now),
            "total": len(summary.sites),
            "provinces": provinces,
            "listed": listed,
            "sites": sites,
            "punctuality_labels": PUNCTUALITY_LABELS,
        },
    )


@require_GET
@role_required(can_view_meetings)
def readiness_csv(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = watched_meeting(request.user, meeting_id)
    by = request.GET.get("by", "site")
    if by not in CSV_LAYOUTS:
        return HttpResponseBadRequest(_("Unknown layout: by=site or by=province."))
    # The byte order mark makes spreadsheet programs read the Vietnamese names as UTF-8.
    part = watched_part(request.user, meeting).part
    content = "\ufeff" + CSV_LAYOUTS[by](summarise(meeting.conference, part))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    suffix = "" if by == "site" else "-provinces"
    response["Content-Disposition"] = (
        f'attachment; filename="giaoban-readiness-{meeting.pk}{suffix}.csv"'
    )
    return response


CSV_LAYOUTS = {"site": summary_csv, "province": province_csv}
