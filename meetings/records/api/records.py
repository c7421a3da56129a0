"""Records over JSON: list a meeting's records, upload a document, download, approve, hold.

Each view parses, authorises and calls one function of meetings.records,
record_documents or downloads. A meeting or version the caller may not
see is 404, as elsewhere in the API. Errors are problems (httpapi.problems): a
refusal is 400 with a stable code (the field at fault in `errors`), a version in the
wrong state for the action 409 (`wrong_state`, `not_latest`, `not_ended`); storage
being down is 503 `storage_unavailable`, storage not answering in time 504
`storage_timeout`.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from conferencing.api.serializers import IdField
from httpapi.idempotency import idempotent
from httpapi.problems import ApiProblem
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES
from meetings.api.permissions import MeetingPermission
from meetings.records import archive, downloads
from meetings.records import documents as record_documents
from meetings.records import storage as record_storage
from meetings.records.archive import RecordError, RecordStateError
from meetings.records.forms import DOCUMENT_KIND_CHOICES
from meetings.records.models import Record, RecordKind, RecordVersion
from meetings.views.common import managed_meeting, readable_meeting
from meetings.visibility import User, changeable
from signatures import report, trust

STORAGE_UNAVAILABLE_CODE = "storage_unavailable"
STORAGE_TIMEOUT_CODE = "storage_timeout"


# --- shapes --------------------------------------------------------------------------------------


class SignatureSerializer(serializers.Serializer):
    signer_name = serializers.CharField(help_text=_("The common name of the signer's certificate."))
    organisation = serializers.CharField(
        help_text=_("The organisation of the signer's certificate.")
    )
    signed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it was signed (a timestamp's time, else the signer's).")
    )
    intact = serializers.BooleanField(help_text=_("The signed bytes are unchanged."))
    valid = serializers.BooleanField(help_text=_("Intact, and the signature verifies."))
    trusted = serializers.BooleanField(
        help_text=_("The signer's certificate chains to a configured trust root.")
    )
    covers_whole_document = serializers.BooleanField(
        help_text=_("Nothing but later signatures was added to the document after it.")
    )
    modification = serializers.CharField(
        help_text=_("pyHanko's modification level after this signature, if any.")
    )


class SignatureReportSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(status, status) for status in report.STATUSES],
        help_text=_(
            "unsigned; valid (intact, trusted, unchanged); untrusted (intact, unchanged, its "
            "chain reaches no configured root); invalid (broken, changed after signing, or "
            "not checkable: see reason)."
        ),
    )
    reason = serializers.CharField(
        help_text=_(
            "Why it is invalid: broken, modified, unreadable, too_large, timeout, "
            "too_many_signatures; empty otherwise."
        )
    )
    signatures = SignatureSerializer(many=True)
    stale = serializers.SerializerMethodField(
        help_text=_(
            "True when the verdict (valid or untrusted) was reached against trust roots the "
            "deployer has replaced since: the version's signature page checks it again."
        )
    )

    def get_stale(self, stored: dict) -> bool:
        return report.SignatureReport.from_json(stored).is_stale(trust.fingerprint())


class RecordVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True)
    # Minutes' two pairs of eyes (records.four_eyes): who submitted and who approved.
    submitted_by = serializers.CharField(
        source="submitted_by.get_username", read_only=True, allow_null=True, default=None
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_username", read_only=True, allow_null=True, default=None
    )
    record = serializers.IntegerField(source="record_id", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (a redirect to storage in S3 mode).")
    )
    signature = SignatureReportSerializer(
        read_only=True,
        allow_null=True,
        help_text=_(
            "What checking the PDF's signatures found when it was stored; null for another "
            "type of file, or while the check is waiting."
        ),
    )

    class Meta:
        model = RecordVersion
        fields = [
            "id",
            "record",
            "number",
            "status",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reason",
            "review_comment",
            "reviewed_at",
            "published_at",
            "download_url",
            "signature",
        ]
        read_only_fields = fields

    def get_download_url(self, version: RecordVersion) -> str | None:
        if version.status not in archive.STORED_STATUSES:
            return None
        return reverse("meetings-api:record-version-download", kwargs={"pk": version.pk})


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    title = serializers.CharField()
    legal_hold = serializers.BooleanField()
    versions = RecordVersionSerializer(many=True, help_text=_("Newest first."))


class DocumentUploadSerializer(serializers.Serializer):
    # Empty files reach the domain, whose refusal carries the stable code "empty_file".
    file = serializers.FileField(
        allow_empty_file=True, help_text=_("PDF, DOCX, ODT, XLSX, PNG or JPEG.")
    )
    kind = serializers.ChoiceField(
        choices=DOCUMENT_KIND_CHOICES,
        required=False,
        help_text=_("Required for a new record; a new version keeps its record's kind."),
    )
    # Blank is allowed (it is the default): the domain decides when a title or a reason is
    # missing and refuses with its stable codes title_required and reason_required.
    title = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    record = IdField(required=False, help_text=_("Upload a new version of this record."))
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Required to correct published minutes."),
    )


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000)


class LegalHoldSerializer(serializers.Serializer):
    legal_hold = serializers.BooleanField()


class RecordErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField(required=False)


REFUSED = OpenApiResponse(
    RecordErrorSerializer,
    description=_(
        "Refused (400): codes empty_file, too_large, unsupported_type, reason_required, "
        "not_minutes, same_person, comment_required, wrong_record, wrong_kind, "
        "title_required; a version in the wrong state for the action (409): wrong_state, "
        "not_latest, not_ended. Nothing was stored."
    ),
)
UNAVAILABLE = OpenApiResponse(
    RecordErrorSerializer,
    description=_("Storage is unavailable (code storage_unavailable); nothing was stored."),
)
TIMED_OUT = OpenApiResponse(
    RecordErrorSerializer,
    description=_("Storage did not answer in time (code storage_timeout); nothing was stored."),
)


def refused(error: RecordError) -> ApiProblem:
    """400 with the error's code (and its field in `errors`); a version in the wrong
    state for the action 409."""
    errors = None
    if error.field != "__all__":
        errors = [{"field": error.field, "code": error.code, "detail": error.message}]
    wrong_moment = isinstance(error, RecordStateError)
    status_code = status.HTTP_409_CONFLICT if wrong_moment else status.HTTP_400_BAD_REQUEST
    return ApiProblem(error.message, error.code, status_code, errors=errors)


def unavailable(error: record_storage.StorageUnavailable) -> ApiProblem:
    if isinstance(error, record_storage.StorageTimeout):
        return ApiProblem(
            gettext(
                "The record storage did not answer in time; nothing was stored. "
                "Please try again in a few minutes."
            ),
            STORAGE_TIMEOUT_CODE,
            status.HTTP_504_GATEWAY_TIMEOUT,
        )
    return ApiProblem(
        gettext("The record storage is unavailable; please try again later."),
        STORAGE_UNAVAILABLE_CODE,
        status.HTTP_503_SERVICE_UNAVAILABLE,
    )


def record_items(versions: QuerySet[RecordVersion]) -> list[dict]:
    grouped: dict[int, dict] = {}
    for version in versions:
        record = version.record
        item = grouped.setdefault(
            record.pk,
            {
                "id": record.pk,
                "kind": record.kind,
                "title": record.title,
                "legal_hold": record.legal_hold,
                "versions": [],
            },
        )
        item["versions"].append(RecordVersionSerializer(version).data)
    return list(grouped.values())


def visible_version(user: User, pk: int) -> RecordVersion:
    """A version the user sees (archive.visible_versions), else 404: the same answer for
    a version that does not exist."""
    version = RecordVersion.objects.select_related("record__meeting").filter(pk=pk).first()
    found = None
    if version is not None:
        found = archive.visible_versions(user, version.record.meeting).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def downloadable_version(user: User, pk: int) -> RecordVersion:
    """A version the user sees whose bytes are stored (archive.downloadable), else 404."""
    version = RecordVersion.objects.select_related("record__meeting").filter(pk=pk).first()
    found = None
    if version is not None:
        found = archive.downloadable(user, version.record.meeting, pk)
    if found is None:
        raise Http404
    return found


def managed_version(user: User, pk: int) -> RecordVersion:
    """A version of a meeting the user manages (the owning office: visibility.changeable),
    else 404, as for a version that does not exist."""
    version = (
        RecordVersion.objects.select_related("record__meeting")
        .filter(pk=pk, record__meeting__in=changeable(user).values("pk"))
        .first()
    )
    if version is None:
        raise Http404
    return version


def managed_record(user: User, pk: int) -> Record:
    """A record of a meeting the user manages, else 404, as for one that does not exist."""
    record = (
        Record.objects.select_related("meeting")
        .filter(pk=pk, meeting__in=changeable(user).values("pk"))
        .first()
    )
    if record is None:
        raise Http404
    return record


class RecordErrorsMixin:
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RecordError):
            exc = refused(exc)
        elif isinstance(exc, record_storage.StorageUnavailable):
            exc = unavailable(exc)
        return super().handle_exception(exc)  # type: ignore[misc]


# --- views ---------------------------------------------------------------------------------------


class MeetingRecordsView(RecordErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    """A session's records: every role reads those it may see; the secretariat uploads."""

    permission_classes = [MeetingPermission]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = DocumentUploadSerializer

    @extend_schema(
        summary=_("The records of a session I may see"),
        description=_(
            "The secretariat sees every version; others the latest published minutes and "
            "available agenda papers, recordings and other documents. 404 for a session "
            "whose details the user may not read."
        ),
        responses={200: RecordSerializer(many=True)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = readable_meeting(request.user, meeting_id)
        return Response(record_items(archive.visible_versions(request.user, meeting)))

    @extend_schema(
        summary=_("Upload a document (multipart form): a new record or a new version"),
        description=_(
            "Secretariat only. The type is detected from the bytes. For small documents: "
            "the server refuses a request body over MAX_REQUEST_BODY_BYTES (413); larger "
            "documents go through /api/v1/meetings/{id}/document-uploads/."
        ),
        request={"multipart/form-data": DocumentUploadSerializer},
        parameters=KEY_PARAMETERS,
        responses={
            201: RecordVersionSerializer,
            400: REFUSED,
            503: UNAVAILABLE,
            504: TIMED_OUT,
            **KEY_RESPONSES,
        },
    )
    @idempotent
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = managed_meeting(request.user, meeting_id)
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = None
        if "record" in data:
            record = get_object_or_404(Record, pk=data["record"], meeting=meeting)
        version = record_documents.upload_document(
            meeting=meeting,
            kind=record.kind if record is not None else data.get("kind", ""),
            title=data["title"],
            upload=data["file"],
            uploaded_by=request.user,
            record=record,
            reason=data["reason"],
        )
        return Response(
            RecordVersionSerializer(version).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("meetings-api:record-version", kwargs={"pk": version.pk})},
        )


class RecordVersionView(RecordErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [MeetingPermission]
    serializer_class = RecordVersionSerializer

    @extend_schema(summary=_("One version of a record"), responses={200: RecordVersionSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(RecordVersionSerializer(visible_version(request.user, pk)).data)


class RecordDownloadView(RecordErrorsMixin, DeclaredQueryParameters, GenericAPIView):
    permission_classes = [MeetingPermission]
    query_parameters = ("inline",)
    # A range past the end answers 416 with Content-Range and no body (downloads.serve).
    bodiless_error_statuses = (416,)
    serializer_class = RecordVersionSerializer

    @extend_schema(
        summary=_("Download a version's file"),
        description=_(
            "S3 mode: 302 to a short-lived presigned URL carrying the original file name. "
            "Local mode: the file, with Range requests (206, 416). Downloads of a "
            "confidential session's records are audited."
        ),
        parameters=[
            OpenApiParameter(
                "inline", OpenApiTypes.INT, description=_("1: to show in the browser.")
            )
        ],
        responses={
            # The file as stored, in its own type (PDF, DOCX, MP4…).
            (200, "*/*"): OpenApiTypes.BINARY,
            (206, "*/*"): OpenApiTypes.BINARY,
            302: OpenApiResponse(description=_("Redirect to the presigned URL.")),
            416: OpenApiResponse(description=_("Range not satisfiable.")),
            # Local mode only: an S3 download is a presigned redirect, made without asking
            # the store, and local disk has no timeout (no 504).
            503: UNAVAILABLE,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        version = downloadable_version(request.user, pk)
        try:
            return downloads.serve(
                request, version, inline=request.query_params.get("inline") == "1"
            )
        except record_storage.ObjectMissing:
            raise Http404 from None


class MinutesActionView(RecordErrorsMixin, GenericAPIView):
    """Submit, approve or return minutes (secretariat only)."""

    permission_classes = [MeetingPermission]
    serializer_class = RecordVersionSerializer
    action_name = ""
    # A version not in the state the action needs: wrong_state, not_latest, not_ended.
    error_statuses_added = (409,)

    def post(self, request: Request, pk: int) -> Response:
        version = managed_version(request.user, pk)
        if self.action_name == "submit":
            version = archive.submit(version, request.user)
        elif self.action_name == "approve":
            version = archive.approve(version, request.user)
        else:
            serializer = ReturnSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            version = archive.return_for_changes(
                version, request.user, serializer.validated_data["comment"]
            )
        return Response(RecordVersionSerializer(version).data)


@extend_schema(
    summary=_("Submit draft or returned minutes for approval"),
    request=None,
    # Nothing to refuse but the version's state (409): only minutes are ever drafts, so
    # the refusal not_minutes (400) cannot reach a submission.
    responses={200: RecordVersionSerializer},
)
class SubmitView(DeclaredQueryParameters, MinutesActionView):
    action_name = "submit"


@extend_schema(
    summary=_("Approve and publish submitted minutes"),
    request=None,
    responses={200: RecordVersionSerializer, 400: REFUSED},
)
class ApproveView(DeclaredQueryParameters, MinutesActionView):
    action_name = "approve"


@extend_schema(
    summary=_("Return submitted minutes with a comment"),
    request=ReturnSerializer,
    responses={200: RecordVersionSerializer, 400: REFUSED},
)
class ReturnView(DeclaredQueryParameters, MinutesActionView):
    action_name = "return"


class LegalHoldView(DeclaredQueryParameters, RecordErrorsMixin, GenericAPIView):
    permission_classes = [MeetingPermission]
    serializer_class = LegalHoldSerializer

    @extend_schema(
        summary=_("Put a record under legal hold (never purged) or release it"),
        request=LegalHoldSerializer,
        responses={200: LegalHoldSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        record = managed_record(request.user, pk)
        serializer = LegalHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = archive.set_legal_hold(
            record, hold=serializer.validated_data["legal_hold"], actor=request.user
        )
        return Response({"legal_hold": record.legal_hold})
