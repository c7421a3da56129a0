"""Date and time entry in the app's language: dd/mm/yyyy and HH:mm (24 h), typed or picked.

The browser's own `type="date"`/`type="time"` pickers follow the browser's language and
show 12/07/2026 or 2:30 PM to a Vietnamese secretariat on an English Windows; these are
text fields with the app's formats, and static/js/datepicker.js adds a picker in the
page's language (flatpickr, served from static/vendor/). ISO dates are still accepted:
links and bookmarks carry them (?start=2026-12-07).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
# Day first, as typed in Vietnam. (Django's fallback formats would read 04/03/2030 as the
# 3rd of April.)
DATE_INPUT_FORMATS = [DATE_FORMAT, "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
TIME_INPUT_FORMATS = [TIME_FORMAT, "%H:%M:%S", "%H.%M", "%Hh%M"]


class DateEntry(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        base = {
            "data-picker": "date",
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("dd/mm/yyyy"),
            "size": 10,
        }
        super().__init__(attrs=base | (attrs or {}), format=DATE_FORMAT)


class TimeEntry(forms.TimeInput):
    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        base = {
            "data-picker": "time",
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("hh:mm"),
            "size": 5,
        }
        super().__init__(attrs=base | (attrs or {}), format=TIME_FORMAT)


class DateEntryField(forms.DateField):
    widget = DateEntry
    default_error_messages = {
        "invalid": _("Enter a date as dd/mm/yyyy, for example 31/12/2026."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


class TimeEntryField(forms.TimeField):
    widget = TimeEntry
    default_error_messages = {
        "invalid": _("Enter a time as hh:mm on a 24-hour clock, for example 14:30."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", TIME_INPUT_FORMATS)
        super().__init__(**kwargs)
