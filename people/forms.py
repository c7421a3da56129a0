"""Forms of the token and service-account pages: they parse; people.api_tokens and
people.service_accounts decide."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLE_LABELS
from conferencing import jurisdiction
from people.models import TokenScope

# How long a new token lives, in days ("" = until revoked); at most people.api_tokens'
# MAX_LIFETIME.
LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("1 year")),
    ("", _("Until revoked")),
]


class TokenForm(forms.Form):
    """A new token of `owner`: its name, scope, lifetime and the office it acts for
    (one of the owner's; the domain refuses any other id)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices)
    lifetime = forms.ChoiceField(label=_("Valid for"), choices=LIFETIMES, required=False)
    office = forms.ChoiceField(label=_("Acts for the office"), required=False)

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ChoiceField)
        office.choices = [("", _("No office"))] + [
            (str(o.pk), str(o)) for o in jurisdiction.offices_of(owner)
        ]
        # A forged id answers as the domain does: the owner is not a member of it.
        office.error_messages["invalid_choice"] = jurisdiction.NotAMember().message
        acting = jurisdiction.acting_office(owner)
        if acting is not None:
            office.initial = str(acting.pk)
        self.fields["lifetime"].initial = "90"

    def token_fields(self) -> dict:
        data = self.cleaned_data
        days = data.get("lifetime")
        return {
            "name": data["name"],
            "scope": data["scope"],
            "expires_at": timezone.now() + timedelta(days=int(days)) if days else None,
            "office_id": data.get("office") or None,
        }


class ServiceAccountForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    office = forms.ChoiceField(label=_("Office"))

    def __init__(self, *args, offices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ChoiceField)
        office.choices = [(str(o.pk), str(o)) for o in offices]
