from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from conferencing.models import LEVEL_SLUGS, Bridge, Endpoint, Level

# The API names levels by slug; ENUM_NAME_OVERRIDES gives them one schema name.
LEVEL_CHOICES = [(level.slug, level.label) for level in Level]


class LevelField(serializers.ChoiceField):
    """An administrative level as its slug ("central", "province"…), stored as its number."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=LEVEL_CHOICES, **kwargs)

    def to_internal_value(self, data: object) -> int:
        return LEVEL_SLUGS[super().to_internal_value(data)].value

    def to_representation(self, value: int | str) -> str:
        return Level(int(value)).slug


# The largest primary key (BigAutoField): a bigger number names nothing, and the database
# would refuse it as a parameter rather than find no row.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """An object's id in a request: a positive integer the database can compare."""

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class EndpointSerializer(serializers.ModelSerializer):
    level = LevelField(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Blank when the site has none: an e-mail format would refuse the empty string.
    contact_email = serializers.CharField(
        read_only=True, help_text=_("An e-mail address, or empty.")
    )

    class Meta:
        model = Endpoint
        fields = [
            "code",
            "name",
            "level",
            "parent",
            "organisation",
            "address",
            "dial_string",
            "contact_phone",
            "contact_email",
            "is_active",
        ]
        read_only_fields = fields


class BridgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bridge
        fields = ["id", "name", "dial_in", "port_capacity", "is_active"]
        read_only_fields = fields


class EndpointFilterSerializer(serializers.Serializer):
    """The query string of the site list; `within` is resolved to its site once, here."""

    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Code, name or organisation contains.")
    )
    level = LevelField(required=False, help_text=_("Only sites of this level."))
    within = serializers.CharField(
        required=False,
        max_length=32,
        help_text=_("Only this site and the sites under it (a site code)."),
    )
    active = serializers.BooleanField(
        required=False, default=False, help_text=_("Only active sites.")
    )

    def validate_within(self, code: str) -> Endpoint:
        ancestor = Endpoint.objects.only("pk", "code", "path").filter(code=code).first()
        if ancestor is None:
            raise serializers.ValidationError(_("No site has the code %(code)s.") % {"code": code})
        return ancestor
