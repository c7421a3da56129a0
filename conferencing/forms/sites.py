"""Forms of the site management pages: a site's fields and its technicians. The scope
rules are conferencing.jurisdiction's; a refusal is a field error naming what is outside."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.names import full_name
from accounts.roles import Role
from conferencing import jurisdiction
from conferencing.jurisdiction import OutsideJurisdiction, User
from conferencing.models import Endpoint

EDITABLE_FIELDS = [
    "name",
    "parent",
    "organisation",
    "address",
    "dial_string",
    "contact_phone",
    "contact_email",
]


class SiteForm(forms.ModelForm):
    """Create a site (code and level too) or edit one; the parent is given by its code."""

    parent = forms.CharField(
        label=_("Parent site (code)"),
        max_length=32,
        required=False,
        help_text=_("The code of a site you manage; the new site's level must be below it."),
    )

    class Meta:
        model = Endpoint
        fields = ["code", "level", *EDITABLE_FIELDS]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = self.instance.pk is None
        self.old_parent_id = self.instance.parent_id
        if not self.creating:
            del self.fields["code"]
            del self.fields["level"]
            if self.instance.parent_id:
                self.initial["parent"] = self.instance.parent.code

    def clean_parent(self) -> Endpoint | None:
        code = self.cleaned_data["parent"].strip()
        parent = Endpoint.objects.filter(code=code).first() if code else None
        if code and parent is None:
            raise forms.ValidationError(
                _("No site has the code %(code)s."), code="unknown_site", params={"code": code}
            )
        new_parent_id = parent.pk if parent else None
        if self.creating or new_parent_id != self.old_parent_id:
            try:
                jurisdiction.require_managed_parent(self.user, parent)
            except OutsideJurisdiction as refused:
                raise forms.ValidationError(refused.message, code="outside_jurisdiction") from None
        return parent


def technicians() -> QuerySet:
    """Active users with the Technician role, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.TECHNICIAN.value)
        .select_related("person")
        .order_by("person__full_name", "username")
    )


class TechnicianChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return full_name(obj)


class TechniciansForm(forms.Form):
    technicians = TechnicianChoiceField(
        label=_("Technicians"),
        queryset=technicians(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technicians"].queryset = technicians()
