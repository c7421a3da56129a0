"""The agenda (upcoming sessions) and the week, both limited to what concerns the user."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from meetings.forms import MeetingFilterForm, WeekFilterForm, local_datetime
from meetings.models import Meeting
from meetings.visibility import concerning, readable_ids

PAGE_SIZE = 50
DAYS_IN_WEEK = 7


def listed(
    request: HttpRequest, form: MeetingFilterForm, meetings: QuerySet[Meeting]
) -> QuerySet[Meeting]:
    """Of these meetings, those concerning the user that match the filters, with their
    summary; none while the filters are invalid."""
    meetings = concerning(request.user, meetings)
    if not form.is_valid():
        return meetings.none()
    return form.filter(meetings).with_summary()


@require_GET
@role_required(can_view_meetings)
def agenda(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET, user=request.user)
    meetings = listed(request, form, Meeting.objects.scheduled().upcoming(timezone.now()))
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(
        request,
        "meetings/agenda.html",
        {"form": form, "page": page, "rows": rows, "shown": readable_ids(request.user, rows)},
    )


@dataclass
class Day:
    date: date
    is_today: bool
    meetings: list[Meeting] = field(default_factory=list)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """Local midnight of the Monday and of the Monday after, as aware datetimes."""
    return local_datetime(monday, time.min), local_datetime(
        monday + timedelta(days=DAYS_IN_WEEK), time.min
    )


@require_GET
@role_required(can_view_meetings)
def week(request: HttpRequest) -> HttpResponse:
    form = WeekFilterForm(request.GET, user=request.user)
    monday = form.monday()
    start, end = week_bounds(monday)
    today = timezone.localdate()
    days = [
        Day(monday + timedelta(days=offset), monday + timedelta(days=offset) == today)
        for offset in range(DAYS_IN_WEEK)
    ]
    # A session belongs to the day it starts on, in local time, even if it runs past midnight.
    starting_this_week = Meeting.objects.scheduled().filter(
        conference__start__gte=start, conference__start__lt=end
    )
    meetings = list(listed(request, form, starting_this_week))
    for meeting in meetings:
        days[(timezone.localtime(meeting.conference.start).date() - monday).days].meetings.append(
            meeting
        )
    return render(
        request,
        "meetings/week.html",
        {
            "form": form,
            "days": days,
            "monday": monday,
            "sunday": monday + timedelta(days=DAYS_IN_WEEK - 1),
            "previous_week": monday - timedelta(days=DAYS_IN_WEEK),
            "next_week": monday + timedelta(days=DAYS_IN_WEEK),
            "this_week": today - timedelta(days=today.weekday()),
            "count": len(meetings),
            "shown": readable_ids(request.user, meetings),
        },
    )
