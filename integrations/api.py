"""The webhooks API: /api/v1/webhooks/ — the acting office's subscriptions, their
delivery log, redelivery and secret rotation. Rules in integrations.subscriptions; a
subscription of another office answers 404, as a missing one."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from conferencing.jurisdiction import booking_office
from httpapi.query_parameters import DeclaredQueryParameters
from integrations import subscriptions
from integrations.models import EventType, WebhookDelivery, WebhookSubscription


class ManagesWebhooks(BasePermission):
    """The secretariat acting for an office; anonymous 401, anyone else 403."""

    message = _("Only an office's secretariat manages its webhooks.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.is_authenticated and booking_office(request.user) is not None


class SubscriptionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "subscription_disabled"
    default_detail = _("Switch the subscription on before redelivering.")


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "office",
            "url",
            "events",
            "active",
            "disabled_at",
            "disabled_reason",
            "failure_streak",
            "created_at",
        ]
        read_only_fields = fields


class WebhookSubscriptionWithSecretSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("The signing secret (whsec_…): shown on creation and rotation only."),
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class NewWebhookSubscriptionSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))


class WebhookSubscriptionChangeSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), required=False
    )
    active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_response_body",
            "last_duration_ms",
            "last_error",
            "payload",
        ]
        read_only_fields = fields


class WebhookDeliveryPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
DELIVERY_ID = OpenApiParameter("delivery_id", OpenApiTypes.INT, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description=_("Not found"))
BAD_INPUT = OpenApiResponse(description=_("Bad input"))


def refused(error: subscriptions.Refused) -> ValidationError:
    return ValidationError(error.errors)


class WebhookViewSet(DeclaredQueryParameters, viewsets.GenericViewSet):
    permission_classes = [ManagesWebhooks]
    paged_actions = ("deliveries",)
    # Only the delivery log is paginated (the subscriptions of an office are a handful).
    pagination_class = None
    queryset = WebhookSubscription.objects.none()  # the schema's model; rules in subscriptions

    def subscription(self, pk: str) -> WebhookSubscription:
        try:
            return subscriptions.subscription_of(self.request.user, pk)
        except subscriptions.NotFound:
            raise NotFound from None

    @extend_schema(
        summary=_("The acting office's webhook subscriptions"),
        responses=WebhookSubscriptionSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        found = subscriptions.manageable(request.user).select_related("office").order_by("pk")
        return Response(WebhookSubscriptionSerializer(found, many=True).data)

    @extend_schema(
        summary=_("Subscribe a URL to events (the secret is in this answer only)"),
        request=NewWebhookSubscriptionSerializer,
        responses={201: WebhookSubscriptionWithSecretSerializer, 400: BAD_INPUT},
    )
    def create(self, request: Request) -> Response:
        asked = NewWebhookSubscriptionSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            made = subscriptions.create(request.user, **asked.validated_data)
        except subscriptions.Refused as error:
            raise refused(error) from None
        return Response(WebhookSubscriptionWithSecretSerializer(made).data, status=201)

    @extend_schema(
        summary=_("One webhook subscription"),
        parameters=[ID],
        responses={200: WebhookSubscriptionSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(WebhookSubscriptionSerializer(self.subscription(pk)).data)

    @extend_schema(
        summary=_("Change a subscription's URL or events, or switch it on or off"),
        parameters=[ID],
        request=WebhookSubscriptionChangeSerializer,
        responses={200: WebhookSubscriptionSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        subscription = self.subscription(pk)
        asked = WebhookSubscriptionChangeSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            changed = subscriptions.update(request.user, subscription, **asked.validated_data)
        except subscriptions.Refused as error:
            raise refused(error) from None
        return Response(WebhookSubscriptionSerializer(changed).data)

    @extend_schema(
        summary=_("Delete a webhook subscription and its delivery log"),
        parameters=[ID],
        responses={204: None, 404: NOT_FOUND},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        subscriptions.delete(request.user, self.subscription(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Give the subscription a new signing secret (in this answer only)"),
        parameters=[ID],
        request=None,
        responses={200: WebhookSubscriptionWithSecretSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        rotated = subscriptions.rotate_secret(request.user, self.subscription(pk))
        return Response(WebhookSubscriptionWithSecretSerializer(rotated).data)

    @extend_schema(
        summary=_("A subscription's deliveries, newest first, with their last answer"),
        parameters=[ID],
        responses={200: WebhookDeliverySerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=WebhookDeliveryPagination)
    def deliveries(self, request: Request, pk: str) -> Response:
        found = subscriptions.deliveries_of(self.subscription(pk))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        summary=_("Send one delivery again now, with the same event id"),
        parameters=[ID, DELIVERY_ID],
        request=None,
        responses={
            202: WebhookDeliverySerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("The subscription is switched off")),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]+)/redeliver",
    )
    def redeliver(self, request: Request, pk: str, delivery_id: str) -> Response:
        try:
            delivery = subscriptions.delivery_of(self.subscription(pk), delivery_id)
        except subscriptions.NotFound:
            raise NotFound from None
        try:
            again = subscriptions.redeliver(request.user, delivery)
        except subscriptions.SubscriptionDisabled:
            raise SubscriptionConflict from None
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)


router = SimpleRouter()
router.register("webhooks", WebhookViewSet, basename="webhook")
