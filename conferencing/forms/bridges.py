"""The form of the bridge pages: a bridge of the acting office (the superuser chooses the
owner), shared only with the offices below its owner."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conferencing import jurisdiction
from conferencing.jurisdiction import OutsideJurisdiction, User
from conferencing.models import Bridge, Office


class OfficeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class BridgeForm(forms.ModelForm):
    """`shared_with` accepts any existing office id so that one not below the owner is
    refused by name (jurisdiction.require_shareable); it offers only those below."""

    shared_with = OfficeChoiceField(
        label=_("Shared with"),
        queryset=Office.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Offices below the owner that may book sessions on this bridge too."),
    )

    class Meta:
        model = Bridge
        fields = ["owner", "name", "dial_in", "port_capacity", "is_active", "shared_with"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        owners = jurisdiction.bridge_owners(user)
        if user.is_superuser:
            self.fields["owner"].queryset = owners
        else:
            # An office's secretariat makes bridges for the acting office only.
            del self.fields["owner"]
            if self.instance.owner_id is None:
                self.instance.owner = owners.get()
        owner = self.instance.owner if self.instance.owner_id else None
        offered = jurisdiction.offices_below(owner) if owner else Office.objects.active()
        self.fields["shared_with"].widget.choices = [(office.pk, str(office)) for office in offered]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        owner = cleaned.get("owner", self.instance.owner if self.instance.owner_id else None)
        shared = cleaned.get("shared_with")
        if owner is not None and shared is not None:
            try:
                jurisdiction.require_shareable(owner, shared)
            except OutsideJurisdiction as refused:
                self.add_error("shared_with", refused.message)
        return cleaned


class UseDayForm(forms.Form):
    """The day of a bridge's port use: dd/mm/yyyy as typed in Vietnam (ISO from links),
    today when none is given."""

    day = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"inputmode": "numeric", "placeholder": _("dd/mm/yyyy"), "size": 10},
        ),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, for example 31/12/2026.")},
        validators=[MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(2999, 12, 31))],
    )

    def chosen_day(self) -> date:
        if self.is_valid() and self.cleaned_data["day"]:
            return self.cleaned_data["day"]
        return timezone.localdate()
