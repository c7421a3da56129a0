"""The site import over the API: POST a CSV file (multipart/form-data, at most
MAX_IMPORT_BYTES) to /api/v1/endpoints/imports/, answered 202 with the job and its
Location; GET /api/v1/endpoints/imports/{id}/ until `finished`. The same permission and
the same jobs as the web import page (conferencing.jurisdiction): the acting office's
jobs, every one for the superuser; another office's job answers 404 as a missing one."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from conferencing import import_jobs, jurisdiction
from conferencing.forms import check_import_size
from conferencing.models import EndpointImportJob, ImportJobStatus
from httpapi.query_parameters import DeclaredQueryParameters


class ManagesSites(BasePermission):
    """Who may open the web import page: the secretariat acting for an office, the
    superuser; anonymous callers get 401, the other roles 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return jurisdiction.may_manage_sites(request.user)


class SiteImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "CSV, UTF-8 (with or without a byte-order mark), comma separated, at most 5 MB; "
            "columns code, name, level, parent_code, organisation, dial_string…, as the "
            "web import page and the export use."
        )
    )
    skip_invalid = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Import the valid rows and report the others; otherwise nothing is written."),
    )

    def validate_file(self, upload):
        try:
            return check_import_size(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="too_large") from exc


class SiteImportRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The line of the file (0: the whole file)."))
    code = serializers.CharField(help_text=_("A stable code of the error."))
    message = serializers.CharField()


class SiteImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJobStatus.choices)
    status_label = serializers.CharField()
    finished = serializers.BooleanField()
    total_rows = serializers.IntegerField()
    processed_rows = serializers.IntegerField()
    percent = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    written = serializers.BooleanField(
        help_text=_("True when the valid rows were saved; false: nothing was changed.")
    )
    error_count = serializers.IntegerField()
    errors = SiteImportRowErrorSerializer(many=True)


def job_data(job: EndpointImportJob) -> dict:
    return {**import_jobs.job_status(job), "errors": job.errors}


class SiteImportsView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [ManagesSites]
    # Multipart only here (the API's other operations take JSON): the request body is
    # still bounded by MAX_REQUEST_BODY_BYTES before it is parsed, the file by the form's
    # MAX_IMPORT_BYTES.
    parser_classes = [MultiPartParser]
    serializer_class = SiteImportUploadSerializer

    @extend_schema(
        operation_id="endpoints_imports_create",
        summary=_("Import conference sites from a CSV file"),
        request={"multipart/form-data": SiteImportUploadSerializer},
        responses={
            202: OpenApiResponse(
                SiteImportJobSerializer,
                description=_("Queued; Location names the job to follow."),
            ),
            400: OpenApiResponse(description=_("No file, or a file over the size limit.")),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = SiteImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = import_jobs.create_job(
            user=request.user,
            upload=serializer.validated_data["file"],
            skip_invalid=serializer.validated_data["skip_invalid"],
            office=jurisdiction.import_office(request.user),
        )
        location = reverse("conferencing-api:endpoint-import", kwargs={"pk": job.pk})
        return Response(
            job_data(job), status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )


class SiteImportView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [ManagesSites]
    serializer_class = SiteImportJobSerializer

    @extend_schema(
        operation_id="endpoints_imports_retrieve",
        summary=_("Follow an import of conference sites"),
        responses={
            200: SiteImportJobSerializer,
            404: OpenApiResponse(description=_("Not found.")),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(
            jurisdiction.visible_import_jobs(request.user).without_data(), pk=pk
        )
        return Response(job_data(job))
