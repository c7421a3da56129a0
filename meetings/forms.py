"""Forms of the session pages: list filters, booking, rescheduling, re-siting, cancelling.

They turn what the secretariat types (a local date and times, site codes, a
repeat choice) into the requests of meetings.booking and meetings.series; the
rules themselves (past times, unknown sites, the host among the sites, series
limits) stay in the domain, whose BookingError lands on the matching field.
"""

import re
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.names import full_name
from conferencing.forms.directory import level_choices
from conferencing.jurisdiction import acts_for_an_office, jurisdiction_path, usable_bridges
from conferencing.models import (
    DEFAULT_SETUP_MINUTES,
    LEVEL_SLUGS,
    MAX_SETUP_MINUTES,
    Bridge,
    Endpoint,
    Level,
    Office,
)
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingError, BookingRequest, Details, Slot
from meetings.date_entry import DateEntryField, TimeEntryField
from meetings.models import AttendeeRole, Classification, OffDayPolicy
from meetings.series import SCOPE_FOLLOWING, SCOPE_THIS
from meetings.visibility import SiteFilters, filter_by_sites, searched

CODE_SEPARATORS = re.compile(r"[\s,;]+")
# Far beyond any real session, well inside what date arithmetic (a week, a series) can reach.
DATE_BOUNDS = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


def split_codes(text: str) -> tuple[str, ...]:
    """Site codes typed with commas, semicolons, spaces or new lines; each once, in order."""
    return tuple(dict.fromkeys(code for code in CODE_SEPARATORS.split(text) if code))


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in the user's zone (Asia/Ho_Chi_Minh unless they chose another)."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def province_rows(within: str = "") -> list[tuple[str, str, str]]:
    """Code, name and path of every active province (under the path `within`, if
    given), in tree order; one query."""
    provinces = Endpoint.objects.at_level(Level.PROVINCE).active()
    if within:
        provinces = provinces.filter(path__startswith=within)
    return list(provinces.in_tree_order().values_list("code", "name", "path"))


class BookingErrorMixin:
    """Put a domain BookingError on the form field the user can correct."""

    # Domain field name → form field name; a name this form lacks becomes a form error.
    DOMAIN_FIELDS = {
        "start": "start_time",
        "end": "end_time",
        "setup_minutes": "setup_minutes",
        "title": "title",
        "sites": "sites",
        "host": "host",
        "bridge": "bridge",
        "rrule": "repeat",
        "reason": "reason",
        "off_days": "off_days",
    }

    def add_booking_error(self, error: BookingError) -> None:
        name = self.DOMAIN_FIELDS.get(error.field)
        self.add_error(name if name in self.fields else None, error.message)  # type: ignore[attr-defined]


class DryRunMixin:
    """A form the live conflict check posts while it is being filled in."""

    # What the dry run needs: without these there is nothing to check.
    CHECK_FIELDS: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """Labels of the fields the dry run still needs, in form order."""
        errors = self.errors.as_data()  # type: ignore[attr-defined]
        return [
            str(self.fields[name].label)  # type: ignore[attr-defined]
            for name in self.CHECK_FIELDS
            if any(error.code == "required" for error in errors.get(name, []))
        ]


# --- lists -------------------------------------------------------------------------------------


