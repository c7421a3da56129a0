"""The form of the office pages (the superuser's and the central office's)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.names import full_name
from accounts.roles import Role
from conferencing.models import Endpoint, Office


def secretariat_users() -> QuerySet:
    """Active users with the Secretariat role, by name: who may be an office's staff."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SECRETARIAT.value)
        .select_related("person")
        .order_by("person__full_name", "username")
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = full_name(obj)
        return name if name == obj.get_username() else f"{name} ({obj.get_username()})"


class OfficeForm(forms.ModelForm):
    """An office's code, name, jurisdiction (a site given by its code), state, whether it
    has a single secretary (four eyes: meetings.records.four_eyes) and staff."""

    jurisdiction = forms.CharField(
        label=_("Jurisdiction (site code)"),
        max_length=32,
        help_text=_("The site whose subtree the office books and manages."),
    )
    members = PersonChoiceField(
        label=_("Secretariat staff"),
        queryset=secretariat_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Office
        fields = ["code", "name", "jurisdiction", "is_active", "single_secretary", "members"]
        help_texts = {
            "single_secretary": _(
                "Tick only if the office has one secretary. Then the person who submits "
                "minutes for approval may approve them too, and each such approval is "
                "recorded in the audit trail; otherwise another member must approve."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = secretariat_users()
        if self.instance.pk:
            self.initial["jurisdiction"] = self.instance.jurisdiction.code

    def clean_jurisdiction(self) -> Endpoint:
        code = self.cleaned_data["jurisdiction"].strip()
        site = Endpoint.objects.filter(code=code).first()
        if site is None:
            raise forms.ValidationError(
                _("No site has the code %(code)s."), code="unknown_site", params={"code": code}
            )
        return site
