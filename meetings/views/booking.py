"""Booking a session or a series, and the dry run the form calls while it is filled in."""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from conferencing import site_finder
from conferencing.jurisdiction import acts_for_an_office, booking_office
from meetings import booking, series
from meetings.booking import BookingConflict, BookingError
from meetings.forms import BookingForm, SiteCountForm
from meetings.models import OffDayPolicy
from meetings.series import SeriesConflict
from meetings.views.common import (
    AuthenticatedHttpRequest,
    CheckResult,
    conflict_result,
    series_result,
    sites_text,
    unchecked,
)

TEMPLATE = "meetings/book.html"
# What a picker sends is a few words; a longer text is cut, not searched whole.
MAX_QUERY = 100


def dry_run(form: BookingForm, user: AbstractBaseUser) -> CheckResult:
    """What booking this form would run into, without writing anything."""
    if problem := unchecked(form):
        return problem
    request = form.booking_request()
    rule = form.rule()
    try:
        if rule is None:
            return conflict_result(booking.check(request, user))
        checked = series.check_series_days(request, rule, user, form.off_day_policy())
    except BookingError as error:
        return CheckResult("error", messages=[error.message])
    return series_result(
        checked.conflicts,
        len(checked.conflicts),
        form.cleaned_data["skip_conflicts"],
        checked.off_day_changes,
    )


@require_POST
@role_required(acts_for_an_office)
def check(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BookingForm(request.POST, for_check=True, office=booking_office(request.user))
    return render(request, f"{TEMPLATE}#conflicts", {"check": dry_run(form, request.user)})


@require_POST
@role_required(acts_for_an_office)
def site_count(request: AuthenticatedHttpRequest) -> JsonResponse:
    """How many sites the picker's selection names within the acting office's
    jurisdiction, {"count", "text"}; with a selection booking would refuse, no count
    and the reason as the text."""
    office = booking_office(request.user)
    form = SiteCountForm(request.POST, office=office)
    if not form.is_valid():
        first = next(error for errors in form.errors.values() for error in errors)
        return JsonResponse({"count": None, "text": str(first)})
    selection = form.selection()
    try:
        count = 0 if selection.is_empty() else booking.count_sites(selection, office)
    except BookingError as error:
        return JsonResponse({"count": None, "text": error.message})
    return JsonResponse({"count": count, "text": sites_text(count)})


@require_GET
@role_required(acts_for_an_office)
def site_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The site pickers' suggestions for `q`: {"sites": [{code, name, level}], "text"}, at
    most site_finder.SHOWN active sites of the acting office's jurisdiction (no other
    office's), and a line saying how many, or that none was found."""
    query = request.GET.get("q", "")[:MAX_QUERY]
    found = site_finder.find_sites(booking_office(request.user), query)
    sites = [
        {"code": site.code, "name": site.name, "level": site.level_label} for site in found.sites
    ]
    return JsonResponse({"sites": sites, "text": found_text(query, found)})


def found_text(query: str, found: site_finder.Found) -> str:
    if not query.strip():
        return ""
    if not found.sites:
        return _("No site found for “%(query)s”.") % {"query": query.strip()}
    if found.more:
        return _("The first %(count)s sites found; type more to narrow them down.") % {
            "count": len(found.sites)
        }
    return ngettext("%(count)s site found.", "%(count)s sites found.", len(found.sites)) % {
        "count": len(found.sites)
    }


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def book(request: AuthenticatedHttpRequest) -> HttpResponse:
    result = None
    status = 200
    office = booking_office(request.user)
    if request.method == "POST":
        form = BookingForm(request.POST, office=office)
        if form.is_valid():
            try:
                return booked(request, form)
            except BookingError as error:
                form.add_booking_error(error)
            except BookingConflict as conflict:
                result, status = conflict_result(conflict.report), 409
            except SeriesConflict as conflict:
                skip = form.cleaned_data["skip_conflicts"]
                # With skipping on, a refusal means no occurrence at all was free.
                checked = len(conflict.conflicts) if skip else None
                result, status = series_result(conflict.conflicts, checked, skip), 409
    else:
        form = BookingForm(office=office)
    return render(
        request,
        TEMPLATE,
        {"form": form, "check": result},
        status=status,
    )


def booked(request: AuthenticatedHttpRequest, form: BookingForm) -> HttpResponse:
    """Book what the valid form describes; raise the domain's refusal unchanged."""
    rule = form.rule()
    if rule is None:
        meeting = booking.book(form.booking_request(), request.user)
        messages.success(request, _("The session was booked."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    policy = form.off_day_policy()
    outcome = series.book_series(
        form.booking_request(), rule, request.user, form.cleaned_data["skip_conflicts"], policy
    )
    booked_count, skipped = len(outcome.booked), len(outcome.skipped)
    text = ngettext(
        "The series was booked: %(count)d session.",
        "The series was booked: %(count)d sessions.",
        booked_count,
    ) % {"count": booked_count}
    if skipped:
        text += " " + ngettext(
            "%(count)d conflicting occurrence was skipped.",
            "%(count)d conflicting occurrences were skipped.",
            skipped,
        ) % {"count": skipped}
    off_days = len(outcome.off_day_changes)
    if off_days and policy == OffDayPolicy.SKIP:
        text += " " + ngettext(
            "%(count)d occurrence on a day off was skipped.",
            "%(count)d occurrences on days off were skipped.",
            off_days,
        ) % {"count": off_days}
    elif off_days and policy == OffDayPolicy.MOVE:
        text += " " + ngettext(
            "%(count)d occurrence on a day off was moved to the next working day.",
            "%(count)d occurrences on days off were moved to the next working day.",
            off_days,
        ) % {"count": off_days}
    messages.success(request, text)
    return redirect("meetings:detail", meeting_id=outcome.booked[0].pk)
