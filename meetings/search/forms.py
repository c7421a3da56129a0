from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.search.models import EntryKind
from meetings.search.text import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the archive"), max_length=MAX_QUERY_CHARS, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Everything")), *EntryKind.choices],
        required=False,
    )
