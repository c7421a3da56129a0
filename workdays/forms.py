from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from workdays.csv_import import too_large
from workdays.models import AnnouncedDay, AnnouncedKind

# Day first, as typed in Vietnam; ISO too, which links carry.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Enter a date as dd/mm/yyyy, for example 31/12/2026.")}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def day_field(**kwargs: object) -> forms.DateField:
    return forms.DateField(
        input_formats=DATE_INPUT_FORMATS,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "data-picker": "date",
                "inputmode": "numeric",
                "autocomplete": "off",
                "placeholder": _("dd/mm/yyyy"),
                "size": 10,
            },
        ),
        **kwargs,
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class AnnounceForm(forms.Form):
    day = day_field(label=_("Day"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncedKind.choices)
    name = forms.CharField(
        label=_("Reason"),
        max_length=AnnouncedDay._meta.get_field("name").max_length,
        help_text=_("For example: Nghỉ bù Tết Nguyên Đán, or Làm bù cho ngày 04/02/2027."),
    )
    decision = forms.CharField(
        label=_("Decision reference"),
        max_length=AnnouncedDay._meta.get_field("decision").max_length,
        required=False,
        help_text=_("The document that announced it, for example Công văn 1234/TB-VPCP."),
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a day between %(first)d and %(last)d."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return day


class WithdrawForm(forms.Form):
    day = day_field()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Here, not on the field, so the size is formatted in the request's language.
        self.fields["file"].help_text = _(
            "UTF-8, one announced day a row: ngày (dd/mm/yyyy), loại (nghỉ or làm bù), "
            "lý do, văn bản; at most %(size)s. Nothing is imported unless every row is right."
        ) % {"size": filesizeformat(settings.WORKING_DAYS_IMPORT_MAX_BYTES)}

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        problem = too_large(upload.size)
        if problem:
            raise forms.ValidationError(problem, code="too_large")
        return upload
