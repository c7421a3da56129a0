"""Meetings over JSON: each action parses, authorises and calls one domain function."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from httpapi import preconditions
from httpapi.idempotency import idempotent
from httpapi.problem_schema import ProblemSerializer, ValidationProblemSerializer
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import (
    ETAG,
    IF_MATCH,
    IF_NONE_MATCH,
    KEY_PARAMETERS,
    KEY_RESPONSES,
    PRECONDITION_FAILED,
)
from meetings import booking, meeting_details, revisions, series
from meetings.api import conflict_summary, queries
from meetings.api.conflict_summary import ConflictProblemSerializer
from meetings.api.details import DetailsChangeSerializer
from meetings.api.errors import DomainErrorsMixin
from meetings.api.permissions import MeetingPermission
from meetings.api.serializers import (
    BookSerializer,
    CancelSerializer,
    ChangeSitesSerializer,
    CheckResultSerializer,
    CheckSerializer,
    MeetingDetailSerializer,
    MeetingFilterSerializer,
    MeetingsChangedSerializer,
    RescheduleSerializer,
    SeriesBookedSerializer,
    SeriesRefSerializer,
    meeting_detail,
    meeting_detail_schema,
    meeting_items,
    meeting_items_schema,
    off_day_data,
)
from meetings.models import Meeting
from meetings.visibility import User, changeable, concerning

BAD_REQUEST = OpenApiResponse(
    ValidationProblemSerializer,
    description=_("The request is not valid: every invalid field in `errors`."),
)
KEY_REUSED = KEY_RESPONSES[422]
CONFLICT = OpenApiResponse(
    ConflictProblemSerializer,
    description=_(
        "Sites or bridge ports are taken (code conflict), or the session is cancelled or "
        "has started (code wrong_state); nothing was written."
    ),
)
WRONG_STATE = OpenApiResponse(
    ProblemSerializer,
    description=_("The session is cancelled or has started (code wrong_state)."),
)
SECRETARIAT_ONLY = _("Secretariat only.")
CHANGERS_ONLY = _(
    "Secretariat only. 404, as for a session that does not exist, for a confidential "
    "session the user is not invited to."
)


class MeetingPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class MeetingViewSet(DomainErrorsMixin, DeclaredQueryParameters, viewsets.GenericViewSet):
    """Sessions: every role reads those that concern it; only the secretariat books and changes."""

    queryset = Meeting.objects.all()  # documents the id's type; get_queryset decides
    permission_classes = [MeetingPermission]
    pagination_class = MeetingPagination
    lookup_value_regex = "[0-9]+"
    query_parameters = {"list": MeetingFilterSerializer}
    # Views below name their serializers; this one documents the default body.
    serializer_class = MeetingDetailSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        if self.request.method not in SAFE_METHODS:
            # Every action on one meeting that writes changes it: one rule decides who may,
            # and a meeting the user may not change is as missing as one that does not exist.
            return changeable(self.request.user, queries.summaries())
        meetings = queries.details() if self.action == "retrieve" else queries.summaries()
        return concerning(self.request.user, meetings)

    @extend_schema(
        summary=_("List the sessions that concern me"),
        description=_(
            "The secretariat sees every session; others those they organise or attend, or "
            "whose sites they serve. A confidential session the user is not invited to shows "
            "as busy time only."
        ),
        parameters=[MeetingFilterSerializer],
        responses={200: meeting_items_schema(many=True), 400: BAD_REQUEST},
    )
    def list(self, request: Request) -> Response:
        filters = MeetingFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        meetings = queries.filter_meetings(
            self.get_queryset(), filters.validated_data, request.user
        )
        page = self.paginate_queryset(meetings)
        return self.get_paginated_response(meeting_items(page, request.user))

    @extend_schema(
        summary=_("Book a session, or a series with `rrule`"),
        description=_(
            "Secretariat only. Location: the session booked; for a series, its first "
            "booked occurrence (a series has no resource of its own in the API)."
        ),
        request=BookSerializer,
        parameters=KEY_PARAMETERS,
        responses={
            201: PolymorphicProxySerializer(
                component_name="Booked",
                serializers=[MeetingDetailSerializer, SeriesBookedSerializer],
                resource_type_field_name=None,
            ),
            400: BAD_REQUEST,
            409: CONFLICT,
            422: KEY_REUSED,
        },
    )
    @idempotent
    def create(self, request: Request) -> Response:
        serializer = BookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["rrule"]:
            outcome = series.book_series(
                serializer.booking_request(),
                data["rrule"],
                request.user,
                data["skip_conflicts"],
                data["off_days"],
            )
            first = min(outcome.booked, key=lambda meeting: meeting.pk, default=None)
            return Response(
                {
                    "series": SeriesRefSerializer(outcome.series).data,
                    "booked": changed_items(outcome.booked, request.user),
                    "skipped": conflict_summary.occurrence_summaries(outcome.skipped),
                    "off_days": [off_day_data(change) for change in outcome.off_day_changes],
                },
                status=status.HTTP_201_CREATED,
                headers={"Location": meeting_location(first)} if first else None,
            )
        meeting = booking.book(serializer.booking_request(), request.user)
        return Response(
            fresh_detail(meeting, request.user),
            status=status.HTTP_201_CREATED,
            headers={"Location": meeting_location(meeting), **etag_of(meeting)},
        )

    @extend_schema(
        summary=_("Dry run: what booking this would run into; nothing is written"),
        description=SECRETARIAT_ONLY,
        request=CheckSerializer,
        responses={200: CheckResultSerializer, 400: BAD_REQUEST},
    )
    @action(detail=False, methods=["post"])
    def check(self, request: Request) -> Response:
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = serializer.validated_data["rrule"]
        if rule:
            checked = series.check_series_days(
                serializer.booking_request(),
                rule,
                request.user,
                serializer.validated_data["off_days"],
            )
            occurrences = checked.conflicts
            return Response(
                {
                    "ok": not any(report for _slot, report in occurrences),
                    "occurrences": conflict_summary.occurrence_summaries(occurrences),
                    "off_days": [off_day_data(change) for change in checked.off_day_changes],
                }
            )
        report = booking.check(serializer.booking_request(), request.user)
        return Response({"ok": not report, **conflict_summary.summary(report)})

    @extend_schema(
        summary=_("One session; a confidential one I am not invited to shows as busy time"),
        description=_(
            "404 for a session that does not concern the user. ETag: its revision, for "
            "If-Match on a change; If-None-Match with it answers 304."
        ),
        parameters=[IF_NONE_MATCH, ETAG],
        responses={
            200: meeting_detail_schema(),
            304: OpenApiResponse(description=_("Not modified: the ETag is still current.")),
        },
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        tag = revisions.revision_tag(meeting)
        if preconditions.is_not_modified(request, tag):
            return preconditions.not_modified(tag)
        return Response(
            meeting_detail(meeting, request.user), headers={"ETag": preconditions.quoted(tag)}
        )

    @extend_schema(
        summary=_("Change the session's title, agenda or classification"),
        description=CHANGERS_ONLY,
        request=DetailsChangeSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: MeetingDetailSerializer,
            400: BAD_REQUEST,
            409: OpenApiResponse(description=_("The session is over, started or cancelled.")),
            412: PRECONDITION_FAILED,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        serializer = DetailsChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with revisions.expecting(meeting.pk, preconditions.required_tags(request)):
            meeting = meeting_details.change_details(
                meeting, dict(serializer.validated_data), request.user
            )
        return Response(fresh_detail(meeting, request.user), headers=etag_of(meeting))

    @extend_schema(
        summary=_("Move a session, or it and the following ones of its series"),
        description=CHANGERS_ONLY,
        request=RescheduleSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: MeetingsChangedSerializer,
            400: BAD_REQUEST,
            409: CONFLICT,
            412: PRECONDITION_FAILED,
        },
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        serializer = RescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = serializer.slot(meeting)
        with revisions.expecting(meeting.pk, preconditions.required_tags(request)):
            if serializer.validated_data["scope"] == series.SCOPE_FOLLOWING:
                changed = series.reschedule_following(meeting, slot, request.user)
            else:
                changed = [booking.reschedule(meeting, slot, request.user)]
        return Response(
            {"meetings": changed_items(changed, request.user)}, headers=etag_of(meeting)
        )

    @extend_schema(
        summary=_("Make the session's sites exactly this selection"),
        description=CHANGERS_ONLY,
        request=ChangeSitesSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: MeetingDetailSerializer,
            400: BAD_REQUEST,
            409: CONFLICT,
            412: PRECONDITION_FAILED,
        },
    )
    @action(detail=True, methods=["post"])
    def sites(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        serializer = ChangeSitesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with revisions.expecting(meeting.pk, preconditions.required_tags(request)):
            meeting = booking.change_sites(
                meeting, serializer.selection(), serializer.validated_data["host"], request.user
            )
        return Response(fresh_detail(meeting, request.user), headers=etag_of(meeting))

    @extend_schema(
        summary=_("Cancel a session, or it and the following ones of its series"),
        description=CHANGERS_ONLY,
        request=CancelSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: MeetingsChangedSerializer,
            400: BAD_REQUEST,
            409: WRONG_STATE,
            412: PRECONDITION_FAILED,
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        with revisions.expecting(meeting.pk, preconditions.required_tags(request)):
            if serializer.validated_data["scope"] == series.SCOPE_FOLLOWING:
                changed = series.cancel_following(meeting, reason, request.user)
            else:
                changed = [booking.cancel(meeting, reason, request.user)]
        return Response(
            {"meetings": changed_items(changed, request.user)}, headers=etag_of(meeting)
        )


def changed_items(meetings: list[Meeting], user: User) -> list[dict]:
    """Meetings an action changed, re-read with their list annotations in one query."""
    fresh = queries.summaries().filter(pk__in=[meeting.pk for meeting in meetings])
    return meeting_items(list(fresh), user)


def meeting_location(meeting: Meeting) -> str:
    return reverse("meetings-api:meeting-detail", kwargs={"pk": meeting.pk})


def etag_of(meeting: Meeting) -> dict[str, str]:
    """The ETag header of the meeting as it is now, after a change: re-read, since the
    change saved another copy of the row."""
    current = Meeting.objects.only("sequence", "updated_at").get(pk=meeting.pk)
    return {"ETag": preconditions.quoted(revisions.revision_tag(current))}


def fresh_detail(meeting: Meeting, user: User) -> dict:
    return meeting_detail(queries.details().get(pk=meeting.pk), user)
