"""Forms of the records section: upload a document, return minutes, hold a record.

The rules (allowed types, size, reasons, the workflow) stay in meetings.records
and meetings.record_documents; these forms only read what the secretariat sent.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from meetings.records.models import Record, RecordKind

DOCUMENT_KIND_CHOICES = [
    (RecordKind.AGENDA.value, RecordKind.AGENDA.label),
    (RecordKind.MINUTES.value, RecordKind.MINUTES.label),
    (RecordKind.OTHER.value, RecordKind.OTHER.label),
]
ACCEPTED_FILES = ".pdf,.docx,.odt,.xlsx,.png,.jpg,.jpeg"


class RecordChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Record) -> str:
        return f"{obj.get_kind_display()}: {obj.title}"


class DocumentUploadForm(forms.Form):
    record = RecordChoiceField(
        label=_("New version of"),
        queryset=Record.objects.none(),
        required=False,
        empty_label=_("— a new record —"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DOCUMENT_KIND_CHOICES, required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # refused by record_documents, with its stable code
        widget=forms.ClearableFileInput(
            attrs={"accept": ACCEPTED_FILES, "data-upload-role": "file"}
        ),
        help_text=_("PDF, DOCX, ODT, XLSX, PNG or JPEG."),
    )
    reason = forms.CharField(
        label=_("Reason for the new version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to correct published minutes."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["record"])
        field.queryset = meeting.records.exclude(kind=RecordKind.RECORDING)

    def offer(self, records: list[Record]) -> None:
        """Offer these records (already read) as "new version of" choices: no query."""
        field = cast(forms.ModelChoiceField, self.fields["record"])
        field.choices = [("", field.empty_label or "")] + [
            (record.pk, field.label_from_instance(record))
            for record in records
            if record.kind != RecordKind.RECORDING
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        record = data.get("record")
        if record is not None:
            data["kind"] = record.kind
        elif not data.get("kind"):
            self.add_error("kind", _("Choose the kind of document."))
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class LegalHoldForm(forms.Form):
    hold = forms.BooleanField(required=False)
