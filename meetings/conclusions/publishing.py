"""Publishing a signed notice: its tasks are made, its signed PDF is released to the
session's readers, and the offices that took part are told (after the commit).

Called by workflow.publish inside its transaction, the notice locked.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from audit import trail
from meetings.conclusions import deadlines, signals
from meetings.conclusions.models import ConclusionItem, ConclusionNotice, Task
from meetings.records import archive
from meetings.records.models import RecordStatus
from workdays.calendar import snapshot


def make_tasks(notice: ConclusionNotice, published_on: date) -> list[Task]:
    """One task per (task item, office), due on the item's date or its number of
    working days after `published_on`."""
    items = ConclusionItem.objects.filter(notice=notice, is_task=True).prefetch_related("offices")
    calendar = snapshot()
    return Task.objects.bulk_create(
        Task(
            item=item,
            office=office,
            deadline_on=deadlines.task_deadline(
                deadline_on=item.deadline_on,
                working_days=item.deadline_working_days,
                published_on=published_on,
                calendar=calendar,
            ),
        )
        for item in items
        for office in item.offices.all()
    )


def release_signed_pdf(notice: ConclusionNotice, actor: AbstractBaseUser) -> None:
    if notice.record_id is None:
        return
    held = notice.record.versions.filter(status=RecordStatus.DRAFT).order_by("-number").first()
    if held is not None:
        archive.release(held, actor)


def publish(notice: ConclusionNotice, actor: AbstractBaseUser) -> list[Task]:
    """Side effects: the tasks, the released record version ("record.released"), audit
    "conclusions.published", and `signals.notice_published` once committed (e-mail to
    the offices' secretariats, the webhook "conclusions.published")."""
    now = timezone.now()
    tasks = make_tasks(notice, timezone.localdate(now))
    release_signed_pdf(notice, actor)
    notice.published_by = actor
    notice.published_at = now
    trail.record(
        actor,
        "conclusions.published",
        notice,
        {
            "number_symbol": notice.number_symbol,
            "tasks": [
                {
                    "item": task.item_id,
                    "office": task.office_id,
                    "deadline_on": str(task.deadline_on),
                }
                for task in tasks
            ],
        },
    )
    signals.announce_published(notice.pk)
    return tasks
