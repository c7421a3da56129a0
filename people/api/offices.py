"""The offices whose people the caller manages, and their people, read-only:
GET /api/v1/offices/ and GET /api/v1/offices/{id}/people/.

The people pages' rule (people.scope): the superuser sees every office; secretariat
staff the office they act for (a token's office, for a token) and every office in its
jurisdiction; everyone else is refused (403), as on the web. An office outside answers
404, as a missing one. Both lists are cursor-paginated on a stable order (the offices
by code, the people by folded name then id); the people are searched with `q`, marks
ignored.
"""

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView

from accounts.roles import Role
from conferencing.models import Office
from httpapi.pagination import StableCursorPagination
from httpapi.query_parameters import DeclaredQueryParameters
from people import roster, scope
from people.api.imports import ManagesPeople

ROLE_SLUGS = [(role.value.lower(), role.label) for role in Role]


class OfficeSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text=_("The site whose subtree the office books, manages and watches."),
    )

    class Meta:
        model = Office
        fields = ["id", "code", "name", "jurisdiction", "is_active"]
        read_only_fields = fields


class OfficePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(help_text=_("As written, with its diacritics."))
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ROLE_SLUGS))
    sites = serializers.ListField(
        child=serializers.CharField(), help_text=_("The codes of the sites the person serves.")
    )
    is_active = serializers.BooleanField()
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)

    def to_representation(self, user) -> dict:
        person = getattr(user, "person", None)
        return {
            "id": user.pk,
            "username": user.username,
            "full_name": person.full_name if person else "",
            "roles": [group.name.lower() for group in user.role_groups],
            "sites": [site.code for site in user.served_sites],
            "is_active": user.is_active,
            # The people pages show both to whoever may open them, which is every caller here.
            "email": user.email,
            "phone": person.phone if person else "",
        }


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("Every word, marks ignored: “nguyen lan” finds “Nguyễn Thị Lan”."),
    )


class OfficeCursor(StableCursorPagination):
    ordering = ("code",)


class PersonCursor(StableCursorPagination):
    # The folded name (the web list's order); the id breaks ties between namesakes.
    ordering = ("sort_key", "pk")


def search_text(request) -> str:
    asked = SearchSerializer(data=request.query_params)
    asked.is_valid(raise_exception=True)
    return asked.validated_data.get("q", "")


@extend_schema_view(
    get=extend_schema(
        operation_id="offices_list",
        summary=_("Offices whose people I manage"),
    )
)
class OfficeList(DeclaredQueryParameters, ListAPIView):
    permission_classes = [ManagesPeople]
    serializer_class = OfficeSerializer
    pagination_class = OfficeCursor

    def get_queryset(self) -> QuerySet[Office]:
        return scope.people_offices(self.request.user).select_related("jurisdiction")


@extend_schema_view(
    get=extend_schema(
        operation_id="offices_people_list",
        summary=_("The people of an office"),
        parameters=[SearchSerializer],
        responses={
            200: OfficePersonSerializer(many=True),
            404: OpenApiResponse(description=_("Not found.")),
        },
    )
)
class OfficePeopleList(DeclaredQueryParameters, ListAPIView):
    permission_classes = [ManagesPeople]
    query_parameters = SearchSerializer
    serializer_class = OfficePersonSerializer
    pagination_class = PersonCursor

    def get_queryset(self) -> QuerySet:
        office = scope.people_offices(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if office is None:
            raise NotFound
        people = roster.search(
            roster.office_people(self.request.user, office), search_text(self.request)
        )
        return people.annotate(sort_key=Coalesce(F("person__search_key"), Value("")))
