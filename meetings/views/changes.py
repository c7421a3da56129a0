"""The secretariat's changes to a booked session: move it, change its sites, cancel it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from conferencing.jurisdiction import acts_for_an_office, booking_office
from conferencing.models import LegRole
from meetings import booking, series
from meetings.booking import BookingConflict, BookingError
from meetings.forms import CancelForm, ChangeSitesForm, RescheduleForm, SlotForm
from meetings.models import Meeting
from meetings.series import SeriesConflict
from meetings.views.common import (
    AuthenticatedHttpRequest,
    changeable_meeting,
    conflict_result,
    series_result,
    site_options,
)


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


def current_sites(meeting: Meeting) -> dict:
    """The form's starting point: today's sites one by one, and today's host."""
    legs = meeting.conference.legs.order_by("endpoint__path").values_list("endpoint__code", "role")
    codes = [code for code, _role in legs]
    host = next((code for code, role in legs if role == LegRole.HOST), "")
    return {"sites": ", ".join(codes), "host": host}


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def change_sites(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = changeable_meeting(request, meeting_id)
    if isinstance(meeting, HttpResponse):
        return meeting
    result, status = None, 200
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
        form = ChangeSitesForm(initial=current_sites(meeting), office=office)
    return render(
        request,
        "meetings/sites.html",
        {"meeting": meeting, "form": form, "check": result, "site_options": site_options(office)},
        status=status,
    )


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
