"""Sites, read-only, for every signed-in role; bridges within the acting office's reach."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import LimitOffsetPagination

from conferencing import jurisdiction
from conferencing.api.permissions import CanViewEndpoints
from conferencing.api.serializers import (
    BridgeSerializer,
    EndpointFilterSerializer,
    EndpointSerializer,
)
from conferencing.models import CODE_PATTERN, Bridge, Endpoint, EndpointQuerySet
from httpapi.query_parameters import DeclaredQueryParameters


class EndpointPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


@extend_schema_view(
    list=extend_schema(
        summary=_("List conference sites in tree order"),
        parameters=[EndpointFilterSerializer],
    ),
    retrieve=extend_schema(summary=_("One conference site, by its code")),
)
class EndpointViewSet(DeclaredQueryParameters, viewsets.ReadOnlyModelViewSet):
    serializer_class = EndpointSerializer
    permission_classes = [CanViewEndpoints]
    pagination_class = EndpointPagination
    lookup_field = "code"
    query_parameters = {"list": EndpointFilterSerializer}
    lookup_value_regex = CODE_PATTERN.removeprefix("^").removesuffix("$")

    def get_queryset(self) -> EndpointQuerySet:
        endpoints = Endpoint.objects.select_related("parent").in_tree_order()
        if self.action != "list":
            return endpoints
        filters = EndpointFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filter_endpoints(endpoints, filters.validated_data)


def filter_endpoints(endpoints: EndpointQuerySet, filters: dict) -> EndpointQuerySet:
    if "within" in filters:
        endpoints = endpoints.within(filters["within"])
    if "level" in filters:
        endpoints = endpoints.at_level(filters["level"])
    if filters["active"]:
        endpoints = endpoints.active()
    return endpoints.search(filters.get("q", ""))


@extend_schema_view(
    list=extend_schema(summary=_("List bridges (MCUs)")),
    retrieve=extend_schema(summary=_("One bridge (MCU)")),
)
class BridgeViewSet(DeclaredQueryParameters, viewsets.ReadOnlyModelViewSet):
    """The bridges the acting office may book on (its own and those shared with it), every
    bridge for the superuser, none for the other roles; another bridge answers 404."""

    serializer_class = BridgeSerializer
    permission_classes = [CanViewEndpoints]

    def get_queryset(self) -> QuerySet[Bridge]:
        return jurisdiction.visible_bridges(self.request.user).order_by("name")
