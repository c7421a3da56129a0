"""Tasks over JSON (/api/v1/tasks/): the list (cursor pages, declared filters), one task
with its history, one step of it, and the steps: POST reports, extension requests and
decisions. Rules in meetings.followup (access, actions); a task the asker may not see or
take the step on answers 404, as a missing one; a step its state does not allow, 409."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from httpapi.idempotency import idempotent
from httpapi.pagination import StableCursorPagination
from httpapi.problem_schema import ProblemSerializer, ValidationProblemSerializer
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES
from meetings.conclusions.models import Task
from meetings.followup import access, actions, listing
from meetings.followup.api.serializers import (
    TaskDecisionSerializer,
    TaskDetailSerializer,
    TaskEventSerializer,
    TaskExtensionRequestSerializer,
    TaskFilterSerializer,
    TaskReportSerializer,
    TaskSerializer,
)
from meetings.followup.models import TaskEvent
from meetings.followup.transitions import WrongState
from meetings.records import storage

TASK_ID = OpenApiParameter("task_id", OpenApiTypes.INT, OpenApiParameter.PATH)
EVENT_ID = OpenApiParameter("event_id", OpenApiTypes.INT, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(
    ProblemSerializer,
    description=_("No such task, or one the acting office may not see or take this step on."),
)
BAD_REQUEST = OpenApiResponse(
    ValidationProblemSerializer, description=_("The request is not valid: every invalid field.")
)
WRONG_STATE_RESPONSE = OpenApiResponse(
    ProblemSerializer,
    description=_(
        "Code wrong_state: the task's state does not allow this step (nothing written); "
        "or code idempotency_key_in_use."
    ),
)
UNAVAILABLE = OpenApiResponse(
    ProblemSerializer,
    description=_(
        "Code storage_unavailable: the evidence could not be stored; nothing was written."
    ),
)
TIMED_OUT = OpenApiResponse(
    ProblemSerializer,
    description=_("Code storage_timeout: the storage did not answer in time; nothing was written."),
)


class WrongTaskState(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "wrong_state"
    default_detail = _("The task's state does not allow this step.")


class StorageDown(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "storage_unavailable"
    default_detail = _("The files could not be stored; nothing was saved. Try again.")


class StorageTimedOut(APIException):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_code = "storage_timeout"
    default_detail = _("The storage did not answer in time; nothing was saved. Try again.")


class FollowsTasks(BasePermission):
    """The secretariat acting for an office; anonymous 401, anyone else 403."""

    message = _("Only an office's secretariat follows tasks.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access.may_follow(request.user)


class TaskPagination(StableCursorPagination):
    ordering = ("deadline_on", "pk")


class StepErrorsMixin:
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, access.NoSuchTask):
            exc = NotFound()
        elif isinstance(exc, WrongState):
            exc = WrongTaskState(exc.message)
        elif isinstance(exc, actions.StepRefused):
            exc = ValidationError({exc.field: [exc.message]})
        elif isinstance(exc, storage.StorageTimeout):
            exc = StorageTimedOut()
        elif isinstance(exc, storage.StorageUnavailable):
            exc = StorageDown()
        return super().handle_exception(exc)  # type: ignore[misc]


def context() -> dict:
    return {"today": timezone.localdate()}


def created(event: TaskEvent) -> Response:
    event = (
        TaskEvent.objects.select_related("office", "actor")
        .prefetch_related("evidence")
        .get(pk=event.pk)
    )
    return Response(
        TaskEventSerializer(event).data,
        status=status.HTTP_201_CREATED,
        headers={
            "Location": reverse(
                "followup-api:task-event", kwargs={"task_id": event.task_id, "event_id": event.pk}
            )
        },
    )


class TaskListView(StepErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [FollowsTasks]
    pagination_class = TaskPagination
    serializer_class = TaskSerializer
    query_parameters = TaskFilterSerializer
    queryset = Task.objects.none()  # the schema's model; access decides
    # DeclaredQueryParameters accepts the paginator's parameters on a "list" action.
    action = "list"

    @extend_schema(
        operation_id="tasks_list",
        summary=_("The tasks the acting office sees"),
        description=_(
            "Those assigned to it, and those it or an office of its jurisdiction assigned; "
            "by deadline."
        ),
        parameters=[TaskFilterSerializer],
        responses={200: TaskSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        filters = TaskFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        tasks = listing.filtered(request.user, **filters.validated_data)
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(TaskSerializer(page, many=True, context=context()).data)


class TaskDetailView(StepErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [FollowsTasks]
    serializer_class = TaskDetailSerializer
    queryset = Task.objects.none()

    @extend_schema(
        operation_id="tasks_retrieve",
        summary=_("One task with its history"),
        parameters=[TASK_ID],
        responses={200: TaskDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, task_id: int) -> Response:
        task = access.task_for(request.user, task_id)
        task.completed_on = actions.accepted_day(task)
        task.events_list = list(
            TaskEvent.objects.filter(task=task)
            .select_related("office", "actor")
            .prefetch_related("evidence")
            .order_by("at", "id")
        )
        data = TaskSerializer(task, context=context()).data
        data["events"] = TaskEventSerializer(task.events_list, many=True).data
        return Response(data)


class TaskEventView(StepErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [FollowsTasks]
    serializer_class = TaskEventSerializer
    queryset = TaskEvent.objects.none()

    @extend_schema(
        operation_id="tasks_events_retrieve",
        summary=_("One step of a task's history"),
        parameters=[TASK_ID, EVENT_ID],
        responses={200: TaskEventSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, task_id: int, event_id: int) -> Response:
        task = access.task_for(request.user, task_id)
        event = (
            TaskEvent.objects.filter(task=task, pk=event_id)
            .select_related("office", "actor")
            .prefetch_related("evidence")
            .first()
        )
        if event is None:
            raise NotFound
        return Response(TaskEventSerializer(event).data)


STEP_RESPONSES = {
    201: TaskEventSerializer,
    400: BAD_REQUEST,
    404: NOT_FOUND,
    409: WRONG_STATE_RESPONSE,
    422: KEY_RESPONSES[422],
}


class TaskReportsView(StepErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [FollowsTasks]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = TaskReportSerializer
    queryset = Task.objects.none()

    @extend_schema(
        operation_id="tasks_reports_create",
        summary=_("Report progress or completion (the assigned office)"),
        description=_(
            "JSON, or a multipart form with evidence files (each at most "
            "TASK_EVIDENCE_MAX_BYTES, at most TASK_EVIDENCE_MAX_FILES)."
        ),
        parameters=[TASK_ID, *KEY_PARAMETERS],
        request={
            "application/json": TaskReportSerializer,
            "multipart/form-data": TaskReportSerializer,
        },
        responses={**STEP_RESPONSES, 503: UNAVAILABLE, 504: TIMED_OUT},
    )
    @idempotent
    def post(self, request: Request, task_id: int) -> Response:
        task = access.reportable_task(request.user, task_id)
        asked = TaskReportSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        files = request.FILES.getlist("files") if hasattr(request, "FILES") else []
        if data["kind"] == "progress":
            event = actions.report_progress(
                request.user, task, percent=data["percent"], note=data.get("note", ""), files=files
            )
        else:
            event = actions.report_completion(
                request.user, task, note=data.get("note", ""), files=files
            )
        return created(event)


class TaskExtensionRequestsView(StepErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [FollowsTasks]
    serializer_class = TaskExtensionRequestSerializer
    queryset = Task.objects.none()

    @extend_schema(
        operation_id="tasks_extension_requests_create",
        summary=_("Ask for a later deadline (the assigned office)"),
        parameters=[TASK_ID, *KEY_PARAMETERS],
        request=TaskExtensionRequestSerializer,
        responses=STEP_RESPONSES,
    )
    @idempotent
    def post(self, request: Request, task_id: int) -> Response:
        task = access.reportable_task(request.user, task_id)
        asked = TaskExtensionRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        event = actions.request_extension(request.user, task, **asked.validated_data)
        return created(event)


class TaskDecisionsView(StepErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [FollowsTasks]
    serializer_class = TaskDecisionSerializer
    queryset = Task.objects.none()

    @extend_schema(
        operation_id="tasks_decisions_create",
        summary=_("Decide on an extension or a completion (the assigning office)"),
        parameters=[TASK_ID, *KEY_PARAMETERS],
        request=TaskDecisionSerializer,
        responses=STEP_RESPONSES,
    )
    @idempotent
    def post(self, request: Request, task_id: int) -> Response:
        task = access.decidable_task(request.user, task_id)
        asked = TaskDecisionSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        decide = (
            actions.decide_extension if data["about"] == "extension" else actions.decide_completion
        )
        keyword = "grant" if data["about"] == "extension" else "accept"
        event = decide(
            request.user, task, **{keyword: data["accept"]}, reason=data.get("reason", "")
        )
        return created(event)
