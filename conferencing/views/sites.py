"""Pages that manage conference sites: create, edit, deactivate or reactivate, staff.

Only the superuser and an office's secretariat reach them (else 403); a site outside
what the user manages answers 404 exactly as a missing one.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from conferencing import jurisdiction, upkeep
from conferencing.forms.sites import SiteForm, TechniciansForm
from conferencing.jurisdiction import OutsideJurisdiction, may_manage_sites
from conferencing.models import Endpoint


def managed_site(request: HttpRequest, code: str) -> Endpoint:
    return get_object_or_404(
        jurisdiction.managed_sites(request.user).select_related("parent"), code=code
    )


@require_http_methods(["GET", "POST"])
@role_required(may_manage_sites)
def site_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SiteForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                site = upkeep.create_site(request.user, form.save(commit=False))
            except OutsideJurisdiction as refused:
                form.add_error("parent", refused.message)
            else:
                messages.success(request, _("The site %(name)s was created.") % {"name": site.name})
                return redirect("conferencing:endpoint-detail", code=site.code)
    else:
        form = SiteForm(user=request.user, initial={"parent": request.GET.get("parent", "")})
    return render(request, "conferencing/site_form.html", {"form": form, "site": None})


@require_http_methods(["GET", "POST"])
@role_required(may_manage_sites)
def site_edit(request: HttpRequest, code: str) -> HttpResponse:
    site = managed_site(request, code)
    if request.method == "POST":
        form = SiteForm(request.POST, instance=site, user=request.user)
        if form.is_valid():
            try:
                upkeep.update_site(
                    request.user, form.save(commit=False), form.changed_data, form.old_parent_id
                )
            except OutsideJurisdiction as refused:
                form.add_error("parent", refused.message)
            else:
                messages.success(request, _("The site %(name)s was saved.") % {"name": site.name})
                return redirect("conferencing:endpoint-detail", code=site.code)
    else:
        form = SiteForm(instance=site, user=request.user)
    return render(request, "conferencing/site_form.html", {"form": form, "site": site})


@require_POST
@role_required(may_manage_sites)
def site_set_active(request: HttpRequest, code: str) -> HttpResponse:
    site = managed_site(request, code)
    active = request.POST.get("active") == "1"
    upkeep.set_site_active(request.user, site, active)
    if active:
        messages.success(request, _("The site %(name)s is active again.") % {"name": site.name})
    else:
        messages.success(request, _("The site %(name)s was deactivated.") % {"name": site.name})
    return redirect("conferencing:endpoint-detail", code=site.code)


@require_http_methods(["GET", "POST"])
@role_required(may_manage_sites)
def site_technicians(request: HttpRequest, code: str) -> HttpResponse:
    site = managed_site(request, code)
    if request.method == "POST":
        form = TechniciansForm(request.POST)
        if form.is_valid():
            upkeep.set_technicians(request.user, site, form.cleaned_data["technicians"])
            messages.success(
                request, _("The technicians of %(name)s were saved.") % {"name": site.name}
            )
            return redirect("conferencing:endpoint-detail", code=site.code)
    else:
        form = TechniciansForm(initial={"technicians": list(site.technicians.all())})
    return render(request, "conferencing/site_technicians.html", {"form": form, "site": site})
