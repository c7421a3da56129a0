"""What a socket client needs from the meeting API: the conference, its legs and the
socket paths, each only for a viewer who may open it.

The detail of a meeting carries `live`: the conference id, the path of its legs and the
socket paths (the readiness board for whoever may watch it, meetings.visibility.
board_part; the technician socket for a technician of one of its sites). The legs are
their own list, GET /api/v1/meetings/{id}/legs/, with cursor pagination: a national
session has thousands of legs, which would make every detail as large as its board and
slow to read; a cursor (not an offset) stays as fast on the last page as on the first
and never skips or repeats a leg while sites are added or removed between pages.
"""

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from conferencing.api.serializers import LevelField
from conferencing.models import Leg, LegRole
from conferencing.watch_policy import BoardPart
from httpapi.pagination import StableCursorPagination
from httpapi.query_parameters import DeclaredQueryParameters
from meetings.api.permissions import MeetingPermission
from meetings.models import Meeting
from meetings.visibility import User, board_part

# The paths of config/websocket_routes.py (regular expressions there, so no reverse()):
# tests/meetings/api/test_live.py holds these to the routes.
BOARD_SOCKET = "/ws/conferences/{conference_id}/board/"
TECHNICIAN_SOCKET = "/ws/readiness/"


class SocketsSerializer(serializers.Serializer):
    board = serializers.CharField(
        allow_null=True,
        help_text=_("The readiness board's socket (absolute path), for whoever may watch it."),
    )
    console = serializers.CharField(
        allow_null=True,
        help_text=_("The technicians' socket, for a technician of one of the session's sites."),
    )


class LiveSerializer(serializers.Serializer):
    conference = serializers.IntegerField(help_text=_("The conference's id."))
    legs = serializers.CharField(
        allow_null=True,
        help_text=_("The path of the legs I may watch (null: none)."),
    )
    sockets = SocketsSerializer()


def serves_a_site_of(meeting: Meeting, user: User) -> bool:
    return Leg.objects.filter(
        conference_id=meeting.conference_id, is_reserved=True, endpoint__technicians=user.pk
    ).exists()


def live_data(meeting: Meeting, user: User) -> dict:
    """The `live` part of a readable meeting's detail; four queries at most."""
    part = board_part(user, meeting)
    console = user.is_authenticated and serves_a_site_of(meeting, user)
    return {
        "conference": meeting.conference_id,
        "legs": reverse("meetings-api:meeting-legs", args=[meeting.pk]) if part else None,
        "sockets": {
            "board": BOARD_SOCKET.format(conference_id=meeting.conference_id) if part else None,
            "console": TECHNICIAN_SOCKET if console else None,
        },
    }


class LegItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(source="endpoint.code")
    name = serializers.CharField(source="endpoint.name")
    level = LevelField(source="endpoint.level")
    role = serializers.ChoiceField(choices=LegRole.choices)


class LegCursorPagination(StableCursorPagination):
    # A cursor it cannot read is 400 naming it (StableCursorPagination), not a 404.
    # In tree order: a site's path is unique, and one leg per site in a conference.
    ordering = "site_path"
    page_size = 500
    max_page_size = 2000
    page_size_query_param = "limit"


def legs_in(meeting: Meeting, part: BoardPart) -> QuerySet[Leg]:
    legs = Leg.objects.filter(conference_id=meeting.conference_id).select_related("endpoint")
    if not part.is_whole:
        legs = legs.filter(endpoint__path__startswith=part.within)
    return legs.annotate(site_path=F("endpoint__path"))


class MeetingLegsView(DeclaredQueryParameters, APIView):
    permission_classes = [MeetingPermission]
    pagination_class = LegCursorPagination

    @extend_schema(
        operation_id="meetings_legs_list",
        summary=_("The legs of the session I may watch"),
        description=_(
            "Whoever may watch the session's readiness: the whole board, or their office's "
            "part. Sites in tree order, a page at a time (cursor)."
        ),
        responses={
            200: LegItemSerializer(many=True),
            404: OpenApiResponse(
                description=_("No such session, or one the user may not watch: the same answer.")
            ),
        },
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        part = board_part(request.user, meeting) if meeting is not None else None
        if part is None:
            raise NotFound()
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(legs_in(meeting, part), request, view=self)
        return paginator.get_paginated_response(LegItemSerializer(page, many=True).data)
