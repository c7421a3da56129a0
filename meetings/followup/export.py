"""The follow-up report as files: CSV (UTF-8 with a byte-order mark, so Excel reads the
Vietnamese right) and XLSX (a sheet of tasks, a sheet of counts per office), Vietnamese
headers (the active language's), dates dd/mm/yyyy. Cells go through
conferencing.spreadsheet's formula guard: a task's text is someone's input."""

import io
from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from conferencing.spreadsheet import csv_writer, spreadsheet_cell
from meetings.conclusions.models import Task, TaskState
from meetings.followup import summary

BOM = "\ufeff"
DATE_FORMAT = "%d/%m/%Y"
CHUNK_SIZE = 2000


def day(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def task_headers() -> list[str]:
    return [
        _("Notice"),
        _("Item"),
        _("Task"),
        _("Assigning office"),
        _("Assigned office"),
        _("Deadline"),
        _("State"),
        _("Percent done"),
        _("Completed on"),
        _("Timeliness"),
    ]


def task_rows(tasks: QuerySet[Task], today: date | None = None) -> Iterator[list]:
    """One row per task, read in one query streamed in chunks."""
    today = today or timezone.localdate()
    labels = summary.timeliness_labels()
    states = dict(TaskState.choices)
    values = (
        summary.with_completion(tasks)
        .order_by("deadline_on", "pk")
        .values_list(
            "item__notice__number_symbol",
            "item__position",
            "item__text",
            "item__notice__meeting__owner_office__name",
            "office__name",
            "deadline_on",
            "state",
            "percent",
            "completed_on",
        )
    )
    for (
        symbol,
        position,
        text,
        assigning,
        assigned,
        deadline,
        state,
        percent,
        done_on,
    ) in values.iterator(CHUNK_SIZE):
        yield [
            symbol,
            position,
            text,
            assigning or "",
            assigned,
            day(deadline),
            str(states.get(state, state)),
            percent,
            day(done_on),
            labels[summary.timeliness_of(state, deadline, done_on, today)],
        ]


def office_headers() -> list[str]:
    labels = summary.timeliness_labels()
    return [
        _("Assigned office"),
        _("Tasks"),
        *(labels[key] for key in summary.TIMELINESS),
        *(str(label) for label in TaskState.labels),
    ]


def office_rows(rows: list[summary.OfficeRow]) -> Iterator[list]:
    for row in rows:
        yield [
            row.name,
            row.total,
            *(row.timeliness.get(key, 0) for key in summary.TIMELINESS),
            *(row.states.get(value, 0) for value in TaskState.values),
        ]


def as_csv(tasks: QuerySet[Task]) -> bytes:
    stream = io.StringIO()
    stream.write(BOM)
    writer = csv_writer(stream)
    writer.writerow(task_headers())
    writer.writerows(task_rows(tasks))
    return stream.getvalue().encode("utf-8")


def as_xlsx(tasks: QuerySet[Task]) -> bytes:
    # openpyxl is imported here: only the export pays for it.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Tasks"))
    sheet.append(task_headers())
    for row in task_rows(tasks):
        sheet.append([spreadsheet_cell(cell) for cell in row])
    offices = book.create_sheet(_("By office"))
    offices.append(office_headers())
    for row in office_rows(summary.per_office(tasks)):
        offices.append([spreadsheet_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
