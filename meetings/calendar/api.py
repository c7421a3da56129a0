"""The caller's calendar feeds over the API (/api/v1/calendar/feeds/): list them (never
their tokens), make one (its secret address in that answer only), rotate one (a new
address, once; the old one stops at once), revoke one. The rules are the web page's,
in meetings.calendar.feed_tokens (which kinds, which site or province, how many, the
audit entries); another person's feed answers 404, as a missing one.

Mounted from config/urls.py: the booking core (meetings.api) never imports the calendar.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import can_view_meetings
from conferencing.api.serializers import LevelField
from httpapi.query_parameters import DeclaredQueryParameters
from meetings.calendar import feed_tokens
from meetings.calendar.models import FeedKind, FeedToken


class MayHaveFeeds(BasePermission):
    """Whoever may open the calendar page (every role); anonymous callers get 401."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_meetings(request.user)


class FeedSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(
        source="endpoint",
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The site of a site feed."),
    )
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    office = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    level = LevelField(read_only=True, allow_null=True)

    class Meta:
        model = FeedToken
        fields = [
            "id",
            "kind",
            "site",
            "province",
            "level",
            "office",
            "without_invitations",
            "created_at",
            "last_used_at",
        ]
        read_only_fields = fields


class NewFeedSerializer(FeedSerializer):
    url = serializers.URLField(
        read_only=True,
        help_text=_(
            "The feed's address, which is its key (https): in this answer only, never again."
        ),
    )
    webcal_url = serializers.CharField(
        read_only=True, help_text=_("The same address as webcal://, for calendar apps.")
    )

    class Meta(FeedSerializer.Meta):
        fields = [*FeedSerializer.Meta.fields, "url", "webcal_url"]
        read_only_fields = fields


class FeedRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeedKind.choices)
    site = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=_("A site feed: the code of a site you serve or of your office's jurisdiction."),
    )
    province = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=_("An organisation feed: only sessions with a site in this province (a code)."),
    )
    level = LevelField(
        required=False,
        allow_null=True,
        help_text=_("An organisation feed: only sessions with a site at this level."),
    )
    without_invitations = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("A personal feed: leave out the sessions you get invitations for by e-mail."),
    )

    def scope(self) -> feed_tokens.FeedScope:
        data = self.validated_data
        return feed_tokens.FeedScope(
            kind=data["kind"],
            site_code=data.get("site", ""),
            province_code=data.get("province", ""),
            level=data.get("level"),
            without_invitations=data["without_invitations"],
        )


def new_feed_body(request: Request, feed: FeedToken, token: str) -> dict:
    body = dict(NewFeedSerializer(feed).data)
    url = request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": token}))
    body["url"] = url
    body["webcal_url"] = "webcal://" + url.split("://", 1)[1]
    return body


def own_feed(request: Request, pk: int) -> FeedToken:
    """The caller's active feed, else 404 (another person's feed is a missing one)."""
    feed = FeedToken.objects.active().filter(pk=pk, user=request.user).first()
    if feed is None:
        raise NotFound
    return feed


class FeedsView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [MayHaveFeeds]
    serializer_class = FeedRequestSerializer
    # The caller's own feeds, at most feed_tokens.MAX_ACTIVE_FEEDS: one page.
    pagination_class = None

    @extend_schema(
        operation_id="calendar_feeds_list",
        summary=_("My calendar feeds (their addresses are never shown again)"),
        responses={200: FeedSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(FeedSerializer(feed_tokens.active_feeds(request.user), many=True).data)

    @extend_schema(
        operation_id="calendar_feeds_create",
        summary=_("Make a calendar feed (its address is in this answer only)"),
        request=FeedRequestSerializer,
        responses={
            201: NewFeedSerializer,
            400: OpenApiResponse(description=_("Bad input, or too many feeds.")),
            403: OpenApiResponse(description=_("This kind of feed is not yours to make.")),
        },
    )
    def post(self, request: Request) -> Response:
        asked = FeedRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            feed, token = feed_tokens.create(request.user, asked.scope())
        except feed_tokens.FeedTokenError as error:
            raise ValidationError({error.field: [error.message]}) from None
        return Response(new_feed_body(request, feed, token), status=status.HTTP_201_CREATED)


class FeedView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [MayHaveFeeds]
    serializer_class = FeedSerializer

    @extend_schema(
        operation_id="calendar_feeds_destroy",
        summary=_("Revoke one of my calendar feeds: its address stops at once"),
        responses={204: None, 404: OpenApiResponse(description=_("Not found."))},
    )
    def delete(self, request: Request, pk: int) -> Response:
        try:
            feed_tokens.revoke(own_feed(request, pk), request.user)
        except FeedToken.DoesNotExist:
            # Revoked by a concurrent request between the look-up and the lock.
            raise NotFound from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class FeedRotationView(DeclaredQueryParameters, GenericAPIView):
    permission_classes = [MayHaveFeeds]
    serializer_class = NewFeedSerializer

    @extend_schema(
        operation_id="calendar_feeds_rotate",
        summary=_("A new address for one of my calendar feeds; the old one stops at once"),
        request=None,
        responses={201: NewFeedSerializer, 404: OpenApiResponse(description=_("Not found."))},
    )
    def post(self, request: Request, pk: int) -> Response:
        try:
            feed, token = feed_tokens.rotate(own_feed(request, pk), request.user)
        except FeedToken.DoesNotExist:
            raise NotFound from None
        return Response(new_feed_body(request, feed, token), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("calendar/feeds/", FeedsView.as_view(), name="feeds"),
    path("calendar/feeds/<int:pk>/", FeedView.as_view(), name="feed"),
    path("calendar/feeds/<int:pk>/rotate/", FeedRotationView.as_view(), name="feed-rotate"),
]
