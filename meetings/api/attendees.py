"""A session's attendees over JSON: read by whoever may read the session, changed by
whoever may change it (meetings.visibility); each change is one call of
meetings.attendance."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.names import full_name
from httpapi.query_parameters import DeclaredQueryParameters
from meetings import attendance
from meetings.api.errors import DomainErrorsMixin
from meetings.api.permissions import MeetingPermission
from meetings.models import Attendee, AttendeeRole, Meeting
from meetings.visibility import changeable, may_change, with_details

NOT_FOUND = OpenApiResponse(
    description=_(
        "No such session or attendee, or one the user may not read (or, to change it, "
        "may not change): the same answer."
    )
)
BAD_REQUEST = OpenApiResponse(description=_('Invalid input: {"field": ["message"]}.'))
CLOSED = OpenApiResponse(
    description=_("The session is over, has started or is cancelled: nothing was written.")
)


class AttendeePagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class AttendeeItemSerializer(serializers.Serializer):
    """One attendee; `email` only for those who may change the session, else null."""

    id = serializers.IntegerField(source="user.id", help_text=_("The person's user id."))
    username = serializers.CharField(source="user.username")
    name = serializers.SerializerMethodField(help_text=_("The full name as written."))
    role = serializers.ChoiceField(choices=AttendeeRole.choices)
    email = serializers.SerializerMethodField()

    def get_name(self, attendee: Attendee) -> str:
        return full_name(attendee.user)

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, attendee: Attendee) -> str | None:
        return attendee.user.email if self.context.get("show_email") else None


class AddAttendeeSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text=_("The invited person's user id."))
    role = serializers.ChoiceField(choices=AttendeeRole.choices, default=AttendeeRole.MEMBER)


class ChangeRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=AttendeeRole.choices)


def readable_meeting(user: AbstractBaseUser, pk: int) -> Meeting:
    return get_object_or_404(with_details(user, Meeting.objects.all()), pk=pk)


def changeable_meeting(user: AbstractBaseUser, pk: int) -> Meeting:
    return get_object_or_404(changeable(user, Meeting.objects.all()), pk=pk)


def attendees_of(meeting: Meeting) -> QuerySet[Attendee]:
    return (
        Attendee.objects.filter(meeting=meeting)
        .select_related("user__person")
        .order_by("user__username", "pk")
    )


def attendee_data(meeting: Meeting, user_id: int) -> dict:
    """An attendee as answered to the secretariat that just changed it (e-mail shown)."""
    attendee = attendees_of(meeting).get(user_id=user_id)
    return AttendeeItemSerializer(attendee, context={"show_email": True}).data


class AttendeeListView(DomainErrorsMixin, DeclaredQueryParameters, APIView):
    permission_classes = [MeetingPermission]
    pagination_class = AttendeePagination

    @extend_schema(
        operation_id="meetings_attendees_list",
        summary=_("The session's attendees"),
        description=_(
            "Whoever may read the session; e-mail addresses only for those who may change it."
        ),
        responses={200: AttendeeItemSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = readable_meeting(request.user, meeting_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(attendees_of(meeting), request, view=self)
        context = {"show_email": may_change(meeting, request.user)}
        return paginator.get_paginated_response(
            AttendeeItemSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        operation_id="meetings_attendees_create",
        summary=_("Invite one more person"),
        description=_(
            "Secretariat of the owning office. Raises the session's SEQUENCE; the person "
            "gets an invitation, the others an update."
        ),
        request=AddAttendeeSerializer,
        responses={
            201: AttendeeItemSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: CLOSED,
        },
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting = changeable_meeting(request.user, meeting_id)
        serializer = AddAttendeeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attendance.add_attendee(meeting, data["user"], data["role"], request.user)
        return Response(attendee_data(meeting, data["user"]), status=status.HTTP_201_CREATED)


class AttendeeDetailView(DeclaredQueryParameters, DomainErrorsMixin, APIView):
    permission_classes = [MeetingPermission]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Attendee.DoesNotExist):
            exc = NotFound()
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="meetings_attendees_partial_update",
        summary=_("Give an attendee another role"),
        description=_("Secretariat of the owning office. Raises the session's SEQUENCE."),
        request=ChangeRoleSerializer,
        responses={200: AttendeeItemSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CLOSED},
    )
    def patch(self, request: Request, meeting_id: int, user_id: int) -> Response:
        meeting = changeable_meeting(request.user, meeting_id)
        serializer = ChangeRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance.change_role(meeting, user_id, serializer.validated_data["role"], request.user)
        return Response(attendee_data(meeting, user_id))

    @extend_schema(
        operation_id="meetings_attendees_destroy",
        summary=_("Take a person off the session"),
        description=_(
            "Secretariat of the owning office. Raises the session's SEQUENCE; the person "
            "is told they were removed."
        ),
        request=None,
        responses={204: None, 404: NOT_FOUND, 409: CLOSED},
    )
    def delete(self, request: Request, meeting_id: int, user_id: int) -> Response:
        meeting = changeable_meeting(request.user, meeting_id)
        attendance.remove_attendee(meeting, user_id, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
