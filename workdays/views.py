"""The central office's page of working days: the year's holidays and announced days,
entering and removing one, importing a CSV of them (else 403)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from conferencing.permissions import may_announce_working_days
from workdays import announcements, csv_import
from workdays.forms import AnnounceForm, ImportForm, WithdrawForm, YearForm
from workdays.year_view import year_view


def _year_of(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


def _page(
    request: HttpRequest,
    year: int,
    announce_form: AnnounceForm | None = None,
    import_form: ImportForm | None = None,
    import_result: csv_import.ImportResult | None = None,
) -> HttpResponse:
    return render(
        request,
        "workdays/year.html",
        {
            "view": year_view(year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "announce_form": announce_form or AnnounceForm(),
            "import_form": import_form or ImportForm(),
            "import_result": import_result,
        },
    )


def _back_to(year: int) -> HttpResponse:
    return redirect(f"{reverse('workdays:year')}?year={year}")


@require_GET
@role_required(may_announce_working_days)
def year_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _year_of(request))


@require_POST
@role_required(may_announce_working_days)
def announce(request: HttpRequest) -> HttpResponse:
    form = AnnounceForm(request.POST)
    if form.is_valid():
        try:
            announced = announcements.announce(
                request.user, announcements.Announcement(**form.cleaned_data)
            )
        except announcements.AnnouncementRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("%(day)s was announced.") % {"day": announcements.shown(announced.day)},
            )
            return _back_to(announced.day.year)
    year = form.cleaned_data["day"].year if "day" in form.cleaned_data else _year_of(request)
    return _page(request, year, announce_form=form)


@require_POST
@role_required(may_announce_working_days)
def withdraw(request: HttpRequest) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an announced day to remove."))
        return _back_to(_year_of(request))
    day = form.cleaned_data["day"]
    if announcements.withdraw(request.user, day) is None:
        messages.error(
            request, _("%(day)s is not an announced day.") % {"day": announcements.shown(day)}
        )
    else:
        messages.success(request, _("%(day)s was removed.") % {"day": announcements.shown(day)})
    return _back_to(day.year)


@require_POST
@role_required(may_announce_working_days)
def import_csv(request: HttpRequest) -> HttpResponse:
    year = _year_of(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, year, import_form=form)
    result = csv_import.read(form.cleaned_data["file"].read())
    if result.ok:
        try:
            created = announcements.announce_all(request.user, result.announcements)
        except announcements.AnnouncementRefused as refused:
            form.add_error(None, refused.message)
            return _page(request, year, import_form=form)
        messages.success(
            request, _("%(count)d announced days were imported.") % {"count": len(created)}
        )
        return _back_to(created[0].day.year)
    return _page(request, year, import_form=form, import_result=result)
