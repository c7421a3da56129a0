"""Who sees and acts on a task: the authority of every follow-up page, export and API.

A task concerns two offices: the one it is assigned to (its secretariat reports
progress, asks for extensions, reports completion) and the one that assigned it, the
owner of the session whose notice it comes from (its secretariat decides). An office
also watches the tasks assigned by any office inside its jurisdiction (the central
office sees all). Everyone else, the superuser included (who acts on no session), sees
no task; a task one may not see or act on answers as a missing one (NoSuchTask).
"""

from django.db.models import Q, QuerySet

from conferencing import jurisdiction
from conferencing.jurisdiction import User
from conferencing.models import Office
from meetings.conclusions.models import Task

ASSIGNING_OFFICE = "item__notice__meeting__owner_office"


class NoSuchTask(LookupError):
    """A task the user may not see or do this to, answered as one that does not exist."""


def watched(office: Office) -> Q:
    """Tasks assigned by `office` or by an office inside its jurisdiction."""
    return Q(
        **{
            f"{ASSIGNING_OFFICE}__jurisdiction__path__startswith": jurisdiction.jurisdiction_path(
                office
            )
        }
    )


def visible_tasks(user: User) -> QuerySet[Task]:
    office = jurisdiction.booking_office(user)
    if office is None:
        return Task.objects.none()
    return Task.objects.filter(Q(office=office) | watched(office))


def watched_tasks(user: User) -> QuerySet[Task]:
    """What the follow-up page counts: the tasks the acting office assigned or watches."""
    office = jurisdiction.booking_office(user)
    if office is None:
        return Task.objects.none()
    return Task.objects.filter(watched(office))


def may_follow(user: User) -> bool:
    return jurisdiction.booking_office(user) is not None


def task_for(user: User, task_id: object) -> Task:
    """The task with this id if the user sees it; NoSuchTask otherwise, whatever the id."""
    try:
        wanted = int(task_id)
    except (TypeError, ValueError):
        raise NoSuchTask from None
    found = (
        visible_tasks(user)
        .filter(pk=wanted)
        .select_related("office", "item__notice__meeting__owner_office")
        .first()
    )
    if found is None:
        raise NoSuchTask
    return found


def assigning_office_id(task: Task) -> int | None:
    return task.item.notice.meeting.owner_office_id


def may_report(user: User, task: Task) -> bool:
    office = jurisdiction.booking_office(user)
    return office is not None and office.pk == task.office_id


def may_decide(user: User, task: Task) -> bool:
    office = jurisdiction.booking_office(user)
    return office is not None and office.pk == assigning_office_id(task)


def reportable_task(user: User, task_id: object) -> Task:
    """The task if the user's office is the one it is assigned to; NoSuchTask otherwise."""
    task = task_for(user, task_id)
    if not may_report(user, task):
        raise NoSuchTask
    return task


def decidable_task(user: User, task_id: object) -> Task:
    """The task if the user's office assigned it; NoSuchTask otherwise."""
    task = task_for(user, task_id)
    if not may_decide(user, task):
        raise NoSuchTask
    return task
