"""The office's month at a glance (/meetings/month/?m=YYYY-MM), for its secretariat:
sessions per week and the on-time readiness rate per week, as pictures with their
numbers. The numbers are meetings.month_glance's; the office is the one the person acts
for (conferencing.jurisdiction.booking_office)."""

import re
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from conferencing.charts import BarChart, LineChart, line_chart, stacked_bars
from conferencing.jurisdiction import acts_for_an_office, booking_office
from meetings.month_glance import (
    MonthGlance,
    first_of,
    month_glance,
    next_month,
    previous_month,
)
from meetings.views.common import AuthenticatedHttpRequest, grouped

MONTH = re.compile(r"(\d{4})-(\d{2})")


def chosen_month(text: str | None) -> date | None:
    """The first day of the month written YYYY-MM; None if it is not one."""
    match = MONTH.fullmatch(text or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if 1 <= month <= 12 and 1900 <= year <= 2999 else None


def week_label(first: date, last: date) -> str:
    return f"{first:%d/%m}\u2013{last:%d/%m}"  # an en dash


def sessions_chart(glance: MonthGlance) -> tuple[BarChart, str]:
    chart = stacked_bars(
        [(week_label(w.first, w.last), (w.held, w.upcoming)) for w in glance.weeks],
        [("held", _("Held")), ("upcoming", _("To come"))],
        label_width=110,
    )
    busiest = max(glance.weeks, key=lambda week: week.sessions)
    if not busiest.sessions:
        return chart, _("No session of your office starts in %(month)s.") % {
            "month": glance.month.strftime("%m/%Y")
        }
    text = _(
        "Sessions per week in %(month)s: %(sessions)s in all, at most %(most)s in the week "
        "of %(week)s."
    ) % {
        "month": glance.month.strftime("%m/%Y"),
        "sessions": grouped(glance.sessions),
        "most": grouped(busiest.sessions),
        "week": week_label(busiest.first, busiest.last),
    }
    return chart, text


def rate_chart(glance: MonthGlance) -> tuple[LineChart, str]:
    labels = [week_label(w.first, w.last) for w in glance.weeks]
    chart = line_chart(
        list(range(len(glance.weeks))),
        labels,
        [("rate", _("Sites ready on time"), [w.on_time_percent for w in glance.weeks])],
        x_ticks=list(enumerate(labels)),
        top=100,
        dots=True,
    )
    if glance.on_time_percent is None:
        text = _("Sites ready on time per week in %(month)s: no session has started yet.") % {
            "month": glance.month.strftime("%m/%Y")
        }
    else:
        text = _(
            "Sites ready on time per week in %(month)s: %(percent)s%% over the month, "
            "%(on_time)s of %(sites)s sites."
        ) % {
            "month": glance.month.strftime("%m/%Y"),
            "percent": glance.on_time_percent,
            "on_time": grouped(glance.on_time),
            "sites": grouped(glance.sites),
        }
    return chart, text


@require_GET
@role_required(acts_for_an_office)
def month(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = first_of(timezone.localdate())
    wanted = request.GET.get("m")
    shown = chosen_month(wanted)
    if shown is None:
        if wanted:
            messages.error(request, _("Choose a month as YYYY-MM, for example 2026-12."))
        shown = today
    office = booking_office(request.user)
    glance = month_glance(request.user, office, shown, timezone.now())
    sessions, sessions_summary = sessions_chart(glance)
    rate, rate_summary = rate_chart(glance)
    return render(
        request,
        "meetings/month.html",
        {
            "office": office,
            "glance": glance,
            "sessions_chart": sessions,
            "sessions_summary": sessions_summary,
            "rate_chart": rate,
            "rate_summary": rate_summary,
            "previous_month": previous_month(shown),
            "next_month": next_month(shown),
            "this_month": today,
        },
    )
