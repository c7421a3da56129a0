"""Webhook events of conclusion tasks (meetings.followup): who hears of a step, and what
it says. A task concerns the office it is assigned to and the office that assigned it,
watched by every office whose jurisdiction covers the assigning one (the follow-up
rule, meetings.followup.access): their active subscriptions wanting the event hear of
it. The payload carries ids, codes, dates, the task's text and the step's note."""

from django.db import transaction

from integrations import deliveries, payloads
from integrations.models import EventType, WebhookDelivery, WebhookSubscription
from integrations.publishing import envelope, new_event_id
from meetings.followup.models import EventKind, TaskEvent

EVENT_OF_KIND = {
    EventKind.PROGRESS: EventType.TASK_REPORTED,
    EventKind.COMPLETION_REPORTED: EventType.TASK_REPORTED,
    EventKind.EXTENSION_REQUESTED: EventType.TASK_EXTENSION_REQUESTED,
    EventKind.EXTENSION_GRANTED: EventType.TASK_EXTENSION_DECIDED,
    EventKind.EXTENSION_REFUSED: EventType.TASK_EXTENSION_DECIDED,
    EventKind.ACCEPTED: EventType.TASK_COMPLETED,
    EventKind.SENT_BACK: EventType.TASK_SENT_BACK,
}


def data_of(event: TaskEvent) -> dict:
    task = event.task
    notice = task.item.notice
    assigning = notice.meeting.owner_office
    return {
        "task": {
            "id": task.pk,
            "meeting": notice.meeting_id,
            "notice": notice.number_symbol,
            "position": task.item.position,
            "text": task.item.text,
            "office": task.office.code,
            "assigning_office": assigning.code if assigning else None,
            "deadline_on": task.deadline_on.isoformat(),
            "state": task.state,
            "percent": task.percent,
        },
        "step": {
            "id": event.pk,
            "kind": event.kind,
            "at": payloads.iso(event.at),
            "office": event.office.code,
            "note": event.note,
            "percent": event.percent,
            "new_deadline": event.new_deadline.isoformat() if event.new_deadline else None,
            "evidence": [
                {"name": f.name, "size": f.size, "sha256": f.sha256} for f in event.evidence.all()
            ],
        },
    }


def hearing(event: TaskEvent, event_type: str) -> list[WebhookSubscription]:
    task = event.task
    assigning = task.item.notice.meeting.owner_office
    found = []
    for subscription in WebhookSubscription.objects.filter(active=True).select_related(
        "office__jurisdiction"
    ):
        if not subscription.wants(event_type):
            continue
        watches = assigning is not None and assigning.jurisdiction.path.startswith(
            subscription.office.jurisdiction.path
        )
        if subscription.office_id == task.office_id or watches:
            found.append(subscription)
    return found


def publish(event_id: int) -> int:
    """One delivery per subscription hearing of the step; how many were made."""
    event = (
        TaskEvent.objects.select_related(
            "office",
            "task__office",
            "task__item__notice__meeting__owner_office__jurisdiction",
        )
        .prefetch_related("evidence")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    event_type = EVENT_OF_KIND[event.kind]
    data = data_of(event)
    made = []
    with transaction.atomic():
        for subscription in hearing(event, event_type):
            made.append(
                WebhookDelivery.objects.create(
                    subscription=subscription,
                    event_id=new_event_id(),
                    event_type=event_type,
                    payload=envelope(event_type, data),
                )
            )
        for delivery in made:
            deliveries.schedule(delivery.pk)
    return len(made)
