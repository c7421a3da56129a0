"""The conclusion notice over JSON: read it, save the draft, and take the workflow's
actions (submit, approve, return, sign, publish).

Thin views: find the meeting (404 for whoever may not see the notice, as for a meeting
that does not exist), parse, call one function of drafting or workflow. Errors are
problems (httpapi.problems): a refused draft or action is 400 with a stable code (the
field at fault in `errors`), a notice in the wrong state for the action 409
(`wrong_state`, `stale`, `signing_unavailable`).
"""

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from httpapi.problems import ApiProblem
from httpapi.query_parameters import DeclaredQueryParameters
from meetings.api.permissions import MeetingPermission
from meetings.conclusions import drafting, reading, workflow
from meetings.conclusions.errors import ConclusionError, ConclusionStateError
from meetings.conclusions.models import ConclusionNotice, NoticeState, TaskState
from meetings.models import Meeting
from meetings.records import storage as record_storage
from meetings.records.api.records import TIMED_OUT, UNAVAILABLE
from meetings.records.api.records import unavailable as storage_problem
from meetings.views.common import concerning_meeting, managed_meeting
from meetings.visibility import conclusions_readable, may_manage_conclusions


class ConclusionTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    office = serializers.CharField(source="office.code")
    deadline_on = serializers.DateField()
    state = serializers.ChoiceField(choices=TaskState.choices)
    percent = serializers.IntegerField()


class ConclusionItemSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=drafting.MAX_TEXT, allow_blank=True)
    is_task = serializers.BooleanField(default=False)
    offices = serializers.ListField(
        child=serializers.CharField(max_length=32),
        default=list,
        help_text=_("The short codes of the offices a task is assigned to."),
    )
    deadline_on = serializers.DateField(required=False, allow_null=True, default=None)
    deadline_working_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=drafting.MAX_WORKING_DAYS,
        help_text=_("Or: the task is due this many working days after publishing."),
    )
    tasks = ConclusionTaskSerializer(many=True, read_only=True, help_text=_("Once published."))


class ConclusionNoticeSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    state = serializers.ChoiceField(choices=NoticeState.choices, read_only=True)
    due_on = serializers.DateField(read_only=True)
    number_symbol = serializers.CharField(read_only=True)
    summary = serializers.CharField(max_length=drafting.MAX_SUMMARY, allow_blank=True, default="")
    items = ConclusionItemSerializer(many=True, max_length=drafting.MAX_ITEMS)
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you read: the save is refused (409 stale) if it changed."),
    )
    submitted_at = serializers.DateTimeField(read_only=True)
    approved_at = serializers.DateTimeField(read_only=True)
    signed_at = serializers.DateTimeField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    pdf_url = serializers.SerializerMethodField(help_text=_("The signed PDF, once signed."))

    def get_pdf_url(self, notice: dict) -> str | None:
        version = self.context.get("pdf")
        if version is None:
            return None
        return reverse("meetings-api:record-version-download", kwargs={"pk": version.pk})


class NoticeReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)


REFUSED = OpenApiResponse(
    description=_(
        "Refused: codes text_required, text_too_long, offices_required, "
        "office_not_in_session, deadline_required, deadline_days, too_many, "
        "summary_too_long, no_items, same_person, comment_required, signing_failed. "
        "Nothing changed."
    )
)
WRONG_STATE = OpenApiResponse(
    description=_(
        "The notice is not in a state the action applies to (wrong_state), changed since "
        "it was read (stale), or cannot be signed here (signing_unavailable)."
    )
)


def refused(error: ConclusionError) -> ApiProblem:
    errors = None
    if error.field != "__all__":
        errors = [{"field": error.field, "code": error.code, "detail": error.message}]
    wrong_moment = isinstance(error, ConclusionStateError)
    status_code = status.HTTP_409_CONFLICT if wrong_moment else status.HTTP_400_BAD_REQUEST
    return ApiProblem(error.message, error.code, status_code, errors=errors)


def represent(notice: ConclusionNotice, manages: bool) -> dict:
    """The notice as ConclusionNoticeSerializer shows it: its items with their offices' codes and,
    once published, their tasks. Four queries whatever the number of items."""
    notice = ConclusionNotice.objects.select_related("record").get(pk=notice.pk)
    items = [
        {
            "position": item.position,
            "text": item.text,
            "is_task": item.is_task,
            "offices": [office.code for office in item.offices.all()],
            "deadline_on": item.deadline_on,
            "deadline_working_days": item.deadline_working_days,
            "tasks": list(item.tasks.all()),
        }
        for item in reading.items_of(notice)
    ]
    shown = {
        field: getattr(notice, field)
        for field in (
            "meeting_id",
            "state",
            "due_on",
            "number_symbol",
            "summary",
            "version",
            "submitted_at",
            "approved_at",
            "signed_at",
            "published_at",
        )
    }
    context = {"pdf": reading.signed_version(notice, manages)}
    return ConclusionNoticeSerializer({**shown, "items": items}, context=context).data


