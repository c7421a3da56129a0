"""Pages of bridges (MCUs): the acting office's own and those shared with it (read-only),
every bridge for the superuser; others get 403. A bridge the user may not edit answers
404 on the edit page, as a missing one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from conferencing import jurisdiction, upkeep
from conferencing.forms.bridges import BridgeForm
from conferencing.jurisdiction import OutsideJurisdiction, may_manage_sites
from conferencing.models import Bridge


@require_GET
@role_required(may_manage_sites)
def bridge_list(request: HttpRequest) -> HttpResponse:
    bridges = (
        jurisdiction.visible_bridges(request.user)
        .select_related("owner")
        .prefetch_related("shared_with")
        .order_by("name")
    )
    editable = set(jurisdiction.managed_bridges(request.user).values_list("pk", flat=True))
    rows = [(bridge, bridge.pk in editable) for bridge in bridges]
    return render(request, "conferencing/bridge_list.html", {"rows": rows})


def _bridge_form(request: HttpRequest, bridge: Bridge | None) -> HttpResponse:
    created = bridge is None
    if request.method == "POST":
        form = BridgeForm(request.POST, instance=bridge, user=request.user)
        if form.is_valid():
            try:
                saved = upkeep.save_bridge(
                    request.user,
                    form.save(commit=False),
                    form.cleaned_data["shared_with"],
                    form.changed_data,
                    created,
                )
            except OutsideJurisdiction as refused:
                form.add_error(
                    refused.field if refused.field in form.fields else None, refused.message
                )
            else:
                messages.success(
                    request, _("The bridge %(name)s was saved.") % {"name": saved.name}
                )
                return redirect("bridges:list")
    else:
        form = BridgeForm(instance=bridge, user=request.user)
    return render(request, "conferencing/bridge_form.html", {"form": form, "bridge": bridge})


@require_http_methods(["GET", "POST"])
@role_required(may_manage_sites)
def bridge_create(request: HttpRequest) -> HttpResponse:
    return _bridge_form(request, None)


@require_http_methods(["GET", "POST"])
@role_required(may_manage_sites)
def bridge_edit(request: HttpRequest, bridge_id: int) -> HttpResponse:
    bridge = get_object_or_404(
        jurisdiction.managed_bridges(request.user).select_related("owner"), pk=bridge_id
    )
    return _bridge_form(request, bridge)
