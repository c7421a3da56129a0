from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.official.content import nfc
from meetings.official.models import DocumentTemplate
from meetings.official.wording import EDITABLE_FIELDS

MAX_RECIPIENTS = 30


class DocumentTemplateForm(forms.ModelForm):
    """An office's wording of one kind of document; text is kept in NFC."""

    class Meta:
        model = DocumentTemplate
        fields = EDITABLE_FIELDS
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "opening": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 2}),
            "signer_position": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict:
        data = super().clean() or {}
        for name in EDITABLE_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = nfc(data[name].strip())
        return data

    def clean_recipients(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("List at least one recipient."))
        if len(lines) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("List at most %(count)d recipients.") % {"count": MAX_RECIPIENTS}
            )
        return "\n".join(lines)