class MeetingFilterForm(forms.Form):
    """The filters of the agenda and the week, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or unit")}),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *((level.slug, level.label) for level in Level)],
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    mine = forms.BooleanField(label=_("Only my sessions"), required=False)
    # Offered to the secretariat of an office only (see __init__).
    office_scope = forms.ChoiceField(
        label=_("Office"),
        required=False,
        choices=[
            ("", _("Every session I see")),
            ("office", _("Sessions of my office")),
            ("jurisdiction", _("Sessions touching my jurisdiction")),
        ],
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not acts_for_an_office(user):
            del self.fields["office_scope"]
        self.province_paths: dict[str, str] = {}
        choices: list[tuple[str, Any]] = [("", _("All provinces"))]
        for code, name, path in province_rows():
            self.province_paths[code] = path
            choices.append((code, name))
        cast(forms.ChoiceField, self.fields["province"]).choices = choices
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(
            _("All levels"), Endpoint.objects.levels_present()
        )

    def filter(self, meetings: QuerySet) -> QuerySet:
        """The meetings matching the cleaned filters; call after is_valid(). The API's own
        filters (visibility.filter_by_sites): no filter tells where a confidential session is."""
        data = self.cleaned_data
        filters = SiteFilters(
            level=LEVEL_SLUGS[data["level"]] if data["level"] else None,
            subtree=self.province_paths[data["province"]] if data["province"] else None,
            mine=data["mine"],
            office_scope=data.get("office_scope", ""),
        )
        return searched(self.user, filter_by_sites(meetings, self.user, filters), data["q"])


class WeekFilterForm(MeetingFilterForm):
    start = DateEntryField(label=_("Week of"), required=False, validators=DATE_BOUNDS)

    def monday(self) -> date:
        """The Monday of the chosen week, this week by default; call after is_valid()."""
        self.is_valid()
        return monday_of(self.cleaned_data.get("start") or timezone.localdate())


# --- the parts of a booking ----------------------------------------------------------------------


class SlotForm(BookingErrorMixin, forms.Form):
    """A day and two wall-clock times; the form makes them aware datetimes."""

    date = DateEntryField(label=_("Date"), validators=DATE_BOUNDS)
    start_time = TimeEntryField(label=_("Starts at"))
    end_time = TimeEntryField(label=_("Ends at"))
    setup_minutes = forms.IntegerField(
        label=_("Setup window (minutes)"),
        initial=DEFAULT_SETUP_MINUTES,
        min_value=0,
        max_value=MAX_SETUP_MINUTES,
        help_text=_("Time before the start reserved for the technical checks at every site."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["start"] = local_datetime(day, start)
            data["end"] = local_datetime(day, end)
            if data["end"] <= data["start"]:
                self.add_error("end_time", _("The session must end after it starts."))
        return data

    def slot(self) -> Slot:
        data = self.cleaned_data
        return Slot(data["start"], data["end"], data["setup_minutes"])

    @staticmethod
    def initial_for(start: datetime, end: datetime, setup_minutes: int) -> dict:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        return {
            "date": local_start.date(),
            "start_time": local_start.time(),
            "end_time": local_end.time(),
            "setup_minutes": setup_minutes,
        }


class CodeChoiceField(forms.MultipleChoiceField):
    """Ticked site codes: the choices are what the picker offers, but any code passes to
    booking, which names an unknown one or one outside the jurisdiction."""

    def valid_value(self, value: str) -> bool:
        return True


class BridgeChoiceField(forms.ModelChoiceField):
    """The bridges the acting office may use are offered; any existing bridge passes to
    booking, which refuses one out of service or not shared, saying so."""

    def to_python(self, value: Any) -> Bridge | None:
        if value in self.empty_values:
            return None
        try:
            return Bridge.objects.get(pk=value)
        except (ValueError, TypeError, ValidationError, Bridge.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class SiteSelectionForm(BookingErrorMixin, forms.Form):
    """Sites named by level, by province with all its sites, one by one, minus exclusions."""

    levels = forms.TypedMultipleChoiceField(
        label=_("Whole levels"),
        required=False,
        coerce=int,
        choices=[
            (Level.CENTRAL.value, _("All central sites")),
            (Level.PROVINCE.value, _("All provinces")),
            (Level.DISTRICT.value, _("All districts")),
            (Level.COMMUNE.value, _("All communes")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    subtrees = CodeChoiceField(
        label=_("Provinces with all their sites"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sites = forms.CharField(
        label=_("Individual sites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("Site codes, separated by commas."),
    )
    exclude_subtrees = forms.CharField(
        label=_("Leave out these sites with all their sub-sites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1, "spellcheck": "false"}),
        help_text=_("Site codes, separated by commas."),
    )
    exclude_sites = forms.CharField(
        label=_("Leave out these sites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1, "spellcheck": "false"}),
        help_text=_("Site codes, separated by commas."),
    )
    host = forms.CharField(
        label=_("Host site"),
        max_length=32,
        # A plain text field of the code; booking.js makes it a combobox that finds the
        # site by its name (meetings:site_search) and still posts the code.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-site-combobox": "host"}
        ),
        help_text=_(
            "The code of the presiding site, or type its name and pick it; it must be one "
            "of the chosen sites."
        ),
    )

    def __init__(self, *args, office: Office | None = None, **kwargs) -> None:
        """With `office`, the picker offers only what lies in its jurisdiction: the levels
        from the jurisdiction's down, the provinces inside it. What is typed or forged
        beyond that is for booking to refuse, naming it (BookingError on its field)."""
        super().__init__(*args, **kwargs)
        self.office = office
        within = jurisdiction_path(office) if office else ""
        subtrees = cast(CodeChoiceField, self.fields["subtrees"])
        subtrees.choices = [(code, name) for code, name, _path in province_rows(within)]
        levels = cast(forms.TypedMultipleChoiceField, self.fields["levels"])
        top = office.jurisdiction.level if office is not None else Level.CENTRAL
        present = Endpoint.objects.levels_present()
        levels.choices = [
            (value, label) for value, label in levels.choices if value >= top and value in present
        ]

    def selection(self) -> SiteSelection:
        data = self.cleaned_data
        return SiteSelection(
            levels=tuple(data["levels"]),
            subtrees=tuple(data["subtrees"]),
            sites=split_codes(data["sites"]),
            exclude_sites=split_codes(data["exclude_sites"]),
            exclude_subtrees=split_codes(data["exclude_subtrees"]),
        )

    def host_code(self) -> str:
        return self.cleaned_data["host"].strip()


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        name = full_name(user)
        return name if name == user.get_username() else f"{name} ({user.get_username()})"


REPEAT_CHOICES = [
    ("", _("Does not repeat")),
    ("DAILY", _("Every day")),
    ("WEEKLY", _("Every week")),
    ("MONTHLY", _("Every month")),
]


class BookingForm(DryRunMixin, SlotForm, SiteSelectionForm):
    """Everything `book` and `book_series` need. With `for_check`, only what the dry run needs."""

    title = forms.CharField(label=_("Title"), max_length=300)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organising_unit = forms.CharField(label=_("Organising unit"), max_length=200, required=False)
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        initial=Classification.INTERNAL,
        help_text=_("A confidential session shows only as busy time to anyone not invited."),
    )
    bridge = BridgeChoiceField(label=_("Bridge (MCU)"), queryset=Bridge.objects.none())
    attendees = UserChoiceField(
        label=_("Attendees"),
        required=False,
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .select_related("person")
        .order_by("person__full_name", "username"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    repeat = forms.ChoiceField(label=_("Repeat"), required=False, choices=REPEAT_CHOICES)
    count = forms.IntegerField(label=_("Number of sessions"), required=False, min_value=1)
    until = DateEntryField(label=_("Until (last date)"), required=False, validators=DATE_BOUNDS)
    skip_conflicts = forms.BooleanField(
        label=_("Book the free occurrences, skip the conflicting ones"), required=False
    )
    off_days = forms.ChoiceField(
        label=_("Occurrences on a day off (weekend, holiday)"),
        choices=OffDayPolicy.choices,
        initial=OffDayPolicy.KEEP,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The check on the right lists the occurrences this changes."),
    )

    CHECK_FIELDS = ("date", "start_time", "end_time", "setup_minutes", "bridge", "host")

    def __init__(self, *args, for_check: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.for_check = for_check
        if for_check:
            self.fields["title"].required = False
            self.fields["classification"].required = False
        offered = usable_bridges(self.office).filter(is_active=True).order_by("name")
        cast(BridgeChoiceField, self.fields["bridge"]).queryset = offered
        if not self.is_bound:
            # With one bridge in service there is nothing to choose.
            bridges = list(offered.values_list("pk", flat=True)[:2])
            if len(bridges) == 1:
                self.initial.setdefault("bridge", bridges[0])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("repeat") and not {"count", "until"} & self.errors.keys():
            count, until = data.get("count"), data.get("until")
            if count is None and until is None:
                self.add_error("count", _("Give the number of sessions or the last date."))
            elif count is not None and until is not None:
                self.add_error("until", _("Give either the number of sessions or the last date."))
        return data

    def rule(self) -> str | None:
        """The RRULE the repeat fields describe, in local wall time; None for one session."""
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        if data.get("count") is not None:
            return f"FREQ={data['repeat']};COUNT={data['count']}"
        # UNTIL in local wall time, inclusive of the whole last day (series.parse_rule).
        return f"FREQ={data['repeat']};UNTIL={data['until']:%Y%m%d}T235959"

    def off_day_policy(self) -> str:
        """Keep, skip or move the occurrences on a day off; keep when not said."""
        return self.cleaned_data.get("off_days") or OffDayPolicy.KEEP

    def add_booking_error(self, error: BookingError) -> None:
        if error.field == "rrule":
            name = "until" if self.cleaned_data.get("until") else "count"
            self.add_error(name, error.message)
        else:
            super().add_booking_error(error)

    def booking_request(self) -> BookingRequest:
        data = self.cleaned_data
        return BookingRequest(
            details=Details(
                title=data.get("title", ""),
                agenda=data.get("agenda", ""),
                organising_unit=data.get("organising_unit", ""),
                classification=data.get("classification") or Classification.INTERNAL,
                attendees=tuple(
                    (user.pk, AttendeeRole.MEMBER) for user in data.get("attendees", [])
                ),
            ),
            slot=self.slot(),
            bridge_id=data["bridge"].pk,
            sites=self.selection(),
            host_code=self.host_code(),
        )


# --- changes to a booked session ---------------------------------------------------------------


def scope_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[
            (SCOPE_THIS, _("This session only")),
            (SCOPE_FOLLOWING, _("This session and the following ones of the series")),
        ],
        initial=SCOPE_THIS,
        widget=forms.RadioSelect,
    )


class RescheduleForm(DryRunMixin, SlotForm):
    CHECK_FIELDS = ("date", "start_time", "end_time", "setup_minutes")

    def __init__(self, *args, in_series: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if in_series:
            self.fields["scope"] = scope_field(_("Move"))

    def following(self) -> bool:
        return self.cleaned_data.get("scope") == SCOPE_FOLLOWING


class ChangeSitesForm(DryRunMixin, SiteSelectionForm):
    """The session's selection, in the booking form's picker."""

    CHECK_FIELDS = ("host",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A kept selection may name a subtree the picker does not offer (a district,
        # booked through the API): it is offered too, so that saving keeps it.
        subtrees = cast(CodeChoiceField, self.fields["subtrees"])
        offered = {code for code, _name in subtrees.choices}
        unlisted = [code for code in self["subtrees"].value() or [] if code not in offered]
        if unlisted:
            names = dict(Endpoint.objects.filter(code__in=unlisted).values_list("code", "name"))
            subtrees.choices = [
                *subtrees.choices,
                *((code, names[code]) for code in unlisted if code in names),
            ]

    @staticmethod
    def initial_for(selection: SiteSelection, host_code: str) -> dict:
        return {
            "levels": list(selection.levels),
            "subtrees": list(selection.subtrees),
            "sites": ", ".join(selection.sites),
            "exclude_sites": ", ".join(selection.exclude_sites),
            "exclude_subtrees": ", ".join(selection.exclude_subtrees),
            "host": host_code,
        }


class SiteCountForm(SiteSelectionForm):
    """What the pickers' live count posts: the selection; the host changes no count."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["host"]


class CancelForm(BookingErrorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the attendees and kept in the audit trail."),
        error_messages={"required": _("Give a reason for cancelling.")},
    )

    def __init__(self, *args, in_series: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if in_series:
            self.fields["scope"] = scope_field(_("Cancel"))

    def following(self) -> bool:
        return self.cleaned_data.get("scope") == SCOPE_FOLLOWING
