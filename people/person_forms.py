"""Forms of the people pages (the list, a person, an invitation, bulk sites). The scope
is people.scope's: the choices offered are what the user manages, and the domain
functions check again what is sent."""

import re

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.names import full_name
from accounts.roles import ROLE_LABELS, Role
from conferencing.models import Endpoint, Level, Office
from people import phones, scope
from people.changes import Reach
from people.scope import User

CODE_SEPARATORS = re.compile(r"[\s,;]+")
# The sites field names at most this many unknown codes in its error.
NAMED_UNKNOWN = 5
ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


def split_codes(text: str) -> list[str]:
    """Codes typed with commas, semicolons, spaces or new lines; each once, in order."""
    return list(dict.fromkeys(code for code in CODE_SEPARATORS.split(text or "") if code))


class OfficeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Office) -> str:
        return f"{obj.name} ({obj.code})"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        name = full_name(obj)
        return name if name == obj.get_username() else f"{name} ({obj.get_username()})"


class SiteCodesField(forms.CharField):
    """Site codes, typed; cleaned into the sites (each must exist)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: str) -> list[Endpoint]:
        codes = split_codes(super().clean(value))
        found = {site.code: site for site in Endpoint.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("No site has these codes: %(codes)s."),
                code="unknown_site",
                params={"codes": ", ".join(unknown[:NAMED_UNKNOWN])},
            )
        return [found[code] for code in codes]


def office_choices(user: User) -> QuerySet[Office]:
    return scope.people_offices(user).active().select_related("jurisdiction").order_by("code")


class PeopleFilterForm(forms.Form):
    """The search and filters of the people list, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, username or e-mail")}
        ),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("All offices"),
    )
    site = forms.CharField(label=_("Serving within site (code)"), required=False, max_length=32)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *ROLE_CHOICES]
        self.fields["office"].queryset = office_choices(user)
        self.fields["office"].label_from_instance = lambda office: f"{office.name} ({office.code})"
        self.site: Endpoint | None = None

    def clean_site(self) -> str:
        code = self.cleaned_data["site"].strip()
        if code:
            self.site = (
                Endpoint.objects.only("pk", "code", "name", "path").filter(code=code).first()
            )
            if self.site is None:
                raise forms.ValidationError(
                    _("No site has the code %(code)s."), code="unknown_site", params={"code": code}
                )
        return code


class PersonForm(forms.Form):
    """A person's roles, and within the user's scope their offices and sites."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    offices = OfficeChoiceField(
        label=_("Offices"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sites = SiteCodesField(
        label=_("Sites served (codes)"),
        required=False,
        help_text=_(
            "Codes of the sites this person serves as a technician, separated by spaces or commas."
        ),
    )

    def __init__(
        self, *args, user: User, person: AbstractBaseUser, directory: bool, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        offices = office_choices(user)
        self.fields["offices"].queryset = offices
        # Always: a disabled field (a directory person's) takes its value from here.
        self.initial = {
            "roles": sorted(
                person.groups.filter(name__in=[r.value for r in Role]).values_list(
                    "name", flat=True
                )
            ),
            "offices": list(person.offices.filter(pk__in=offices.values("pk"))),
            "sites": " ".join(
                person.served_endpoints.filter(pk__in=scope.people_sites(user).values("pk"))
                .order_by("path")
                .values_list("code", flat=True)
            ),
        }
        if directory:
            # The directory sets these at every sign-in: shown, not sent.
            for name in ("roles", "offices"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Set by the directory at every sign-in.")

    @property
    def chosen_roles(self) -> set[Role]:
        return {Role(value) for value in self.cleaned_data["roles"]}


class InviteForm(forms.Form):
    """A new person, invited by e-mail to set their password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        required=False,
        help_text=_("Leave it empty to have one made from the name (Nguyễn Thị Lan: lannt)."),
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    offices = OfficeChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sites = SiteCodesField(
        label=_("Sites served (codes)"),
        required=False,
        help_text=_("For a technician: the codes of the sites they serve."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = office_choices(user)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        number = phones.national_number(value)
        if number is None:
            raise forms.ValidationError(phones.refusal(value), code="phone_invalid")
        return number


class AssignSitesForm(forms.Form):
    """Give technicians (or take from them) every site of a part of the tree at once."""

    site = forms.CharField(label=_("Site (code)"), max_length=32)
    reach = forms.ChoiceField(
        label=_("Which sites"),
        choices=Reach.choices,
        initial=Reach.CHILDREN,
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(label=_("Only sites of level"), required=False)
    technicians = PersonChoiceField(
        label=_("Technicians"),
        queryset=Office.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    remove = forms.BooleanField(
        label=_("Take these sites from them instead"),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["level"].choices = [
            ("", _("Any level")),
            *((str(level.value), level.label) for level in Level),
        ]
        self.fields["technicians"].queryset = (
            scope.assignable_technicians(user)
            .select_related("person")
            .order_by("person__full_name", "username")
        )

    def clean_site(self) -> Endpoint:
        code = self.cleaned_data["site"].strip()
        site = scope.people_sites(self.user).filter(code=code).first()
        if site is None:
            # A site outside the user's scope is named as one that does not exist.
            raise forms.ValidationError(
                _("No site you manage has the code %(code)s."),
                code="unknown_site",
                params={"code": code},
            )
        return site
