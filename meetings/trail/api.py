"""The audit trail over the API: GET /api/v1/audit/, the entries of the /audit/ page
(meetings.trail.scope: the superuser every one, the secretariat those about what its
acting office answers for, a confidential session's only when it may see that session),
filtered by object, actor, action and time, newest first, cursor-paginated.

Mounted from config/urls.py, beside the page.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.names import full_name
from audit.models import AuditEntry
from conferencing.api.serializers import IdField
from httpapi.pagination import StableCursorPagination
from httpapi.query_parameters import DeclaredQueryParameters
from meetings.trail.scope import may_read_trail, readable_entries


class ReadsTheTrail(BasePermission):
    """Who may open the /audit/ page; anonymous callers get 401, the others 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_read_trail(request.user)


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField(help_text=_("Who did it; null: the system."))
    changes = serializers.JSONField(read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "action", "target_type", "target_id", "changes"]
        read_only_fields = fields

    @extend_schema_field(ActorSerializer(allow_null=True))
    def get_actor(self, entry: AuditEntry) -> dict | None:
        if entry.actor is None:
            return None
        return {
            "id": entry.actor.pk,
            "username": entry.actor.get_username(),
            "full_name": full_name(entry.actor),
        }


class AuditFilterSerializer(serializers.Serializer):
    target_type = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_(
            "Only entries about objects of this type (meetings.meeting, conferencing.endpoint…)."
        ),
    )
    target_id = serializers.CharField(
        required=False,
        max_length=64,
        help_text=_("With target_type: only entries about this object."),
    )
    actor = IdField(required=False, help_text=_("Only what this person (an id) did."))
    action = serializers.CharField(
        required=False, max_length=64, help_text=_("Only this action (meeting.booked…).")
    )
    from_ = serializers.DateTimeField(
        required=False, help_text=_("Only entries at or after this instant (ISO 8601).")
    )
    to = serializers.DateTimeField(
        required=False, help_text=_("Only entries before this instant (ISO 8601).")
    )

    def get_fields(self) -> dict:
        fields = super().get_fields()
        # "from" is the parameter's name; a Python keyword cannot be an attribute.
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, data: dict) -> dict:
        if "target_id" in data and "target_type" not in data:
            raise serializers.ValidationError(
                {"target_type": [_("Give the type of the object as well as its id.")]}
            )
        if "from" in data and "to" in data and data["from"] >= data["to"]:
            raise serializers.ValidationError({"to": [_("The end must be after the start.")]})
        return data


def filter_entries(entries: QuerySet[AuditEntry], filters: dict) -> QuerySet[AuditEntry]:
    if "target_type" in filters:
        entries = entries.filter(target_type=filters["target_type"])
    if "target_id" in filters:
        entries = entries.filter(target_id=filters["target_id"])
    if "actor" in filters:
        entries = entries.filter(actor_id=filters["actor"])
    if "action" in filters:
        entries = entries.filter(action=filters["action"])
    if "from" in filters:
        entries = entries.filter(at__gte=filters["from"])
    if "to" in filters:
        entries = entries.filter(at__lt=filters["to"])
    return entries


class NewestFirst(StableCursorPagination):
    ordering = ("-at", "-pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="audit_list",
        summary=_("The audit trail I may read, newest first"),
        parameters=[AuditFilterSerializer],
    )
)
class AuditEntryList(DeclaredQueryParameters, ListAPIView):
    permission_classes = [ReadsTheTrail]
    serializer_class = AuditEntrySerializer
    pagination_class = NewestFirst
    query_parameters = AuditFilterSerializer

    def get_queryset(self) -> QuerySet[AuditEntry]:
        filters = AuditFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filter_entries(readable_entries(self.request.user), filters.validated_data)
