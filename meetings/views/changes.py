"""The secretariat's changes to a booked session: move it, change its sites, cancel it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from conferencing.jurisdiction import acts_for_an_office, booking_office, jurisdiction_path
from conferencing.site_selection import SiteSelection, as_provinces
from meetings import booking, series
from meetings.booking import BookingConflict, BookingError
from meetings.forms import CancelForm, ChangeSitesForm, RescheduleForm, SlotForm
from meetings.models import Meeting
from meetings.series import SeriesConflict
from meetings.views.common import (
    AuthenticatedHttpRequest,
    CheckResult,
    changeable_meeting,
    checkable_meeting,
    conflict_result,
    series_result,
    sites_text,
    unchecked,
)

# The conflicts panel of the booking page, which the change pages share.
CONFLICTS = "meetings/book.html#conflicts"


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def reschedule(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = changeable_meeting(request, meeting_id)
    if isinstance(meeting, HttpResponse):
        return meeting
    in_series = meeting.series_id is not None
    result, status = None, 200
    if request.method == "POST":
        form = RescheduleForm(request.POST, in_series=in_series)
        if form.is_valid():
            try:
                if form.following():
                    moved = series.reschedule_following(meeting, form.slot(), request.user)
                    text = ngettext(
                        "%(count)d session was moved.", "%(count)d sessions were moved.", len(moved)
                    ) % {"count": len(moved)}
                else:
                    booking.reschedule(meeting, form.slot(), request.user)
                    text = _("The session was moved.")
                messages.success(request, text)
                return redirect("meetings:detail", meeting_id=meeting.pk)
            except BookingError as error:
                form.add_booking_error(error)
            except BookingConflict as conflict:
                result, status = conflict_result(conflict.report), 409
            except SeriesConflict as conflict:
                result, status = series_result(conflict.conflicts, None, False), 409
    else:
        conference = meeting.conference
        initial = SlotForm.initial_for(conference.start, conference.end, conference.setup_minutes)
        form = RescheduleForm(initial=initial, in_series=in_series)
    return render(
        request,
        "meetings/reschedule.html",
        {"meeting": meeting, "form": form, "check": result},
        status=status,
    )


@require_POST
@role_required(acts_for_an_office)
def reschedule_check(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The reschedule page's live dry run: what moving the session (and, if asked, the
    following ones) would run into; its own reservations stand in no one's way."""
    meeting = checkable_meeting(request.user, meeting_id)
    form = RescheduleForm(request.POST, in_series=meeting.series_id is not None)
    result = unchecked(form)
    if result is None:
        try:
            if form.following():
                checked = series.check_reschedule_following(meeting, form.slot(), request.user)
                result = series_result(checked, len(checked), False)
            else:
                result = conflict_result(
                    booking.check_reschedule(meeting, form.slot(), request.user)
                )
        except BookingError as error:
            result = CheckResult("error", messages=[error.message])
    return render(request, CONFLICTS, {"check": result})


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def change_sites(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = changeable_meeting(request, meeting_id)
    if isinstance(meeting, HttpResponse):
        return meeting
    result, status, rewording = None, 200, ""
    office = booking_office(request.user)
    if request.method == "POST":
        form = ChangeSitesForm(request.POST, office=office)
        if form.is_valid():
            try:
                booking.change_sites(meeting, form.selection(), form.host_code(), request.user)
                messages.success(request, _("The sites of the session were changed."))
                return redirect("meetings:detail", meeting_id=meeting.pk)
            except BookingError as error:
                form.add_booking_error(error)
            except BookingConflict as conflict:
                result, status = conflict_result(conflict.report), 409
    else:
        selection = booking.booked_selection(meeting)
        shorter = shorter_selection(selection, meeting)
        if shorter is not None:
            rewording = "shown" if request.GET.get("as") == PROVINCES else "offered"
            selection = shorter if rewording == "shown" else selection
        initial = ChangeSitesForm.initial_for(selection, booking.host_code_of(meeting))
        form = ChangeSitesForm(initial=initial, office=office)
    count = meeting.conference.legs.count()
    return render(
        request,
        "meetings/sites.html",
        {
            "meeting": meeting,
            "form": form,
            "check": result,
            "site_count": sites_text(count),
            "as_provinces": rewording,
        },
        status=status,
    )


# ?as=provinces: the sites of a session booked one by one, shown as whole provinces.
PROVINCES = "provinces"


def shorter_selection(selection: SiteSelection, meeting: Meeting) -> SiteSelection | None:
    """The same sites in fewer words (as_provinces) for a selection of single sites, as
    sessions booked before selections were kept have; None when it says nothing shorter."""
    if selection.levels or selection.subtrees or len(selection.sites) < 2:
        return None
    shorter = as_provinces(selection, jurisdiction_path(meeting.owner_office))
    if len(shorter.subtrees) + len(shorter.sites) >= len(selection.sites):
        return None
    return shorter


@require_POST
@role_required(acts_for_an_office)
def sites_check(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The change-sites page's live dry run: what the new selection would run into; the
    session's own sites stand in no one's way."""
    meeting = checkable_meeting(request.user, meeting_id)
    form = ChangeSitesForm(request.POST, office=meeting.owner_office)
    result = unchecked(form)
    if result is None:
        try:
            report = booking.check_change_sites(
                meeting, form.selection(), form.host_code(), request.user
            )
            result = conflict_result(report)
        except BookingError as error:
            result = CheckResult("error", messages=[error.message])
    return render(request, CONFLICTS, {"check": result})


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def cancel(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = changeable_meeting(request, meeting_id)
    if isinstance(meeting, HttpResponse):
        return meeting
    in_series = meeting.series_id is not None
    if request.method == "POST":
        form = CancelForm(request.POST, in_series=in_series)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if form.following():
                    cancelled = series.cancel_following(meeting, reason, request.user)
                    text = ngettext(
                        "%(count)d session was cancelled.",
                        "%(count)d sessions were cancelled.",
                        len(cancelled),
                    ) % {"count": len(cancelled)}
                else:
                    booking.cancel(meeting, reason, request.user)
                    text = _("The session was cancelled.")
                messages.success(request, text)
                return redirect("meetings:detail", meeting_id=meeting.pk)
            except BookingError as error:
                form.add_booking_error(error)
    else:
        form = CancelForm(in_series=in_series)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})
