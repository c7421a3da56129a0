"""A site's readiness report over HTTP, for machines: POST /api/v1/legs/{leg_id}/reports/.

The same domain function as the technician socket and the console's HTTP fallback
(conferencing.readiness.submit_report), so the same rules: only a technician of the
leg's site reports (anyone else's leg answers as a missing one), only in the window,
only legal transitions, "ready" only when every check is ok or a reason is given.

A plain APIView: the idempotency mixin (Idempotency-Key) wraps it as it is. The body's
optional `client_id` is the domain's own retry key, the socket's message id: a report
sent again with it is answered with the first one (200, `replayed`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.roles import is_technician
from conferencing import readiness
from conferencing.models import ReadinessEvent, ReadinessState
from httpapi.idempotency import idempotent
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES

REPORTABLE_STATES = [
    (value, label) for value, label in ReadinessState.choices if value != ReadinessState.PENDING
]


class ReportRefused(APIException):
    """409: the report is well formed but the leg's state or window refuses it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The report does not fit the site's state or the session's window.")
    default_code = "report_refused"


class ReportNotStored(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The report could not be stored: nothing of it was kept.")
    default_code = "not_stored"


# The domain's refusal codes, as HTTP answers.
CONFLICT_CODES = {"outside_window", "illegal_transition"}


class IsTechnician(BasePermission):
    """Technicians only, as the console: which legs they may report on is the domain's
    answer (the sites they serve). Anonymous users get 401, other roles 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_technician(request.user)


class ChecklistSerializer(serializers.Serializer):
    audio = serializers.BooleanField(required=False)
    video = serializers.BooleanField(required=False)
    network = serializers.BooleanField(required=False)
    display = serializers.BooleanField(required=False)


class ReportSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=REPORTABLE_STATES)
    checklist = ChecklistSerializer(
        required=False,
        help_text=_("Each check ok (true) or not (false); one left out is not ok."),
    )
    people_present = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=readiness.MAX_PEOPLE
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=readiness.MAX_NOTE_LENGTH
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=readiness.MAX_OVERRIDE_LENGTH,
        help_text=_("Why the site is ready although a check is not ok."),
    )
    client_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_("The sender's id for this report: sent again, the first answer comes back."),
    )

    def report(self, leg_id: int) -> readiness.Report:
        data = self.validated_data
        return readiness.Report(
            leg_id=leg_id,
            state=data["state"],
            checklist=dict(data.get("checklist", {})),
            people_present=data.get("people_present"),
            note=data.get("note", ""),
            client_id=data.get("client_id", ""),
            override_reason=data.get("override_reason", ""),
        )


class ReportEventSerializer(serializers.ModelSerializer):
    """The event the report appended to the leg's log."""

    leg = serializers.IntegerField(source="leg_id")
    replayed = serializers.SerializerMethodField()

    class Meta:
        model = ReadinessEvent
        fields = [
            "id",
            "leg",
            "seq",
            "at",
            "from_state",
            "to_state",
            "checklist",
            "people_present",
            "note",
            "override_reason",
            "client_id",
            "replayed",
        ]

    def get_replayed(self, event: ReadinessEvent) -> bool:
        return bool(self.context.get("replayed"))


def as_http_error(refusal: readiness.ReadinessRefused) -> APIException:
    if refusal.code == "not_found":
        return NotFound()
    if refusal.code in CONFLICT_CODES:
        return ReportRefused(refusal.message, code=refusal.code)
    if refusal.code == "unchecked":
        return ValidationError({"checklist": [refusal.message]}, code=refusal.code)
    if refusal.code == "not_stored":
        return ReportNotStored(refusal.message)
    return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [refusal.message]})


class LegReportView(DeclaredQueryParameters, APIView):
    permission_classes = [IsTechnician]

    @extend_schema(
        operation_id="legs_reports_create",
        summary=_("Report a site's readiness"),
        description=_(
            "A technician of the leg's site, in the session's window (from the start of "
            "its setup window until it ends). Another site's leg answers 404, as a missing one."
        ),
        request=ReportSerializer,
        parameters=KEY_PARAMETERS,
        responses={
            **KEY_RESPONSES,
            201: ReportEventSerializer,
            200: OpenApiResponse(
                ReportEventSerializer,
                description=_("The same client_id again: the first report's event."),
            ),
            400: OpenApiResponse(description=_("Invalid report: every field's errors.")),
            404: OpenApiResponse(description=_("No such leg, or not one of the user's sites.")),
            409: OpenApiResponse(
                description=_("Outside the window, or a state the site cannot go to from its own.")
            ),
        },
    )
    @idempotent
    def post(self, request: Request, leg_id: int) -> Response:
        if not readiness.may_report_on(leg_id, request.user):
            raise NotFound()
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            outcome = readiness.submit_report(serializer.report(leg_id), request.user)
        except readiness.ReadinessRefused as refusal:
            raise as_http_error(refusal) from None
        data = ReportEventSerializer(outcome.event, context={"replayed": outcome.replayed}).data
        return Response(
            data, status=status.HTTP_200_OK if outcome.replayed else status.HTTP_201_CREATED
        )
