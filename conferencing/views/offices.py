"""Pages that manage offices: the superuser's and the central office's (else 403)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from conferencing import upkeep
from conferencing.forms.offices import OfficeForm
from conferencing.jurisdiction import managed_offices, may_manage_offices
from conferencing.models import Office


@require_GET
@role_required(may_manage_offices)
def office_list(request: HttpRequest) -> HttpResponse:
    offices = (
        managed_offices(request.user)
        .select_related("jurisdiction")
        .prefetch_related(
            Prefetch("members", queryset=get_user_model().objects.select_related("person"))
        )
        .order_by("code")
    )
    return render(request, "conferencing/office_list.html", {"offices": offices})


def _office_form(request: HttpRequest, office: Office | None) -> HttpResponse:
    created = office is None
    if request.method == "POST":
        form = OfficeForm(request.POST, instance=office)
        if form.is_valid():
            saved = upkeep.save_office(
                request.user,
                form.save(commit=False),
                form.cleaned_data["members"],
                form.changed_data,
                created,
            )
            messages.success(request, _("The office %(name)s was saved.") % {"name": saved.name})
            return redirect("offices:list")
    else:
        form = OfficeForm(instance=office)
    return render(request, "conferencing/office_form.html", {"form": form, "office": office})


@require_http_methods(["GET", "POST"])
@role_required(may_manage_offices)
def office_create(request: HttpRequest) -> HttpResponse:
    return _office_form(request, None)


@require_http_methods(["GET", "POST"])
@role_required(may_manage_offices)
def office_edit(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_object_or_404(
        managed_offices(request.user).select_related("jurisdiction"), pk=office_id
    )
    return _office_form(request, office)


@require_POST
@role_required(may_manage_offices)
def office_deactivate(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_object_or_404(managed_offices(request.user), pk=office_id)
    upkeep.deactivate_office(request.user, office)
    messages.success(request, _("The office %(name)s was deactivated.") % {"name": office.name})
    return redirect("offices:list")
