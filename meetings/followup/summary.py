"""The follow-up figures: tasks by state, and on time / late / overdue / open, per
assigned office, in one query whatever the number of tasks.

- on time: done, and the accepted completion was reported on or before the deadline;
- late: done, reported after the deadline;
- overdue: not done, the deadline has passed (today is after it);
- open: not done, still within its deadline.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.conclusions.models import Task, TaskState
from meetings.followup.models import EventKind, TaskEvent

TIMELINESS = ("on_time", "late", "overdue", "open")


def timeliness_labels() -> dict[str, str]:
    return {
        "on_time": _("Done on time"),
        "late": _("Done late"),
        "overdue": _("Overdue"),
        "open": _("Open, within deadline"),
    }


def with_completion(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Each task with `completed_on`: the day its accepted completion was reported."""
    accepted = TaskEvent.objects.filter(task=OuterRef("pk"), kind=EventKind.ACCEPTED).order_by(
        "-at", "-id"
    )
    return tasks.annotate(completed_on=Subquery(accepted.values("completed_on")[:1]))


def timeliness_of(state: str, deadline_on: date, completed_on: date | None, today: date) -> str:
    if state == TaskState.DONE:
        return "on_time" if completed_on is not None and completed_on <= deadline_on else "late"
    return "overdue" if today > deadline_on else "open"


@dataclass
class OfficeRow:
    code: str
    name: str
    total: int = 0
    states: dict[str, int] = field(default_factory=dict)
    timeliness: dict[str, int] = field(default_factory=dict)


def per_office(tasks: QuerySet[Task], today: date | None = None) -> list[OfficeRow]:
    """One row per assigned office (by code), with its counts."""
    today = today or timezone.localdate()
    done = Q(state=TaskState.DONE)
    counts = {
        "on_time": Count("pk", filter=done & Q(completed_on__lte=F("deadline_on"))),
        "late": Count("pk", filter=done & ~Q(completed_on__lte=F("deadline_on"))),
        "overdue": Count("pk", filter=~done & Q(deadline_on__lt=today)),
        "open": Count("pk", filter=~done & Q(deadline_on__gte=today)),
    }
    counts |= {f"state_{value}": Count("pk", filter=Q(state=value)) for value in TaskState.values}
    found = (
        with_completion(tasks)
        .order_by()
        .values("office__code", "office__name")
        .annotate(total=Count("pk"), **counts)
        .order_by("office__code")
    )
    return [
        OfficeRow(
            code=row["office__code"],
            name=row["office__name"],
            total=row["total"],
            states={value: row[f"state_{value}"] for value in TaskState.values},
            timeliness={key: row[key] for key in TIMELINESS},
        )
        for row in found
    ]


def totals(rows: list[OfficeRow]) -> OfficeRow:
    whole = OfficeRow(
        code="",
        name=_("All offices"),
        states=dict.fromkeys(TaskState.values, 0),
        timeliness=dict.fromkeys(TIMELINESS, 0),
    )
    for row in rows:
        whole.total += row.total
        for key, value in row.states.items():
            whole.states[key] = whole.states.get(key, 0) + value
        for key, value in row.timeliness.items():
            whole.timeliness[key] = whole.timeliness.get(key, 0) + value
    return whole
