"""The notice editor: the summary and a formset of items (ordered, removable, each
optionally a task for some of the session's offices with a deadline)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from conferencing.models import Office
from meetings.conclusions.drafting import MAX_SUMMARY, MAX_TEXT, MAX_WORKING_DAYS, ItemDraft
from meetings.conclusions.models import ConclusionItem


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An opening paragraph before the numbered conclusions (optional)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ItemForm(forms.Form):
    text = forms.CharField(
        label=_("Conclusion"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_task = forms.BooleanField(label=_("This is a task"), required=False)
    # Plain choices read once for the whole formset: a ModelMultipleChoiceField would
    # query its offices again for each row.
    offices = forms.TypedMultipleChoiceField(
        label=_("Assigned to"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_on = forms.DateField(
        label=_("Deadline (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_working_days = forms.IntegerField(
        label=_("or working days after publishing"),
        required=False,
        min_value=1,
        max_value=MAX_WORKING_DAYS,
    )

    def __init__(self, *args, offices: list[tuple[int, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offices"].choices = offices or []

    def draft(self) -> ItemDraft:
        data = self.cleaned_data
        return ItemDraft(
            text=data.get("text") or "",
            is_task=bool(data.get("is_task")),
            office_ids=list(data.get("offices") or []),
            deadline_on=data.get("deadline_on"),
            deadline_working_days=data.get("deadline_working_days"),
        )


def office_choices(offices: QuerySet[Office]) -> list[tuple[int, str]]:
    return [(office.pk, office.name) for office in offices]


ItemFormSet = forms.formset_factory(
    ItemForm, extra=2, can_order=True, can_delete=True, max_num=100, absolute_max=100
)


def initial_items(items: list[ConclusionItem]) -> list[dict]:
    return [
        {
            "text": item.text,
            "is_task": item.is_task,
            "offices": [office.pk for office in item.offices.all()],
            "deadline_on": item.deadline_on,
            "deadline_working_days": item.deadline_working_days,
            "ORDER": item.position,
        }
        for item in items
    ]


def drafts_of(formset: forms.BaseFormSet) -> list[ItemDraft]:
    """The items kept, in the order asked: Django's ordered_forms leaves out removed rows
    and blank extra rows, and puts rows without a number last."""
    return [form.draft() for form in formset.ordered_forms]
