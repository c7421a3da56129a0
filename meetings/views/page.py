"""The meeting page: everything about one session, or only its time when it is confidential."""

from dateutil.rrule import DAILY, MONTHLY, WEEKLY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.folded_search import MAX_QUERY_LENGTH
from accounts.roles import can_view_meetings
from conferencing import session_sites
from conferencing.jurisdiction import booking_office
from conferencing.models import Level
from meetings.booking import is_changeable
from meetings.models import Meeting, MeetingStatus, Series
from meetings.series import parse_rule, rule_parts
from meetings.views.common import concerning_meeting, readable_meeting
from meetings.visibility import details_visible, may_change


def series_summary(meeting: Meeting) -> dict | None:
    series = meeting.series
    if series is None:
        return None
    scheduled = series.occurrences.filter(status=MeetingStatus.SCHEDULED)
    return {
        "rule": describe_rule(series),
        "scheduled": scheduled.count(),
        "first_start": series.first_start,
    }


FREQUENCIES = {DAILY: "daily", WEEKLY: "weekly", MONTHLY: "monthly"}


def describe_rule(series: Series) -> dict:
    """The parts of the series' rule the page names: frequency, count, last day (None if
    absent), read by the rule's one parser (series.parse_rule)."""
    parts = rule_parts(parse_rule(series.rrule, series.first_start))
    return {
        "frequency": FREQUENCIES.get(parts.frequency),
        "count": parts.count,
        "until": parts.until.strftime("%d/%m/%Y") if parts.until is not None else None,
    }


@require_GET
@role_required(can_view_meetings)
def detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = concerning_meeting(request.user, meeting_id)
    if not details_visible(meeting, request.user):
        return render(request, "meetings/busy.html", {"meeting": meeting})
    # Counts by level and province, not 3,356 rows: the sites are listed on demand.
    sites = session_sites.summarise(meeting.conference_id)
    attendees = meeting.attendees.select_related("user__person").order_by(
        "user__person__full_name", "user__username"
    )
    manages = may_change(meeting, request.user)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "conference": meeting.conference,
            "host": sites.host,
            "sites": sites,
            "attendees": attendees,
            "series": series_summary(meeting),
            # The records section comes from the template (records_ui): the core does
            # not import records.
            "can_change": is_changeable(meeting) and manages,
            # Whether the user's office owns the meeting (its records and minutes too,
            # whether or not it is over): the records section reads it from here.
            "manages": manages,
            "read_only_for": read_only_for(request, meeting),
        },
    )


def read_only_for(request: HttpRequest, meeting: Meeting):
    """The office the secretary acts for, if another office owns the session: the page
    says so, since it offers them no change (visibility.changeable is the owner's)."""
    office = booking_office(request.user)
    return office if office is not None and office.pk != meeting.owner_office_id else None


@require_GET
@role_required(can_view_meetings)
def site_list(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The session's sites, a page at a time, by province, level or name: what the
    meeting page links to instead of listing thousands. Whoever reads the session's
    details may read its sites; anyone else gets 404."""
    meeting = readable_meeting(request.user, meeting_id)
    summary = session_sites.summarise(meeting.conference_id)
    province = request.GET.get("province", "").strip()
    # An unknown level (an edited address) filters nothing, as "all levels" does.
    level = Level.from_slug(request.GET.get("level", ""))
    search = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = session_sites.sites_page(
        meeting.conference_id, province, level, search, request.GET.get("page", 1)
    )
    filters = {"province": province, "level": level.slug if level else "", "q": search}
    return render(
        request,
        "meetings/site_list.html",
        {
            "meeting": meeting,
            "conference": meeting.conference,
            "summary": summary,
            "page": page,
            "filters": filters,
        },
    )
