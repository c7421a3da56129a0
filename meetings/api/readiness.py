"""The readiness report as JSON: the same summary as the HTML report and its CSV
(conferencing.readiness_report.summarise), with the same authority (whoever may watch
the session, of the part they watch: meetings.readiness.watching).

GET /meetings/{id}/readiness/ answers the totals and one row per province (at most a
few dozen); GET /meetings/{id}/readiness/sites/ the sites, in tree order, a page at a
time behind an opaque cursor (a national session has 3,356), optionally of one
province or only those needing attention.
"""

import base64
import binascii
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from conferencing.models import ReadinessState
from conferencing.readiness_report import Punctuality, SiteReadiness, summarise
from httpapi.query_parameters import DeclaredQueryParameters
from meetings.api.permissions import MeetingPermission
from meetings.readiness.watching import watched_meeting, watched_part

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
PUNCTUALITY = [Punctuality.ON_TIME, Punctuality.LATE, Punctuality.NEVER]
NOT_FOUND = OpenApiResponse(
    description=_("No such session, or one the user may not watch: the same answer.")
)


class ProvinceReadinessSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Empty for the central level's sites."))
    name = serializers.CharField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    never = serializers.IntegerField()
    problem = serializers.IntegerField()
    override = serializers.IntegerField()
    attention = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    never = serializers.IntegerField()


class ReadinessReportSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    conference = serializers.IntegerField()
    whole = serializers.BooleanField(help_text=_("Whether this is the whole session's report."))
    totals = TotalsSerializer()
    provinces = ProvinceReadinessSerializer(many=True)
    sites = serializers.CharField(help_text=_("The path of the sites' list."))


class SiteReadinessSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    province_code = serializers.CharField()
    province = serializers.CharField()
    final_state = serializers.ChoiceField(choices=ReadinessState.choices)
    punctuality = serializers.ChoiceField(choices=PUNCTUALITY)
    first_ready_at = serializers.DateTimeField(allow_null=True)
    late_by_minutes = serializers.IntegerField(allow_null=True)
    unchecked = serializers.ListField(child=serializers.CharField(), allow_null=True)
    problem = serializers.CharField(allow_null=True)
    override = serializers.CharField()
    needs_attention = serializers.BooleanField()


class SitePageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = SiteReadinessSerializer(many=True)


def late_by(first_ready_at: datetime | None, start: datetime) -> int | None:
    if first_ready_at is None or first_ready_at <= start:
        return None
    return max(1, round((first_ready_at - start).total_seconds() / 60))


def site_data(site: SiteReadiness, start: datetime) -> dict:
    return {
        "code": site.site,
        "name": site.name,
        "level": site.level,
        "province_code": site.province_code,
        "province": site.province,
        "final_state": site.final_state,
        "punctuality": site.punctuality,
        "first_ready_at": site.first_ready_at,
        "late_by_minutes": late_by(site.first_ready_at, start),
        "unchecked": list(site.unchecked) if site.unchecked is not None else None,
        "problem": site.problem,
        "override": site.override,
        "needs_attention": site.needs_attention,
    }


def encode_cursor(code: str) -> str:
    return base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = (cursor + "=" * (-len(cursor) % 4)).encode()
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError({"cursor": [_("Invalid cursor.")]}) from None


class SiteQuerySerializer(serializers.Serializer):
    province = serializers.CharField(
        required=False, max_length=32, help_text=_("Only the sites of this province (its code).")
    )
    attention = serializers.BooleanField(
        required=False, default=False, help_text=_("Only the sites that need attention.")
    )
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT
    )
    cursor = serializers.CharField(required=False, max_length=200)


class ReadinessReportView(DeclaredQueryParameters, APIView):
    permission_classes = [MeetingPermission]

    @extend_schema(
        operation_id="meetings_readiness_retrieve",
        summary=_("The session's readiness report: totals and provinces"),
        description=_(
            "As the readiness report page: whoever may watch the session, of the part they watch."
        ),
        responses={200: ReadinessReportSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = watched_meeting(request.user, meeting_id)
        watched = watched_part(request.user, meeting)
        summary = summarise(meeting.conference, watched.part)
        provinces = [
            {
                "code": summary.province_codes[name],
                "name": name,
                **counts,
                **summary.attention[name],
            }
            for name, counts in summary.by_province.items()
        ]
        return Response(
            {
                "meeting": meeting.pk,
                "conference": meeting.conference_id,
                "whole": watched.part.is_whole,
                "totals": summary.totals,
                "provinces": provinces,
                "sites": reverse("meetings-api:meeting-readiness-sites", args=[meeting.pk]),
            }
        )


class ReadinessSitesView(DeclaredQueryParameters, APIView):
    permission_classes = [MeetingPermission]
    query_parameters = SiteQuerySerializer

    @extend_schema(
        operation_id="meetings_readiness_sites_list",
        summary=_("The sites of the session's readiness report, a page at a time"),
        description=_(
            "As the readiness report page: whoever may watch the session, of the part they "
            "watch. Tree order; `next` is the following page's path, null on the last."
        ),
        parameters=[
            SiteQuerySerializer,
            OpenApiParameter("cursor", OpenApiTypes.STR, description=_("From `next`.")),
        ],
        responses={200: SitePageSerializer, 400: OpenApiResponse(), 404: NOT_FOUND},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = watched_meeting(request.user, meeting_id)
        watched = watched_part(request.user, meeting)
        query = SiteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        after = decode_cursor(options["cursor"]) if "cursor" in options else None
        sites = summarise(meeting.conference, watched.part).sites
        if "province" in options:
            sites = [site for site in sites if site.province_code == options["province"]]
        if options["attention"]:
            sites = [site for site in sites if site.needs_attention]
        if after is not None:
            codes = [site.site for site in sites]
            sites = sites[codes.index(after) + 1 :] if after in codes else []
        page, rest = sites[: options["limit"]], sites[options["limit"] :]
        start = meeting.conference.start
        following = None
        if rest:
            params = {key: value for key, value in request.query_params.items() if key != "cursor"}
            params["cursor"] = encode_cursor(page[-1].site)
            following = f"{request.path}?{urlencode(params)}"
        return Response(
            {
                "next": following,
                "results": SiteReadinessSerializer(
                    [site_data(site, start) for site in page], many=True
                ).data,
            }
        )
