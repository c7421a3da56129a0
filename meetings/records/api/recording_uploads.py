"""Recording uploads over JSON: create, sign parts, send parts (local mode), resume,
complete, abort. Each view parses, authorises and calls one function of
meetings.records.uploads and upload_parts.

Secretariat only (403 for other roles); a meeting whose details the caller may not
read is 404, and so is an upload someone else created. Refusals are problems
(httpapi.problems) with a stable code (400, or 409 `wrong_state` for the upload's
state, the field at fault in `errors`); storage
being down is 503 `storage_unavailable`, and the upload stays resumable.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import is_secretariat
from conferencing.api.serializers import IdField
from httpapi.idempotency import idempotent
from httpapi.problems import ApiProblem
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES
from meetings.records import storage as record_storage
from meetings.records import upload_parts
from meetings.records import uploads as recording_uploads
from meetings.records.api.records import (
    TIMED_OUT,
    UNAVAILABLE,
    RecordErrorSerializer,
    RecordErrorsMixin,
    RecordVersionSerializer,
    managed_meeting,
)
from meetings.records.models import Record, RecordingUpload, RecordKind, UploadMode, UploadStatus
from meetings.records.storage import Part
from meetings.records.upload_parts import UploadError

REFUSED = OpenApiResponse(
    RecordErrorSerializer,
    description=_(
        "Refused (400; 409 for the upload's state): codes empty_file, too_large, wrong_type, "
        "title_required, wrong_record, wrong_kind, reason_required, part_out_of_range, "
        "too_many_parts, parts_out_of_order, part_missing, wrong_size, wrong_etag, "
        "wrong_state, wrong_mode, upload_missing."
    ),
)
NOT_FOUND = OpenApiResponse(description=_("No such upload of mine."))


def http_request(request: Request) -> HttpRequest:
    """Django's request under DRF's: the part's body streams from it unparsed.

    DRF keeps it only in the private `Request._request` (no public accessor); the
    one read is here, and tests/meetings/test_drf_request.py fails if a DRF upgrade
    moves it."""
    return request._request


class SecretariatOnly(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_secretariat(request.user)


class RawBodyParser(BaseParser):
    """Documents that a part is the raw bytes; the view streams them, never parses."""

    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None):  # pragma: no cover
        return stream


def require_raw_bytes(request: Request) -> None:
    """A part is streamed unparsed, so DRF never checks its type: a body that is not
    application/octet-stream (a form, text) is a client sending something else, 415
    before a byte is stored, as a body of the wrong type is everywhere else."""
    if request.negotiator.select_parser(request, request.parsers) is None:
        raise UnsupportedMediaType(request.content_type)


# --- shapes --------------------------------------------------------------------------------------


class CreateUploadSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True, trim_whitespace=True
    )
    file_name = serializers.CharField(max_length=255)
    size = serializers.IntegerField(min_value=0, help_text=_("Bytes; at most 50 GiB by default."))
    content_type = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    record = IdField(
        required=False, allow_null=True, default=None, help_text=_("Add a version to this record.")
    )
    reason = serializers.CharField(
        max_length=4000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Required to correct a published record."),
    )


class PartSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=recording_uploads.MAX_PARTS)
    size = serializers.IntegerField(read_only=True)
    etag = serializers.CharField(max_length=100)


class UploadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=UploadMode.choices)
    status = serializers.ChoiceField(choices=UploadStatus.choices)
    title = serializers.CharField()
    file_name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    part_size = serializers.IntegerField()
    part_count = serializers.IntegerField()
    record = serializers.IntegerField(source="record_id", allow_null=True)
    parts = PartSerializer(many=True, help_text=_("The parts already received, by number."))


class SignSerializer(serializers.Serializer):
    parts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=recording_uploads.MAX_PARTS),
        allow_empty=False,
        max_length=upload_parts.MAX_SIGN_BATCH,
    )


class SignedSerializer(serializers.Serializer):
    urls = serializers.DictField(
        child=serializers.URLField(), help_text=_("Part number → presigned PUT URL.")
    )
    expires_in = serializers.IntegerField(help_text=_("Seconds the URLs stay valid."))


class CompleteSerializer(serializers.Serializer):
    parts = PartSerializer(many=True, allow_empty=False, max_length=recording_uploads.MAX_PARTS)


class CompletedSerializer(serializers.Serializer):
    record_version = RecordVersionSerializer()


def upload_data(upload: RecordingUpload, parts: list[Part]) -> dict:
    data = {
        field: getattr(upload, field)
        for field in ("id", "mode", "status", "title", "size", "content_type", "part_size")
    }
    data.update(
        file_name=upload.original_name,
        part_count=upload.part_count,
        record=upload.record_id,
        parts=[{"number": p.number, "size": p.size, "etag": p.etag} for p in parts],
    )
    return data


class UploadErrorsMixin(RecordErrorsMixin):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, UploadError):
            errors = None
            if exc.field:
                errors = [{"field": exc.field, "code": exc.code, "detail": exc.message}]
            exc = ApiProblem(exc.message, exc.code, exc.status, errors=errors)
        elif isinstance(exc, record_storage.ObjectMissing):  # UploadMissing too
            exc = ApiProblem(
                gettext("Object storage no longer knows this upload; start again."),
                "upload_missing",
                status.HTTP_409_CONFLICT,
            )
        return super().handle_exception(exc)


def my_upload(request: Request, pk: int, documents: bool = False) -> RecordingUpload:
    """An upload the caller created, of a meeting it still manages; else 404. The
    recording endpoints see recordings only, the document endpoints documents only."""
    uploads = RecordingUpload.objects.select_related("meeting", "record", "created_by")
    if documents:
        uploads = uploads.exclude(kind=RecordKind.RECORDING)
    else:
        uploads = uploads.filter(kind=RecordKind.RECORDING)
    upload = get_object_or_404(uploads, pk=pk, created_by=request.user)
    managed_meeting(request.user, upload.meeting_id)
    return upload


# --- views ---------------------------------------------------------------------------------------


class CreateRecordingUploadView(DeclaredQueryParameters, UploadErrorsMixin, GenericAPIView):
    permission_classes = [SecretariatOnly]
    serializer_class = CreateUploadSerializer

    @extend_schema(
        summary=_("Start uploading a recording (MP4, WebM, MKV; up to 50 GiB)"),
        description=_(
            "Secretariat only. Mode s3: sign parts and PUT them to object storage; mode "
            "app: PUT them to /parts/<n>/. Every part is part_size bytes but the last."
        ),
        request=CreateUploadSerializer,
        parameters=KEY_PARAMETERS,
        responses={
            201: UploadSerializer,
            400: REFUSED,
            503: UNAVAILABLE,
            504: TIMED_OUT,
            **KEY_RESPONSES,
        },
    )
    @idempotent
    def post(self, request: Request, meeting_id: int) -> Response:
        # SecretariatOnly and a meeting its office owns: what records.may_upload asks.
        meeting = managed_meeting(request.user, meeting_id)
        serializer = CreateUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = None
        if data["record"] is not None:
            record = get_object_or_404(Record, pk=data["record"], meeting=meeting)
        upload = recording_uploads.create_upload(
            meeting=meeting,
            user=request.user,
            title=data["title"],
            file_name=data["file_name"],
            size=data["size"],
            content_type=data["content_type"],
            record=record,
            reason=data["reason"],
        )
        return Response(
            upload_data(upload, []),
            status=status.HTTP_201_CREATED,
            headers={
                "Location": reverse("meetings-api:recording-upload", kwargs={"pk": upload.pk})
            },
        )


class UploadViewMixin(UploadErrorsMixin):
    """The upload named by the URL, for the caller. `get_object` is what DRF's OPTIONS
    (SimpleMetadata) calls to describe PUT: without it GenericAPIView asserts a queryset
    and OPTIONS answered 500."""

    documents = False

    def get_object(self) -> RecordingUpload:
        return my_upload(self.request, self.kwargs["pk"], documents=self.documents)

    def upload_data(self, upload: RecordingUpload, parts: list[Part]) -> dict:
        return upload_data(upload, parts)


class RecordingUploadView(UploadViewMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [SecretariatOnly]
    serializer_class = UploadSerializer

    @extend_schema(
        summary=_("An upload and the parts received so far (to resume after a reload)"),
        description=_(
            "An upload that object storage already assembled lists every part (etag "
            "assembled): complete it. 409 upload_missing: the store forgot the upload; "
            "start again."
        ),
        responses={
            200: UploadSerializer,
            404: NOT_FOUND,
            409: REFUSED,
            503: UNAVAILABLE,
            504: TIMED_OUT,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        upload = self.get_object()
        return Response(self.upload_data(upload, upload_parts.stored_parts(upload)))

    @extend_schema(
        summary=_("Abort: drop every part; nothing stays in storage"),
        responses={204: None, 404: NOT_FOUND, 409: REFUSED, 503: UNAVAILABLE, 504: TIMED_OUT},
    )
    def delete(self, request: Request, pk: int) -> Response:
        recording_uploads.abort_upload(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignPartsView(DeclaredQueryParameters, UploadViewMixin, GenericAPIView):
    permission_classes = [SecretariatOnly]
    serializer_class = SignSerializer

    @extend_schema(
        summary=_("Presigned PUT URLs for parts (s3 mode), at most 1000 at a time"),
        request=SignSerializer,
        responses={200: SignedSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        upload = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        urls = upload_parts.sign_parts(upload, serializer.validated_data["parts"])
        return Response(self.signed(upload, urls))

    def signed(self, upload: RecordingUpload, urls: dict[int, str]) -> dict:
        """The answer: each part's URL, and how long it stays valid."""
        return {
            "urls": {str(number): url for number, url in urls.items()},
            "expires_in": upload_parts.PART_URL_EXPIRES_S,
        }


