"""The upload form of the people import page."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Skip invalid rows"),
        required=False,
        help_text=gettext_lazy(
            "Import the valid rows and list the others. Without it, one invalid row "
            "stops the whole import and nothing is changed."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Here, not on the field, so the size is formatted in the request's language.
        self.fields["file"].help_text = _(
            "CSV (UTF-8) or Excel (.xlsx), at most %(size)s and %(rows)d rows."
        ) % {
            "size": filesizeformat(settings.PEOPLE_IMPORT_MAX_BYTES),
            "rows": settings.PEOPLE_IMPORT_MAX_ROWS,
        }

    def clean_file(self) -> UploadedFile:
        return check_upload_size(self.cleaned_data["file"])


def check_upload_size(upload: UploadedFile) -> UploadedFile:
    """The upload, or a ValidationError when it is over PEOPLE_IMPORT_MAX_BYTES (the page's
    and the API's check, before the file is read into memory)."""
    limit = settings.PEOPLE_IMPORT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)},
        )
    return upload
