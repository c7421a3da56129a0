"""The task list's query: the tasks a user sees, filtered, with what a row shows joined
in (one query for the rows whatever their number)."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from conferencing.jurisdiction import User
from meetings.conclusions.models import Task
from meetings.followup import access, summary
from meetings.models import Meeting
from meetings.visibility import open_to


def filtered(
    user: User,
    *,
    state: str = "",
    due_from: date | None = None,
    due_until: date | None = None,
    meeting: int | None = None,
) -> QuerySet[Task]:
    tasks = access.visible_tasks(user)
    if state:
        tasks = tasks.filter(state=state)
    if due_from:
        tasks = tasks.filter(deadline_on__gte=due_from)
    if due_until:
        tasks = tasks.filter(deadline_on__lte=due_until)
    if meeting:
        tasks = tasks.filter(item__notice__meeting_id=meeting)
    return (
        with_session_visible(user, summary.with_completion(tasks))
        .select_related("office", "item__notice__meeting__owner_office")
        .order_by("deadline_on", "pk")
    )


def with_session_visible(user: User, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """`session_visible`: whether the user may read the session's title (a confidential
    session's task shows its notice number, not the session's title, to others)."""
    readable = Meeting.objects.filter(pk=OuterRef("item__notice__meeting_id")).filter(open_to(user))
    return tasks.annotate(session_visible=Exists(readable))
