"""The tasks API's shapes: a task, a step of its history, and the bodies of the steps."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.conclusions.models import Task, TaskState
from meetings.followup.actions import MAX_NOTE_LENGTH
from meetings.followup.models import EvidenceFile, TaskEvent
from meetings.followup.summary import TIMELINESS, timeliness_of


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "size", "sha256", "content_type"]
        read_only_fields = fields


class TaskEventSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = TaskEvent
        fields = [
            "id",
            "task",
            "kind",
            "at",
            "office",
            "actor",
            "state_before",
            "state_after",
            "percent",
            "note",
            "new_deadline",
            "old_deadline",
            "completed_on",
            "evidence",
        ]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.notice.meeting_id", read_only=True)
    notice = serializers.CharField(source="item.notice.number_symbol", read_only=True)
    position = serializers.IntegerField(source="item.position", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assigning_office = serializers.CharField(
        source="item.notice.meeting.owner_office.code", read_only=True, allow_null=True
    )
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    timeliness = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "meeting",
            "notice",
            "position",
            "text",
            "office",
            "assigning_office",
            "deadline_on",
            "state",
            "percent",
            "completed_on",
            "timeliness",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(
            choices=TIMELINESS,
            help_text=_("on_time, late (done after the deadline), overdue (open past it) or open."),
        )
    )
    def get_timeliness(self, task: Task) -> str:
        return timeliness_of(
            task.state, task.deadline_on, getattr(task, "completed_on", None), self.context["today"]
        )


class TaskDetailSerializer(TaskSerializer):
    events = TaskEventSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "events"]
        read_only_fields = fields


class TaskFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=TaskState.choices, required=False)
    due_from = serializers.DateField(required=False, help_text=_("Deadline on or after."))
    due_until = serializers.DateField(required=False, help_text=_("Deadline on or before."))
    meeting = serializers.IntegerField(required=False, min_value=1)

    def validate(self, data: dict) -> dict:
        if data.get("due_from") and data.get("due_until") and data["due_until"] < data["due_from"]:
            raise serializers.ValidationError(
                {"due_until": [_("The end of the deadline range is before its start.")]}
            )
        return data


class TaskReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("progress", _("Progress")), ("completion", _("Completion"))],
        help_text=_("progress (with percent) or completion (the task is done: 100 %)."),
    )
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    note = serializers.CharField(max_length=MAX_NOTE_LENGTH, required=False, allow_blank=True)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text=_("Evidence files (multipart).")
    )

    def validate(self, data: dict) -> dict:
        if data["kind"] == "progress" and data.get("percent") is None:
            raise serializers.ValidationError({"percent": [_("This field is required.")]})
        return data


class TaskExtensionRequestSerializer(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=MAX_NOTE_LENGTH)


class TaskDecisionSerializer(serializers.Serializer):
    about = serializers.ChoiceField(
        choices=[("extension", _("Extension")), ("completion", _("Completion"))]
    )
    accept = serializers.BooleanField(
        help_text=_("Grant the extension or accept the completion (true), or not (false).")
    )
    reason = serializers.CharField(
        max_length=MAX_NOTE_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("Required to refuse an extension or send a completion back."),
    )
