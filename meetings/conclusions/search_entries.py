"""A published conclusion notice joins the archive's search (meetings.search.indexing):
one entry for the notice (its number, the session's title, its summary and numbered
items with the offices each task goes to) and one per task (the item's text, the office
it is assigned to, its deadline). Both are found by whoever reads the session's details,
the readers of the published notice, whose items the tasks repeat; a task's progress is
not indexed, since only its two offices may read it. Before publishing nothing is
indexed: a draft is the owning office's alone."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from meetings.conclusions.models import ConclusionItem, ConclusionNotice, Task
from meetings.search.indexing import index_entry
from meetings.search.models import EntryKind


def on_notice_published(sender: object, notice_id: int, **kwargs: object) -> None:
    index_published(notice_id)


def index_published(notice_id: int) -> None:
    notice = ConclusionNotice.objects.select_related("meeting").get(pk=notice_id)
    items = list(
        ConclusionItem.objects.filter(notice=notice)
        .order_by("position")
        .prefetch_related("offices")
    )
    tasks = Task.objects.filter(item__notice=notice).select_related("item", "office")
    with translation.override(settings.LANGUAGE_CODE):
        index_entry(
            EntryKind.CONCLUSION,
            str(notice.pk),
            notice.meeting_id,
            _("Conclusion notice %(number)s: %(title)s")
            % {"number": notice.number_symbol, "title": notice.meeting.title},
            "\n".join([notice.summary, *(item_line(item) for item in items)]),
        )
        for task in tasks:
            index_entry(
                EntryKind.TASK,
                str(task.pk),
                notice.meeting_id,
                task.item.text,
                _("%(office)s, due %(deadline)s")
                % {"office": task.office.name, "deadline": task.deadline_on.strftime("%d/%m/%Y")},
            )


def item_line(item: ConclusionItem) -> str:
    offices = ", ".join(office.name for office in item.offices.all())
    return f"{item.position}. {item.text}" + (f" ({offices})" if offices else "")
