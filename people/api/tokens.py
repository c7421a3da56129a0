"""The API of one's own tokens: GET/POST /api/v1/tokens/, DELETE /api/v1/tokens/{id}/.

Only the asker's tokens: another person's token id answers 404, as a missing one.
Rules in people.api_tokens; a read-only token may list but not make or revoke (its
POST and DELETE are refused by people.authentication)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from conferencing.api.serializers import IdField
from httpapi.idempotency import idempotent
from httpapi.query_parameters import DeclaredQueryParameters
from httpapi.schema import KEY_PARAMETERS, KEY_RESPONSES
from people import api_tokens
from people.models import ApiToken, TokenScope


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's name for people.authentication.ApiTokenAuthentication (registered
    when this module is imported, which people.api.urls does)."""

    target_class = "people.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "An API token made on the profile page or with POST /api/v1/tokens/: "
                "Authorization: Bearer <token>."
            ),
        }


class TokenSerializer(serializers.ModelSerializer):
    office = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "office",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text=_("The token itself: shown this once, never again.")
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=api_tokens.NAME_MAX_LENGTH)
    scope = serializers.ChoiceField(choices=TokenScope.choices)
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("At most one year ahead; leave it out for a token that lives until revoked."),
    )
    office = IdField(
        required=False,
        allow_null=True,
        help_text=_("One of your offices, which the token acts for; none if left out."),
    )


class TokenViewSet(DeclaredQueryParameters, viewsets.ViewSet):
    @extend_schema(summary=_("My API tokens"), responses=TokenSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(TokenSerializer(api_tokens.tokens_of(request.user), many=True).data)

    @extend_schema(
        summary=_("Make an API token (the token is in this answer only)"),
        description=_(
            "Location: the token's path (DELETE it to revoke). With an Idempotency-Key, a "
            "retry gets the same answer, the token included, and only its own sender does."
        ),
        request=TokenRequestSerializer,
        parameters=KEY_PARAMETERS,
        responses={
            201: NewTokenSerializer,
            400: OpenApiResponse(description=_("Bad input")),
            **KEY_RESPONSES,
        },
    )
    @idempotent
    def create(self, request: Request) -> Response:
        asked = TokenRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        try:
            made = api_tokens.create(
                request.user,
                name=data["name"],
                scope=data["scope"],
                expires_at=data.get("expires_at"),
                office_id=data.get("office"),
                made_with=request.auth if isinstance(request.auth, ApiToken) else None,
            )
        except api_tokens.TokenRefused as refused:
            raise ValidationError({refused.code: [refused.message]}) from None
        body = NewTokenSerializer(made.token).data
        body["token"] = made.key
        return Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("people-api:token-detail", kwargs={"pk": made.token.pk})},
        )

    @extend_schema(
        summary=_("Revoke one of my API tokens"),
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={204: None, 404: OpenApiResponse(description=_("Not found"))},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        try:
            token = api_tokens.token_of(request.user, pk)
        except api_tokens.TokenNotFound:
            raise NotFound from None
        api_tokens.revoke(token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("tokens", TokenViewSet, basename="token")
