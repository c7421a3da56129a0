"""The task pages (/tasks/): the list of the tasks a secretariat sees, a task with its
history and the forms of its next steps, an evidence file, and the follow-up page with
its CSV and XLSX exports. Thin: parse, ask access, call actions, render. A task the
user may not see or act on answers 404, as a missing one."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from conferencing.charts import stacked_bars
from conferencing.jurisdiction import booking_office
from meetings.conclusions.models import Task
from meetings.followup import access, actions, export, listing, summary
from meetings.followup.forms import (
    CompletionForm,
    DecisionForm,
    ExtensionForm,
    ProgressForm,
    TaskFilterForm,
)
from meetings.followup.models import EvidenceFile, TaskEvent
from meetings.followup.transitions import WrongState, allowed
from meetings.records import storage
from meetings.views.common import AuthenticatedHttpRequest

PAGE_SIZE = 50
STEP_FORMS = {
    "progress": ProgressForm,
    "extension": ExtensionForm,
    "completion": CompletionForm,
    "extension-decision": DecisionForm,
    "completion-decision": DecisionForm,
}


def _task(request: AuthenticatedHttpRequest, task_id: int) -> Task:
    try:
        return access.task_for(request.user, task_id)
    except access.NoSuchTask:
        raise Http404 from None


@require_GET
@role_required(access.may_follow)
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = TaskFilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    tasks = listing.filtered(request.user, **{k: v for k, v in wanted.items() if v})
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        (task, summary.timeliness_of(task.state, task.deadline_on, task.completed_on, today))
        for task in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/followup/list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "labels": summary.timeliness_labels(),
            "query": query.urlencode(),
            "office": booking_office(request.user),
        },
    )


def _forms_for(request: AuthenticatedHttpRequest, task: Task, bound: dict) -> dict:
    forms = {}
    if access.may_report(request.user, task):
        for step, kind in (
            ("progress", "progress"),
            ("extension", "extension_requested"),
            ("completion", "completion_reported"),
        ):
            if allowed(task.state, kind):
                forms[step] = bound.get(step) or STEP_FORMS[step]()
    if access.may_decide(request.user, task):
        for step, kind in (
            ("extension-decision", "extension_granted"),
            ("completion-decision", "accepted"),
        ):
            if allowed(task.state, kind):
                forms[step] = bound.get(step) or STEP_FORMS[step]()
    return forms


def _render_task(
    request: AuthenticatedHttpRequest, task: Task, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    events = (
        TaskEvent.objects.filter(task=task)
        .select_related("actor__person", "office")
        .prefetch_related("evidence")
        .order_by("-at", "-id")
    )
    session = task.item.notice.meeting
    return render(
        request,
        "meetings/followup/task.html",
        {
            "task": task,
            "notice": task.item.notice,
            "assigning_office": session.owner_office,
            "session": session,
            "session_visible": listing.with_session_visible(
                request.user, Task.objects.filter(pk=task.pk)
            )
            .values_list("session_visible", flat=True)
            .first(),
            "events": events,
            "pending": actions.pending_extension(task),
            "forms": _forms_for(request, task, bound or {}),
            "timeliness": summary.timeliness_labels()[
                summary.timeliness_of(
                    task.state, task.deadline_on, actions.accepted_day(task), timezone.localdate()
                )
            ],
        },
        status=status,
    )


@require_GET
@role_required(access.may_follow)
def task_detail(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    return _render_task(request, _task(request, task_id))


@require_POST
@role_required(access.may_follow)
def task_step(request: AuthenticatedHttpRequest, task_id: int, step: str) -> HttpResponse:
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    # Who may take the step is asked before the form is read: a refusal is a 404 whatever
    # was sent, never a form error that tells the task exists.
    find = access.decidable_task if step.endswith("-decision") else access.reportable_task
    try:
        task = find(request.user, task_id)
    except access.NoSuchTask:
        raise Http404 from None
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _render_task(request, task, {step: form}, status=400)
    try:
        _run(request, task, step, form)
    except access.NoSuchTask:
        raise Http404 from None
    except WrongState as error:
        messages.error(request, error.message)
        return _render_task(request, task, status=409)
    except actions.StepRefused as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_task(request, task, {step: form}, status=400)
    except storage.StorageUnavailable:
        messages.error(request, _("The files could not be stored; nothing was saved. Try again."))
        return _render_task(request, task, {step: form}, status=503)
    messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("followup:task", args=[task.pk]))


def _run(request: AuthenticatedHttpRequest, task: Task, step: str, form) -> None:
    data = form.cleaned_data
    user = request.user
    if step == "progress":
        actions.report_progress(
            user, task, percent=data["percent"], note=data["note"], files=data["files"]
        )
    elif step == "extension":
        actions.request_extension(
            user, task, new_deadline=data["new_deadline"], reason=data["reason"]
        )
    elif step == "completion":
        actions.report_completion(user, task, note=data["note"], files=data["files"])
    elif step == "extension-decision":
        actions.decide_extension(user, task, grant=form.yes, reason=data["reason"])
    else:
        actions.decide_completion(user, task, accept=form.yes, reason=data["reason"])


@require_GET
@role_required(access.may_follow)
def evidence(request: AuthenticatedHttpRequest, task_id: int, file_id: int) -> HttpResponse:
    task = _task(request, task_id)
    found = EvidenceFile.objects.filter(pk=file_id, event__task=task).first()
    if found is None:
        raise Http404
    try:
        if storage.is_s3():
            return HttpResponseRedirect(
                storage.download_url(
                    found.key,
                    original_name=found.name,
                    content_type=found.content_type,
                    expires_s=settings.RECORDS_LINK_SECONDS,
                )
            )
        chunks = storage.open_chunks(found.key)
    except storage.ObjectMissing:
        raise Http404 from None
    response = FileResponse(chunks, as_attachment=True, filename=found.name)
    response["Content-Type"] = found.content_type
    return response


def bars(rows: list[summary.OfficeRow]):
    labels = summary.timeliness_labels()
    return stacked_bars(
        [(row.name, [row.timeliness.get(key, 0) for key in summary.TIMELINESS]) for row in rows],
        [(key, labels[key]) for key in summary.TIMELINESS],
    )


@require_GET
@role_required(access.may_follow)
def follow_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = summary.per_office(access.watched_tasks(request.user))
    whole = summary.totals(rows)
    return render(
        request,
        "meetings/followup/follow_up.html",
        {
            "office": booking_office(request.user),
            "rows": rows,
            "whole": whole,
            "chart": bars(rows),
            "chart_summary": _(
                "Tasks per assigned office: %(on_time)d done on time, %(late)d done late, "
                "%(overdue)d overdue, %(open)d open within deadline."
            )
            % whole.timeliness,
            "labels": summary.timeliness_labels(),
            "timeliness_keys": summary.TIMELINESS,
            "state_choices": Task._meta.get_field("state").choices,
        },
    )


@require_GET
@role_required(access.may_follow)
def follow_up_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    tasks = access.watched_tasks(request.user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(export.as_csv(tasks), content_type="text/csv; charset=utf-8")
        name = f"nhiem-vu-{stamp}.csv"
    elif fmt == "xlsx":
        response = HttpResponse(
            export.as_xlsx(tasks),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"nhiem-vu-{stamp}.xlsx"
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