def readable_notice(user, meeting_id: int) -> tuple[ConclusionNotice, bool]:
    """The notice if the user may see it: its managers always, readers once published;
    404 otherwise, as for one that does not exist."""
    meeting = concerning_meeting(user, meeting_id)
    notice = drafting.notice_of(meeting)
    if notice is None:
        raise Http404
    manages = may_manage_conclusions(meeting, user)
    if not manages:
        readable = conclusions_readable(user, Meeting.objects.filter(pk=meeting.pk)).exists()
        if notice.state != NoticeState.PUBLISHED or not readable:
            raise Http404
    return notice, manages


class ConclusionErrorsMixin:
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ConclusionError):
            exc = refused(exc)
        elif isinstance(exc, record_storage.StorageUnavailable):
            exc = storage_problem(exc)  # 503, or 504 when the store did not answer in time
        return super().handle_exception(exc)  # type: ignore[misc]


class NoticeView(DeclaredQueryParameters, ConclusionErrorsMixin, GenericAPIView):
    """A session's conclusion notice: its managers (the owning office's secretariat) read
    and edit the draft; the sessions' readers read it once published."""

    permission_classes = [MeetingPermission]
    serializer_class = ConclusionNoticeSerializer

    @extend_schema(
        summary=_("The conclusion notice of a session"),
        responses={200: ConclusionNoticeSerializer},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        notice, manages = readable_notice(request.user, meeting_id)
        return Response(represent(notice, manages))

    @extend_schema(
        summary=_("Save the draft notice (made on the first save)"),
        description=_(
            "Replaces the summary and every item. Secretariat of the owning office only; "
            "the notice must be a draft. 201 when this save made the notice."
        ),
        request=ConclusionNoticeSerializer,
        responses={
            200: ConclusionNoticeSerializer,
            201: ConclusionNoticeSerializer,
            400: REFUSED,
            409: WRONG_STATE,
        },
    )
    def put(self, request: Request, meeting_id: int) -> Response:
        meeting = managed_meeting(request.user, meeting_id)
        serializer = ConclusionNoticeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        codes = {code for item in data["items"] for code in item["offices"]}
        offices = dict(
            drafting.session_offices(meeting).filter(code__in=codes).values_list("code", "pk")
        )
        items = []
        for number, item in enumerate(data["items"], start=1):
            unknown = [code for code in item["offices"] if code not in offices]
            if unknown:
                raise ConclusionError(
                    gettext(
                        "Item %(n)d: a task can be assigned only to an office that took "
                        "part in the session."
                    )
                    % {"n": number},
                    "office_not_in_session",
                    f"items.{number}.offices",
                )
            items.append(
                drafting.ItemDraft(
                    text=item["text"],
                    is_task=item["is_task"],
                    office_ids=[offices[code] for code in item["offices"]],
                    deadline_on=item["deadline_on"],
                    deadline_working_days=item["deadline_working_days"],
                )
            )
        found = drafting.notice_of(meeting)
        with transaction.atomic():
            notice = found or drafting.start(meeting, request.user)
            notice = drafting.save_draft(
                notice,
                request.user,
                summary=data["summary"],
                items=items,
                expected_version=data.get("version") if found else None,
            )
        created = found is None
        return Response(
            represent(notice, True),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": request.path} if created else None,
        )


class NoticeActionView(DeclaredQueryParameters, ConclusionErrorsMixin, GenericAPIView):
    permission_classes = [MeetingPermission]
    serializer_class = ConclusionNoticeSerializer
    action_name = ""

    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = managed_meeting(request.user, meeting_id)
        notice = drafting.notice_of(meeting)
        if notice is None:
            raise Http404
        if self.action_name == workflow.SUBMIT:
            notice = workflow.submit(notice, request.user)
        elif self.action_name == workflow.APPROVE:
            notice = workflow.approve(notice, request.user)
        elif self.action_name == workflow.RETURN:
            serializer = NoticeReturnSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            notice = workflow.return_to_draft(
                notice, request.user, serializer.validated_data["comment"]
            )
        elif self.action_name == workflow.SIGN:
            notice = workflow.sign(notice, request.user)
        else:
            notice = workflow.publish(notice, request.user)
        return Response(represent(notice, True))


def action_view(
    name: str, summary: str, request: object = None, refusable: bool = True, stores: bool = False
) -> type[NoticeActionView]:
    responses = {200: ConclusionNoticeSerializer, 409: WRONG_STATE}
    if refusable:
        responses[400] = REFUSED
    if stores:  # the signed PDF goes to the records' storage
        responses.update({503: UNAVAILABLE, 504: TIMED_OUT})
    decorated = extend_schema(summary=summary, request=request, responses=responses)
    return decorated(type(f"Notice{name.title()}View", (NoticeActionView,), {"action_name": name}))


SubmitView = action_view(workflow.SUBMIT, _("Submit the draft notice for approval"))
ApproveView = action_view(
    workflow.APPROVE, _("Approve the submitted notice (neither its drafter nor its submitter)")
)
ReturnView = action_view(
    workflow.RETURN,
    _("Return the submitted notice to its authors with a comment"),
    NoticeReturnSerializer,
)
SignView = action_view(
    workflow.SIGN, _("Number and sign the approved notice (PDF, PAdES)"), stores=True
)
PublishView = action_view(
    workflow.PUBLISH,
    _("Publish the signed notice: its tasks are assigned, the offices told"),
    refusable=False,
)
