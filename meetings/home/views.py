"""The home page: each role's part of the dashboard (meetings.home.dashboard), then the
links to every page the user may open (templates/accounts/home_links.html).

It lives in meetings, not accounts, because it reads sessions and records: accounts
never imports meetings."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import Role, roles_of
from meetings.home import dashboard


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    roles = roles_of(user)
    context: dict = {
        "show_technician": Role.TECHNICIAN in roles,
        "show_attendee": Role.ATTENDEE in roles,
        "technician_days": dashboard.TECHNICIAN_DAYS,
        "new_minutes_days": dashboard.NEW_MINUTES_DAYS,
    }
    if Role.SECRETARIAT in roles:
        context["secretariat"] = dashboard.secretariat_part(user, now)
    if Role.TECHNICIAN in roles:
        context["technician_sessions"] = dashboard.technician_sessions(user, now)
    if Role.ATTENDEE in roles:
        context["next_sessions"] = dashboard.next_sessions(user, now)
        context["new_minutes"] = dashboard.new_minutes(user, now)
    return render(request, "meetings/home.html", context)
