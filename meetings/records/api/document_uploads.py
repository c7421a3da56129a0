"""Document uploads over JSON, the way recordings travel: create, sign (S3), send parts
(local disk), resume, complete, abort, and follow the verification. Each view parses,
authorises and calls one function of meetings.document_uploads or
meetings.recording_uploads (the machinery both share).

S3 mode: `sign/` gives one presigned PUT for the whole file, signed for its exact size
and declared type (send the returned headers with it); the PUT's ETag completes it.
Local disk: PUT the parts (`part_size` bytes each but the last) to `parts/<n>/`. After
`complete/` (202) the upload is "verifying"; GET it until it is "completed" (with
`record_version`) or "failed" (with `failure`).
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from httpapi.idempotency import idempotent
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES
from meetings.records import document_uploads
from meetings.records.api.recording_uploads import (
    NOT_FOUND,
    CompleteSerializer,
    CompleteUploadView,
    CreateUploadSerializer,
    PartSerializer,
    RecordingUploadView,
    SecretariatOnly,
    SignedSerializer,
    SignPartsView,
    SignSerializer,
    UploadErrorsMixin,
    UploadPartView,
    UploadSerializer,
    upload_data,
)
from meetings.records.api.records import (
    TIMED_OUT,
    UNAVAILABLE,
    RecordErrorSerializer,
    RecordVersionSerializer,
    managed_meeting,
)
from meetings.records.forms import DOCUMENT_KIND_CHOICES
from meetings.records.models import Record, RecordingUpload, UploadStatus
from meetings.records.storage import Part

REFUSED = OpenApiResponse(
    RecordErrorSerializer,
    description=_(
        "Refused (400; 409 for the upload's state): codes empty_file, too_large, "
        "unsupported_type, title_required, wrong_record, wrong_kind, reason_required, "
        "part_out_of_range, parts_out_of_order, part_missing, wrong_size, wrong_etag, "
        "wrong_state, wrong_mode."
    ),
)


class CreateDocumentUploadSerializer(CreateUploadSerializer):
    kind = serializers.ChoiceField(
        choices=DOCUMENT_KIND_CHOICES,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Required for a new record; a new version keeps its record's kind."),
    )
    size = serializers.IntegerField(
        min_value=0, help_text=_("Bytes; at most RECORDS_MAX_DOCUMENT_BYTES (100 MB by default).")
    )
    content_type = serializers.CharField(
        max_length=100,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("PDF, DOCX, ODT, XLSX, PNG or JPEG, agreeing with the file name."),
    )


class DocumentUploadStateSerializer(UploadSerializer):
    kind = serializers.ChoiceField(choices=DOCUMENT_KIND_CHOICES)
    failure = serializers.CharField(help_text=_("Why verification refused the file (failed)."))
    record_version = RecordVersionSerializer(
        allow_null=True, help_text=_("The version, once verified (completed).")
    )


class SignedPutSerializer(SignedSerializer):
    headers = serializers.DictField(
        child=serializers.CharField(),
        help_text=_("Headers to send with the PUT (signed: any other value is refused)."),
    )


class DocumentSignSerializer(SignSerializer):
    parts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=1),
        required=False,
        default=[1],
        help_text=_("[1]: the whole file is one PUT."),
    )


def document_data(upload: RecordingUpload, parts: list[Part]) -> dict:
    data = upload_data(upload, parts)
    version = upload.version if upload.status == UploadStatus.COMPLETED else None
    data.update(
        kind=upload.kind,
        failure=upload.failure,
        record_version=RecordVersionSerializer(version).data if version is not None else None,
    )
    return data


class DocumentUploadMixin:
    documents = True

    def upload_data(self, upload: RecordingUpload, parts: list[Part]) -> dict:
        return document_data(upload, parts)


class CreateDocumentUploadView(DeclaredQueryParameters, UploadErrorsMixin, GenericAPIView):
    permission_classes = [SecretariatOnly]
    serializer_class = CreateDocumentUploadSerializer

    @extend_schema(
        summary=_("Start uploading a document (PDF, DOCX, ODT, XLSX, PNG, JPEG)"),
        description=_(
            "Secretariat only. Mode s3: POST sign/ for one presigned PUT of the whole file "
            "(exact size and type signed), then complete/ with its ETag as part 1. Mode app: "
            "PUT the parts to parts/<n>/ (part_size bytes each but the last), then "
            "complete/. The document becomes a version once the task worker verified it."
        ),
        request=CreateDocumentUploadSerializer,
        parameters=KEY_PARAMETERS,
        responses={
            201: DocumentUploadStateSerializer,
            400: REFUSED,
            **KEY_RESPONSES,
        },
    )
    @idempotent
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = managed_meeting(request.user, meeting_id)
        serializer = CreateDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = None
        if data["record"] is not None:
            record = get_object_or_404(Record, pk=data["record"], meeting=meeting)
        upload = document_uploads.create_document_upload(
            meeting=meeting,
            user=request.user,
            kind=record.kind if record is not None else data["kind"],
            title=data["title"],
            file_name=data["file_name"],
            size=data["size"],
            content_type=data["content_type"],
            record=record,
            reason=data["reason"],
        )
        return Response(
            document_data(upload, []),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("meetings-api:document-upload", kwargs={"pk": upload.pk})},
        )


class DocumentUploadView(DocumentUploadMixin, RecordingUploadView):
    serializer_class = DocumentUploadStateSerializer

    @extend_schema(
        summary=_("A document upload: parts received, then the verification's outcome"),
        responses={
            200: DocumentUploadStateSerializer,
            404: NOT_FOUND,
            503: UNAVAILABLE,
            504: TIMED_OUT,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        return super().get(request, pk)

    @extend_schema(
        summary=_("Abort: nothing stays in storage"),
        responses={204: None, 404: NOT_FOUND, 409: REFUSED, 503: UNAVAILABLE, 504: TIMED_OUT},
    )
    def delete(self, request: Request, pk: int) -> Response:
        return super().delete(request, pk)


class DocumentSignView(DocumentUploadMixin, SignPartsView):
    serializer_class = DocumentSignSerializer

    @extend_schema(
        summary=_("The presigned PUT of the whole document (s3 mode)"),
        request=DocumentSignSerializer,
        responses={200: SignedPutSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def signed(self, upload: RecordingUpload, urls: dict[int, str]) -> dict:
        """As for recording parts, with the headers the PUT must send exactly (signed)."""
        answer = super().signed(upload, urls)
        return {
            "urls": answer["urls"],
            "headers": {"Content-Type": upload.content_type},
            "expires_in": answer["expires_in"],
        }


class DocumentPartView(DocumentUploadMixin, UploadPartView):
    @extend_schema(
        summary=_("Send one part of a document (app mode): the raw bytes"),
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={200: PartSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def put(self, request: Request, pk: int, number: int) -> Response:
        return super().put(request, pk, number)


class DocumentCompleteView(DocumentUploadMixin, CompleteUploadView):
    @extend_schema(
        summary=_("Complete: check the file and hand it to verification"),
        description=_(
            "202: the upload is verifying; its SHA-256 and type are checked by a background "
            "task. GET the upload until it is completed (record_version) or failed (failure)."
        ),
        request=CompleteSerializer,
        responses={
            202: DocumentUploadStateSerializer,
            400: REFUSED,
            404: NOT_FOUND,
            409: REFUSED,
            503: UNAVAILABLE,
            504: TIMED_OUT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        upload = self.get_object()
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parts = [(part["number"], part["etag"]) for part in serializer.validated_data["parts"]]
        upload = document_uploads.complete_document_upload(upload, parts)
        return Response(document_data(upload, []), status=status.HTTP_202_ACCEPTED)
