"""The conclusion notice's pages: the notice of a session (read, or edited by its
managers while a draft) and the workflow's actions.

Thin views: find the meeting (404 for whoever may not see the notice, as for a
meeting that does not exist), parse, call one function of drafting or workflow.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from conferencing.jurisdiction import acts_for_an_office
from meetings.conclusions import drafting, workflow
from meetings.conclusions.errors import ConclusionError
from meetings.conclusions.forms import ItemFormSet, SummaryForm, drafts_of, office_choices
from meetings.conclusions.models import ConclusionNotice, NoticeState
from meetings.conclusions.reading import notice_page
from meetings.models import Meeting
from meetings.records.storage import StorageUnavailable
from meetings.views.common import AuthenticatedHttpRequest, concerning_meeting, managed_meeting
from meetings.visibility import conclusions_readable, may_manage_conclusions

DONE = {
    workflow.SUBMIT: _("The notice was submitted for approval."),
    workflow.APPROVE: _("The notice was approved."),
    workflow.RETURN: _("The notice was returned to its authors with your comment."),
    workflow.SIGN: _("The notice was numbered and signed."),
    workflow.PUBLISH: _("The notice was published and its tasks assigned."),
}


def back(meeting: Meeting) -> HttpResponse:
    return redirect(reverse("meetings:conclusions", kwargs={"meeting_id": meeting.pk}))


@require_http_methods(["GET", "POST"])
@role_required(can_view_meetings)
def notice(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """GET: the notice (its managers see the draft and its editor; others the published
    notice only, 404 before). POST: save the draft (managers)."""
    meeting = concerning_meeting(request.user, meeting_id)
    manages = may_manage_conclusions(meeting, request.user)
    found = drafting.notice_of(meeting)
    if not manages:
        readable = conclusions_readable(request.user, Meeting.objects.filter(pk=meeting.pk))
        if found is None or found.state != NoticeState.PUBLISHED or not readable.exists():
            raise Http404
    if request.method == "POST":
        if not manages:
            raise Http404
        return save(request, meeting, found)
    return render(
        request,
        "meetings/conclusions/notice.html",
        notice_page(request.user, meeting, found, manages),
    )


def save(
    request: AuthenticatedHttpRequest, meeting: Meeting, found: ConclusionNotice | None
) -> HttpResponse:
    offices = drafting.session_offices(meeting)
    summary = SummaryForm(request.POST)
    items = ItemFormSet(
        request.POST, prefix="items", form_kwargs={"offices": office_choices(offices)}
    )
    if not (summary.is_valid() and items.is_valid()):
        context = notice_page(request.user, meeting, found, True)
        context |= {"summary_form": summary, "item_formset": items}
        return render(request, "meetings/conclusions/notice.html", context, status=400)
    try:
        # One transaction: a first save that is refused leaves no empty notice behind.
        with transaction.atomic():
            notice = found or drafting.start(meeting, request.user)
            drafting.save_draft(
                notice,
                request.user,
                summary=summary.cleaned_data["summary"],
                items=drafts_of(items),
                expected_version=summary.cleaned_data["version"] if found else None,
            )
    except ConclusionError as error:
        context = notice_page(request.user, meeting, found, True)
        context |= {"summary_form": summary, "item_formset": items, "refusal": error.message}
        return render(request, "meetings/conclusions/notice.html", context, status=400)
    messages.success(request, _("The draft notice was saved."))
    return back(meeting)


@require_POST
@role_required(acts_for_an_office)
def act(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = managed_meeting(request.user, meeting_id)
    action = request.POST.get("action", "")
    found = drafting.notice_of(meeting)
    if found is None or action not in workflow.ACTIONS:
        raise Http404
    try:
        if action == workflow.SUBMIT:
            workflow.submit(found, request.user)
        elif action == workflow.APPROVE:
            workflow.approve(found, request.user)
        elif action == workflow.RETURN:
            workflow.return_to_draft(found, request.user, request.POST.get("comment", ""))
        elif action == workflow.SIGN:
            workflow.sign(found, request.user)
        else:
            workflow.publish(found, request.user)
    except ConclusionError as error:
        messages.error(request, error.message)
    except StorageUnavailable:
        messages.error(
            request,
            _("The record storage is unavailable; nothing was signed. Please try again later."),
        )
    else:
        messages.success(request, DONE[action])
    return back(meeting)
