"""The meeting page: everything about one session, or only its time when it is confidential."""

from dataclasses import dataclass

from dateutil.rrule import DAILY, MONTHLY, WEEKLY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from conferencing.jurisdiction import booking_office
from conferencing.models import Endpoint, Leg, LegRole, Level
from meetings.booking import is_changeable
from meetings.models import Meeting, MeetingStatus, Series
from meetings.series import parse_rule, rule_parts
from meetings.views.common import concerning_meeting
from meetings.visibility import details_visible, may_change


@dataclass
class LevelGroup:
    label: str
    sites: list[Endpoint]


def sites_by_level(legs: list[Leg]) -> list[LevelGroup]:
    """The session's sites grouped by level, top of the tree first, each in tree order."""
    groups: dict[int, list[Endpoint]] = {}
    for leg in legs:
        groups.setdefault(leg.endpoint.level, []).append(leg.endpoint)
    return [LevelGroup(str(Level(level).label), groups[level]) for level in sorted(groups)]


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
    legs = list(
        meeting.conference.legs.select_related("endpoint")
        .only("role", "endpoint__code", "endpoint__name", "endpoint__level", "endpoint__path")
        .order_by("endpoint__path")
    )
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
            "host": next((leg.endpoint for leg in legs if leg.role == LegRole.HOST), None),
            "site_count": len(legs),
            "levels": sites_by_level(legs),
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
