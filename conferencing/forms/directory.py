from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from conferencing.models import LEVEL_SLUGS, Endpoint, EndpointQuerySet, Level

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def level_choices(everything: str, present: set[int]) -> list[tuple[str, str]]:
    """A filter's level choices by slug, the levels the tree does not use left out."""
    return [("", everything), *((level.slug, level.label) for level in Level if level in present)]


class EndpointFilterForm(forms.Form):
    """The search and filters of the site directory, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Code, name or organisation")}
        ),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *((level.slug, level.label) for level in Level)],
    )
    within = forms.CharField(label=_("Within site (code)"), required=False, max_length=32)
    active = forms.BooleanField(label=_("Active sites only"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ancestor: Endpoint | None = None
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = level_choices(_("All levels"), Endpoint.objects.levels_present())

    def clean_within(self) -> str:
        code = self.cleaned_data["within"].strip()
        if code:
            self.ancestor = (
                Endpoint.objects.only("pk", "code", "name", "path").filter(code=code).first()
            )
            if self.ancestor is None:
                raise forms.ValidationError(
                    _("No site has the code %(code)s."), code="unknown_site", params={"code": code}
                )
        return code

    def filter(self, endpoints: EndpointQuerySet) -> EndpointQuerySet:
        """The sites matching the cleaned filters, in tree order; call after is_valid()."""
        data = self.cleaned_data
        if self.ancestor is not None:
            endpoints = endpoints.within(self.ancestor)
        if data["level"]:
            endpoints = endpoints.at_level(LEVEL_SLUGS[data["level"]])
        if data["active"]:
            endpoints = endpoints.active()
        return endpoints.search(data["q"]).in_tree_order()


class EndpointImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"),
        required=False,
        help_text=_(
            "Import the valid rows and list the others. Without it, one invalid row "
            "stops the whole import and nothing is changed."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Here, not on the field, so the size is formatted in the request's language.
        self.fields["file"].help_text = _("UTF-8 text, comma separated, at most %(size)s.") % {
            "size": filesizeformat(MAX_IMPORT_BYTES)
        }

    def clean_file(self) -> UploadedFile:
        return check_import_size(self.cleaned_data["file"])


def check_import_size(upload: UploadedFile) -> UploadedFile:
    """The upload, or a ValidationError when it is over MAX_IMPORT_BYTES: the page's and
    the API's check, before the file is read into memory."""
    if upload.size is None or upload.size > MAX_IMPORT_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size or 0),
                "limit": filesizeformat(MAX_IMPORT_BYTES),
            },
        )
    return upload
