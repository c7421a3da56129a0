"""The records of a session on its page: download, watch, and the secretariat's actions.

Thin views: find the meeting the user may read (404 otherwise, as its page),
parse a form, call one function of meetings.records / record_documents /
downloads. Refusals come back as messages on the meeting page; storage
being down is a 503 page that says so.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from conferencing.jurisdiction import acts_for_an_office
from meetings.models import Meeting
from meetings.records import archive, documents, downloads, signature_checks, signature_display
from meetings.records import storage as record_storage
from meetings.records.archive import RecordError
from meetings.records.forms import DocumentUploadForm, LegalHoldForm, ReturnForm
from meetings.records.models import Record, RecordKind, RecordStatus, RecordVersion
from meetings.views.common import (
    AuthenticatedHttpRequest,
    concerning_meeting,
    managed_meeting,
)
from meetings.visibility import User


@dataclass
class RecordRow:
    """One record as the page shows it: its newest version first."""

    record: Record
    versions: list[RecordVersion] = field(default_factory=list)
    # The minutes actions the user may take on the newest version (archive.allowed_actions).
    actions: tuple[str, ...] = ()
    # Why the submitted minutes wait for someone else, or for the end of the session
    # (archive.approval_refusal), shown where the approve button would be.
    approval_note: str = ""

    @property
    def latest(self) -> RecordVersion:
        return self.versions[0]


def records_section(user: User, meeting: Meeting, manage: bool) -> dict:
    """The context of templates/meetings/records/section.html: one query for the records
    and their versions (the upload form offers the records already read)."""
    rows: dict[int, RecordRow] = {}
    for version in archive.visible_versions(user, meeting):
        row = rows.setdefault(version.record_id, RecordRow(version.record))
        row.versions.append(version)
    for row in rows.values():
        # Whoever manages the records sees every version: a row's first is the newest.
        row.actions = archive.allowed_actions(
            row.latest, user, manager=manage, newest=row.latest.number, meeting=meeting
        )
        waiting = archive.minutes_refusal(row.latest, archive.APPROVE, row.latest.number)
        if manage and waiting is None and archive.APPROVE not in row.actions:
            refusal, _verdict = archive.approval_refusal(
                row.latest, user, meeting, row.latest.number
            )
            row.approval_note = refusal.message if refusal else ""
    upload_form = None
    if manage:
        upload_form = DocumentUploadForm(meeting=meeting)
        upload_form.offer([row.record for row in rows.values()])
    return {
        "record_rows": list(rows.values()),
        "manage_records": manage,
        "upload_form": upload_form,
        "return_form": ReturnForm() if manage else None,
        "downloadable_statuses": archive.STORED_STATUSES,
    }


def back_to_records(meeting: Meeting) -> HttpResponse:
    return redirect(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}) + "#records")


def storage_unavailable(
    request: HttpRequest, meeting: Meeting, error: record_storage.StorageUnavailable
) -> HttpResponse:
    """503, or 504 when the store did not answer in time (the page says which)."""
    timed_out = isinstance(error, record_storage.StorageTimeout)
    context = {"meeting": meeting, "timed_out": timed_out}
    return render(
        request, "meetings/records/unavailable.html", context, status=504 if timed_out else 503
    )


@require_POST
@role_required(acts_for_an_office)
def upload(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = managed_meeting(request.user, meeting_id)
    form = DocumentUploadForm(request.POST, request.FILES, meeting=meeting)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back_to_records(meeting)
    data = form.cleaned_data
    try:
        version = documents.upload_document(
            meeting=meeting,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            uploaded_by=request.user,
            record=data["record"],
            reason=data["reason"],
        )
    except RecordError as error:
        messages.error(request, error.message)
        return back_to_records(meeting)
    except record_storage.StorageUnavailable as error:
        return storage_unavailable(request, meeting, error)
    messages.success(
        request,
        _("“%(name)s” was stored as version %(number)d.")
        % {"name": version.original_name, "number": version.number},
    )
    return back_to_records(meeting)


def _managed_version(user: User, meeting_id: int, version_id: int) -> RecordVersion:
    meeting = managed_meeting(user, meeting_id)
    version = get_object_or_404(
        RecordVersion.objects.select_related("record", "submitted_by__person"),
        pk=version_id,
        record__meeting=meeting,
    )
    version.record.meeting = meeting
    return version


@require_POST
@role_required(acts_for_an_office)
def submit(request: AuthenticatedHttpRequest, meeting_id: int, version_id: int) -> HttpResponse:
    version = _managed_version(request.user, meeting_id, version_id)
    return _act(request, version, lambda: archive.submit(version, request.user),
                _("The minutes were submitted for approval."))  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def approve(request: AuthenticatedHttpRequest, meeting_id: int, version_id: int) -> HttpResponse:
    """GET asks for confirmation (what will be published, to whom, and who submitted it);
    POST approves and publishes. A refusal comes back as a message on the session page."""
    version = _managed_version(request.user, meeting_id, version_id)
    if request.method == "POST":
        return _act(request, version, lambda: archive.approve(version, request.user),
                    _("The minutes were approved and published."))  # fmt: skip
    meeting = version.record.meeting
    refusal, verdict = archive.approval_refusal(version, request.user, meeting)
    if refusal is not None:
        messages.error(request, refusal.message)
        return back_to_records(meeting)
    return render(
        request,
        "meetings/records/approve.html",
        {"meeting": meeting, "version": version, "single_secretary": verdict.exception_used},
    )


@require_POST
@role_required(acts_for_an_office)
def return_minutes(
    request: AuthenticatedHttpRequest, meeting_id: int, version_id: int
) -> HttpResponse:
    version = _managed_version(request.user, meeting_id, version_id)
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        version,
        lambda: archive.return_for_changes(version, request.user, comment),
        _("The minutes were returned with your comment."),
    )


def _act(request: HttpRequest, version: RecordVersion, action, done: str) -> HttpResponse:
    try:
        action()
    except RecordError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return back_to_records(version.record.meeting)


@require_POST
@role_required(acts_for_an_office)
def legal_hold(request: AuthenticatedHttpRequest, meeting_id: int, record_id: int) -> HttpResponse:
    meeting = managed_meeting(request.user, meeting_id)
    record = get_object_or_404(Record, pk=record_id, meeting=meeting)
    form = LegalHoldForm(request.POST)
    hold = form.is_valid() and form.cleaned_data["hold"]
    archive.set_legal_hold(record, hold=hold, actor=request.user)
    messages.success(
        request,
        _("“%(title)s” is under legal hold: it will not be purged.") % {"title": record.title}
        if hold
        else _("“%(title)s” is no longer under legal hold.") % {"title": record.title},
    )
    return back_to_records(meeting)


@require_GET
@role_required(can_view_meetings)
def download(
    request: AuthenticatedHttpRequest, meeting_id: int, version_id: int
) -> HttpResponseBase:
    meeting = concerning_meeting(request.user, meeting_id)
    version = archive.downloadable(request.user, meeting, version_id)
    if version is None:
        raise Http404
    try:
        return downloads.serve(request, version, inline=request.GET.get("inline") == "1")
    except record_storage.ObjectMissing:
        raise Http404 from None
    except record_storage.StorageUnavailable as error:
        return storage_unavailable(request, meeting, error)


@require_GET
@role_required(can_view_meetings)
def watch(request: AuthenticatedHttpRequest, meeting_id: int, version_id: int) -> HttpResponse:
    meeting = concerning_meeting(request.user, meeting_id)
    version = archive.downloadable(request.user, meeting, version_id)
    if version is None or version.record.kind != RecordKind.RECORDING:
        raise Http404
    return render(
        request,
        "meetings/records/watch.html",
        {
            "meeting": meeting,
            "version": version,
            "verifying": version.status == RecordStatus.VERIFYING,
        },
    )


@require_GET
@role_required(can_view_meetings)
def signature(request: AuthenticatedHttpRequest, meeting_id: int, version_id: int) -> HttpResponse:
    """The signatures of a PDF version, checked now (a file changed in storage, or trust
    roots changed, show here as they are) up to SIGNATURE_DISPLAY_CHECK_MAX_BYTES; a
    bigger file shows the check made when stored. Whoever may download the version may
    see it."""
    meeting = concerning_meeting(request.user, meeting_id)
    version = archive.downloadable(request.user, meeting, version_id)
    if version is None or version.content_type != signature_checks.PDF:
        raise Http404
    checked_now = version.size <= settings.SIGNATURE_DISPLAY_CHECK_MAX_BYTES
    if checked_now:
        try:
            report = signature_checks.check_signature(version, when_changed=True)
        except record_storage.StorageUnavailable as error:
            return storage_unavailable(request, meeting, error)
        if report is None:  # the object is gone, as the download answers
            raise Http404
    else:
        report = signature_checks.stored_report(version)
    return render(
        request,
        "meetings/records/signature.html",
        {
            "meeting": meeting,
            "version": version,
            "report": report,
            "checked_now": checked_now,
            "display_limit": settings.SIGNATURE_DISPLAY_CHECK_MAX_BYTES,
            # Not checked now: the stored verdict, unless reached against replaced roots.
            "verdict": signature_display.verdict(report)
            if checked_now
            else signature_display.signature_badge(version),
            "why": signature_display.reason_text(report) if report else "",
            "signatures": signature_display.signature_lines(report) if report else [],
        },
    )
