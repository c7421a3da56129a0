"""The office's document wording page with its preview, and the meeting page's
"Tạo giấy mời" button. Thin views: authorise, parse, call one domain function.

Authority: the wording pages edit the office the secretary acts for
(conferencing.jurisdiction.booking_office; no office id in the address, so nothing of
another office can be asked for); the invitation is issued by whoever manages the
meeting (visibility.changeable through managed_meeting; 404 otherwise).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from conferencing.jurisdiction import acts_for_an_office, booking_office
from conferencing.models import Office
from meetings.official import invitations, numbering, wording
from meetings.official.forms import DocumentTemplateForm
from meetings.official.models import DocumentKind
from meetings.official.render import render_pdf
from meetings.records import storage as record_storage
from meetings.records.archive import RecordError
from meetings.views.common import AuthenticatedHttpRequest, managed_meeting

# What a preview says where a real document has its own content.
SAMPLE_TITLE = "Hội nghị trực tuyến (bản xem thử)"
SAMPLE_ITEMS = {
    DocumentKind.INVITATION: [
        "Thời gian: 07/12/2026 08:00 - 11:00.",
        "Địa điểm: điểm cầu chủ trì; đại biểu dự tại điểm cầu của đơn vị mình.",
        "Nội dung: (chương trình của phiên họp).",
    ],
    DocumentKind.CONCLUSION: ["(Nội dung kết luận thứ nhất.)", "(Nội dung kết luận thứ hai.)"],
}


def kind_or_404(kind: str) -> DocumentKind:
    if kind not in DocumentKind.values:
        raise Http404
    return DocumentKind(kind)


def acting_office(request: AuthenticatedHttpRequest) -> Office:
    office = booking_office(request.user)
    if office is None:  # role_required(acts_for_an_office) has let only secretaries in
        raise Http404
    return office


def preview_pdf(office: Office, kind: DocumentKind, template) -> HttpResponse:
    content = wording.Composed(
        number_symbol=numbering.number_symbol(1, office, kind),
        issued_on=timezone.localdate(),
        title=SAMPLE_TITLE,
        body=[],
        items=SAMPLE_ITEMS[kind],
    )
    pdf = render_pdf(wording.compose(template, office, content))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{kind.value}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(acts_for_an_office)
def template_edit(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    document_kind = kind_or_404(kind)
    office = acting_office(request)
    template = wording.template_for(office, document_kind)
    form = DocumentTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        wording.save_template(office, document_kind, form.cleaned_data, request.user)
        messages.success(request, _("The wording of the document is saved."))
        return redirect("official:template", kind=document_kind.value)
    context = {
        "form": form,
        "office": office,
        "kind": document_kind,
        "kinds": DocumentKind.choices,
        "saved": template.pk is not None,
    }
    return render(request, "official/template_form.html", context)


@require_GET
@role_required(acts_for_an_office)
def template_preview(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    document_kind = kind_or_404(kind)
    office = acting_office(request)
    return preview_pdf(office, document_kind, wording.template_for(office, document_kind))


@require_POST
@role_required(acts_for_an_office)
def issue_invitation(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = managed_meeting(request.user, meeting_id)
    back = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}) + "#records"
    try:
        version = invitations.issue_invitation(meeting, request.user)
    except (invitations.InvitationRefused, RecordError) as error:
        messages.error(request, error.message)
        return redirect(back)
    except record_storage.StorageUnavailable:
        messages.error(
            request, _("The archive cannot be reached: no invitation letter was stored.")
        )
        return redirect(back)
    messages.success(
        request,
        _("Invitation letter %(number)s is in the session's records.")
        % {"number": version.reason.removeprefix("Số ")},
    )
    return redirect(back)
