"""The request of PATCH /api/v1/meetings/{id}/: what a session is about, nothing else."""

from django.utils.translation import gettext
from rest_framework import serializers

from meetings.models import Classification


class DetailsChangeSerializer(serializers.Serializer):
    """Title, agenda and classification, each optional; any other field is refused (its
    time, sites and status have their own operations)."""

    title = serializers.CharField(max_length=300, required=False)
    agenda = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)

    def validate(self, data: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [gettext("This field cannot be changed here.")] for name in unknown}
            )
        if not data:
            raise serializers.ValidationError(
                gettext("Give at least one of title, agenda and classification.")
            )
        return data
