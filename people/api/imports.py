"""The people import over the API: POST a CSV or XLSX file (multipart, at most
PEOPLE_IMPORT_MAX_BYTES), then GET the job until `finished`. Each view parses,
authorises and calls people.import_jobs. Jobs are the acting office's (the token's
office for a token); another office's answers 404 as a missing one."""

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

from conferencing.models import ImportJobStatus
from httpapi.idempotency import idempotent
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES
from people import import_jobs
from people.import_forms import check_upload_size
from people.models import PeopleImportJob
from people.scope import may_manage_people


class ManagesPeople(BasePermission):
    """Secretariat staff acting for an office, and the superuser; anonymous users get 401."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_manage_people(request.user)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "CSV (UTF-8, with or without a byte-order mark) or Excel (.xlsx); at most "
            "PEOPLE_IMPORT_MAX_BYTES (5 MB by default) and PEOPLE_IMPORT_MAX_ROWS rows."
        )
    )
    skip_invalid = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Import the valid rows and report the others; otherwise nothing is written."),
    )

    def validate_file(self, upload):
        try:
            return check_upload_size(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="too_large") from exc


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The line of the file (0: the whole file)."))
    code = serializers.CharField(
        help_text=_(
            "name_missing, email_missing, email_invalid, phone_invalid, username_invalid, "
            "role_unknown, office_missing, office_unknown, office_outside, site_unknown, "
            "site_outside, duplicate_email, duplicate_username, person_not_managed, "
            "too_long, control_character, column_count; for the whole file: encoding, "
            "too_large, too_many_rows, header, empty, csv_malformed, xlsx_unreadable."
        )
    )
    message = serializers.CharField()


class ImportJobSerializer(serializers.Serializer):
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
    invalid = serializers.IntegerField()
    written = serializers.BooleanField(
        help_text=_("True when the valid rows were saved; false: nothing was changed.")
    )
    error_count = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


def job_data(job: PeopleImportJob) -> dict:
    return {**import_jobs.job_status(job), "errors": job.errors}


class PeopleImportsView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [ManagesPeople]
    parser_classes = [MultiPartParser]
    serializer_class = ImportUploadSerializer

    @extend_schema(
        operation_id="people_imports_create",
        summary=_("Import people from a file"),
        description=_(
            "202: the job is made and runs on the task worker; Location is the job to "
            "follow (GET) until it is finished."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        parameters=KEY_PARAMETERS,
        responses={
            202: ImportJobSerializer,
            400: OpenApiResponse(description=_("No file, or a file over the size limit.")),
            **KEY_RESPONSES,
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        job = import_jobs.create_job(
            user=request.user,
            data=b"".join(upload.chunks()),
            file_name=upload.name or "",
            skip_invalid=serializer.validated_data["skip_invalid"],
            office=import_jobs.acting_office(request.user),
        )
        return Response(
            job_data(job),
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("people-api:import", kwargs={"pk": job.pk})},
        )


class PeopleImportView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [ManagesPeople]
    serializer_class = ImportJobSerializer

    @extend_schema(
        operation_id="people_imports_retrieve",
        summary=_("Follow an import of people"),
        responses={200: ImportJobSerializer, 404: OpenApiResponse(description=_("Not found."))},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(import_jobs.visible_jobs(request.user).without_data(), pk=pk)
        return Response(job_data(job))
