"""The people import pages: upload, follow a job (its progress bar polls status.json),
and download its refused rows. Jobs are the acting office's (every one for the
superuser); another office's answers 404 as a missing one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from people import import_jobs
from people.import_forms import PeopleImportForm
from people.scope import may_manage_people

RECENT_IMPORTS = 10


@require_http_methods(["GET", "POST"])
@role_required(may_manage_people)
def people_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PeopleImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = import_jobs.create_job(
                user=request.user,
                data=b"".join(upload.chunks()),
                file_name=upload.name or "",
                skip_invalid=form.cleaned_data["skip_invalid"],
                office=import_jobs.acting_office(request.user),
            )
            messages.success(
                request,
                _("The file was received; its people are being imported in the background."),
            )
            return redirect("people:import-job", job_id=job.pk)
    else:
        form = PeopleImportForm()
    recent = (
        import_jobs.visible_jobs(request.user).without_data().select_related("created_by__person")
    )
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "recent_jobs": recent.recent()[:RECENT_IMPORTS],
            "acting_office": import_jobs.acting_office(request.user),
        },
    )


@require_GET
@role_required(may_manage_people)
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(
        import_jobs.visible_jobs(request.user).without_data().select_related("created_by__person"),
        pk=job_id,
    )
    return render(request, "people/import_job.html", {"job": job})


@never_cache
@require_GET
@role_required(may_manage_people)
def import_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = get_object_or_404(import_jobs.visible_jobs(request.user).without_data(), pk=job_id)
    return JsonResponse(import_jobs.job_status(job))


@require_GET
@role_required(may_manage_people)
def import_job_bad_rows(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(import_jobs.visible_jobs(request.user).without_data(), pk=job_id)
    response = HttpResponse(import_jobs.bad_rows_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"giaoban-people-import-{job.pk}-rejected.csv"
    )
    return response
