"""The forms of the task page and the task list's filters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.conclusions.models import TaskState
from meetings.date_entry import DateEntryField
from meetings.followup.actions import MAX_NOTE_LENGTH


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input (the files are checked by meetings.followup.evidence)."""

    widget = MultipleFiles

    def clean(self, data, initial=None):  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceField, self).clean(item, initial) for item in files]


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea
    )
    files = EvidenceField(label=_("Evidence files"), required=False)


class CompletionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea
    )
    files = EvidenceField(label=_("Evidence files"), required=False)


class ExtensionForm(forms.Form):
    new_deadline = DateEntryField(label=_("New deadline"))
    reason = forms.CharField(label=_("Reason"), max_length=MAX_NOTE_LENGTH, widget=forms.Textarea)


class DecisionForm(forms.Form):
    DECISIONS = (("yes", _("Yes")), ("no", _("No")))
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea
    )

    @property
    def yes(self) -> bool:
        return self.cleaned_data["decision"] == "yes"


class TaskFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *TaskState.choices]
    )
    due_from = DateEntryField(label=_("Deadline from"), required=False)
    due_until = DateEntryField(label=_("Deadline until"), required=False)
    meeting = forms.IntegerField(label=_("Session"), required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("due_from"), cleaned.get("due_until")
        if start and end and end < start:
            raise ValidationError(_("The end of the deadline range is before its start."))
        return cleaned