class UploadPartView(DeclaredQueryParameters, UploadViewMixin, GenericAPIView):
    permission_classes = [SecretariatOnly]
    parser_classes = [RawBodyParser]
    serializer_class = PartSerializer

    @extend_schema(
        summary=_("Send one part (app mode): the raw bytes, streamed to disk"),
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={200: PartSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def put(self, request: Request, pk: int, number: int) -> Response:
        upload = self.get_object()
        require_raw_bytes(request)
        part = upload_parts.receive_part(upload, number, http_request(request))
        response = Response({"number": part.number, "size": part.size, "etag": part.etag})
        response["ETag"] = f'"{part.etag}"'
        return response


class CompleteUploadView(DeclaredQueryParameters, UploadViewMixin, GenericAPIView):
    permission_classes = [SecretariatOnly]
    serializer_class = CompleteSerializer

    @extend_schema(
        summary=_("Complete: check every part, assemble, and add the recording"),
        description=_(
            "The recording is stored and waits for verification (status verifying): its "
            "SHA-256 is computed and its bytes sniffed by a background task."
        ),
        request=CompleteSerializer,
        responses={
            202: CompletedSerializer,
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
        version = recording_uploads.complete_upload(upload, parts)
        return Response(
            {"record_version": RecordVersionSerializer(version).data},
            status=status.HTTP_202_ACCEPTED,
        )
