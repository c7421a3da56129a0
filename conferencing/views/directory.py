"""Web pages of the site directory and the secretariat's CSV import and export. Import
jobs are the acting office's (every one for the superuser); another office's answers 404."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.roles import can_view_endpoints
from conferencing import import_jobs, jurisdiction
from conferencing.endpoint_export import export_endpoints
from conferencing.forms import EndpointFilterForm, EndpointImportForm
from conferencing.jurisdiction import may_manage_sites
from conferencing.models import PATH_SEPARATOR, Endpoint

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    # What a view behind role_required receives: anonymous users never get that far.

    class AuthenticatedHttpRequest(HttpRequest):
        user: User

else:
    AuthenticatedHttpRequest = HttpRequest

PAGE_SIZE = 100
RECENT_IMPORTS = 10
# Indentation classes in app.css go this deep; deeper sites share the last step.
MAX_INDENT = 6
LIST_FIELDS = [
    "code",
    "name",
    "level",
    "path",
    "organisation",
    "dial_string",
    "is_active",
    "parent__code",
    "parent__name",
]
SUMMARY_FIELDS = ["code", "name", "level", "path", "is_active"]
UTF8_BOM = "\ufeff"


@require_GET
@role_required(can_view_endpoints)
def endpoint_list(request: HttpRequest) -> HttpResponse:
    form = EndpointFilterForm(request.GET)
    page = None
    rows: list[tuple[Endpoint, int]] = []
    if form.is_valid():
        endpoints = form.filter(Endpoint.objects.select_related("parent").only(*LIST_FIELDS))
        page = Paginator(endpoints, PAGE_SIZE).get_page(request.GET.get("page"))
        base_depth = form.ancestor.depth if form.ancestor else 0
        rows = [
            (endpoint, min(max(endpoint.depth - base_depth, 0), MAX_INDENT))
            for endpoint in page.object_list
        ]
    return render(
        request,
        "conferencing/endpoint_list.html",
        {"form": form, "page": page, "rows": rows},
    )


@require_GET
@role_required(can_view_endpoints)
def endpoint_detail(request: HttpRequest, code: str) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint.objects.select_related("parent"), code=code)
    # The path holds every ancestor's code: the whole chain is one query.
    ancestor_codes = endpoint.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
    ancestors = Endpoint.objects.filter(code__in=ancestor_codes).only(*SUMMARY_FIELDS)
    children = endpoint.children.only(*SUMMARY_FIELDS).order_by("path")
    technicians = endpoint.technicians.select_related("person").order_by(
        "person__full_name", "username"
    )
    return render(
        request,
        "conferencing/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "ancestors": ancestors.order_by("path"),
            "children": children,
            "technicians": technicians,
            "can_manage_site": jurisdiction.may_manage_site(request.user, endpoint),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(may_manage_sites)
def endpoint_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EndpointImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = import_jobs.create_job(
                user=request.user,
                upload=form.cleaned_data["file"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                office=jurisdiction.import_office(request.user),
            )
            messages.success(
                request, _("The file was received; its sites are being imported in the background.")
            )
            return redirect("conferencing:import-job", job_id=job.pk)
    else:
        form = EndpointImportForm()
    recent_jobs = (
        jurisdiction.visible_import_jobs(request.user)
        .without_data()
        .select_related("created_by")
        .recent()
    )
    return render(
        request,
        "conferencing/endpoint_import.html",
        {"form": form, "recent_jobs": recent_jobs[:RECENT_IMPORTS]},
    )


@require_GET
@role_required(may_manage_sites)
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(
        jurisdiction.visible_import_jobs(request.user).without_data().select_related("created_by"),
        pk=job_id,
    )
    return render(request, "conferencing/import_job.html", {"job": job})


@never_cache
@require_GET
@role_required(may_manage_sites)
def import_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = get_object_or_404(
        jurisdiction.visible_import_jobs(request.user).without_data(), pk=job_id
    )
    return JsonResponse(import_jobs.job_status(job))


@require_GET
@role_required(may_manage_sites)
def endpoint_export(request: HttpRequest) -> HttpResponse:
    # The sites the user manages: what the same user may import back unchanged.
    text = export_endpoints(jurisdiction.managed_sites(request.user))
    # The byte-order mark makes Excel read the file as UTF-8 (Vietnamese names).
    if not text.startswith(UTF8_BOM):
        text = UTF8_BOM + text
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    file_name = f"giaoban-sites-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response
