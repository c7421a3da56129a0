"""Forms of the calendar page: a new subscription feed, invitation preferences.

Who may subscribe to what is meetings.feed_tokens' rule; these only read the
choices, and the domain's FeedTokenError lands on the matching field.
"""

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from conferencing.models import Endpoint, Level, Office
from meetings.calendar.feed_tokens import FeedScope, FeedTokenError
from meetings.calendar.models import CalendarPreference, FeedKind


class FeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Feed"), choices=FeedKind.choices)
    site = forms.CharField(
        label=_("Site code"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"list": "served-sites", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Endpoint.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Every province"),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("Every level")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    without_invitations = forms.BooleanField(
        label=_("Leave out the sessions I get invitations for by e-mail"),
        required=False,
        help_text=_(
            "With invitations by e-mail turned on, each session you are invited to reaches "
            "your calendar app twice: as the invitation and through this link. Tick this so "
            "it arrives once, by the invitation. With invitations turned off this option "
            "does nothing: the link keeps every session."
        ),
    )

    def __init__(self, *args, office: Office | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = provinces(office)
        level = self.fields["level"]
        assert isinstance(level, forms.TypedChoiceField)
        present = Endpoint.objects.levels_present()
        level.choices = [
            (value, label) for value, label in level.choices if value in present or value == ""
        ]

    def scope(self) -> FeedScope:
        data = self.cleaned_data
        province = data.get("province")
        return FeedScope(
            kind=data["kind"],
            site_code=data.get("site") or "",
            province_code=province.code if province else "",
            level=data.get("level"),
            without_invitations=bool(data.get("without_invitations")),
        )

    def add_feed_error(self, error: FeedTokenError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


def provinces(office: Office | None = None) -> QuerySet[Endpoint]:
    """The provinces an organisation feed may filter by: for an office, those of its
    jurisdiction, or the one its jurisdiction lies in (feed_tokens.resolve_scope decides;
    this only offers)."""
    sites = Endpoint.objects.at_level(Level.PROVINCE).active().in_tree_order()
    if office is None:
        return sites
    path = office.jurisdiction.path
    return sites.filter(Q(path__startswith=path) | Q(code__in=path.strip("/").split("/")))


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = CalendarPreference
        fields = ["receive_invitations", "language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("The site's default (Vietnamese)")), *settings.LANGUAGES]
