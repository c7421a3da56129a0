"""Turning what happened into deliveries: which subscriptions hear of it, with what payload.

An office's subscription hears of the sessions touching its jurisdiction (booked by
it or with a site in it: meetings.visibility.touching), with the payload its office
may see (integrations.payloads). Called after the change committed; each event is
written with its deliveries in one transaction, the attempts enqueued once it commits.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrations import deliveries, payloads
from integrations.models import EventType, WebhookDelivery, WebhookSubscription
from meetings.models import Meeting
from meetings.visibility import touching

# Readiness changes of one session within this interval travel as one delivery.
READINESS_MERGE = timedelta(seconds=1)


def new_event_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def envelope(event_type: str, data: dict) -> dict:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def subscribers(event_type: str, meeting_ids: list[int]) -> list[tuple[WebhookSubscription, set]]:
    """The active subscriptions wanting this event, each with the meetings it hears of."""
    wanting = [
        subscription
        for subscription in WebhookSubscription.objects.filter(active=True).select_related(
            "office__jurisdiction"
        )
        if subscription.wants(event_type)
    ]
    found = []
    for subscription in wanting:
        heard = set(
            Meeting.objects.filter(pk__in=meeting_ids)
            .filter(touching(subscription.office))
            .values_list("pk", flat=True)
        )
        if heard:
            found.append((subscription, heard))
    return found


def publish(event_type: str, meeting_data: dict[int, dict]) -> int:
    """One event per meeting (its data given) for every subscription hearing of it; the
    number of deliveries made."""
    made = []
    with transaction.atomic():
        for subscription, heard in subscribers(event_type, list(meeting_data)):
            for meeting_id in sorted(heard):
                made.append(
                    WebhookDelivery.objects.create(
                        subscription=subscription,
                        event_id=new_event_id(),
                        event_type=event_type,
                        payload=envelope(event_type, meeting_data[meeting_id]),
                    )
                )
        for delivery in made:
            deliveries.schedule(delivery.pk)
    return len(made)


def meeting_event(event_type: str, meeting_ids: tuple[int, ...], extra: dict | None = None) -> int:
    summaries = payloads.summaries(list(meeting_ids))
    data = {pk: {"meeting": summary, **(extra or {})} for pk, summary in summaries.items()}
    return publish(event_type, data)


def readiness_changed(conference_id: int) -> int:
    """A session's readiness changed: for each subscription hearing of it, join the
    delivery not sent yet of the same session, or make one sent a second from now
    (at most one per session and second, whatever the number of reports)."""
    meeting = Meeting.objects.filter(conference_id=conference_id).first()
    if meeting is None:
        return 0
    event_type = EventType.READINESS_CHANGED
    key = f"readiness:{meeting.pk}"
    made = 0
    for subscription, _heard in subscribers(event_type, [meeting.pk]):
        with transaction.atomic():
            # Locked so that two processes told at once make one delivery, not two.
            WebhookSubscription.objects.select_for_update().filter(pk=subscription.pk).first()
            data = readiness_data(meeting.pk, conference_id)
            waiting = WebhookDelivery.objects.waiting_to_merge(subscription.pk, key).first()
            if waiting is not None:
                waiting.payload = envelope(event_type, data)
                waiting.save(update_fields=["payload"])
                continue
            due = timezone.now() + READINESS_MERGE
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                event_id=new_event_id(),
                event_type=event_type,
                coalesce_key=key,
                payload=envelope(event_type, data),
                next_attempt_at=due,
            )
            deliveries.schedule(delivery.pk, due)
            made += 1
    return made


def readiness_data(meeting_id: int, conference_id: int) -> dict:
    summary = payloads.summaries([meeting_id])[meeting_id]
    return {
        "meeting": summary,
        "conference": conference_id,
        "states": payloads.readiness_counts(conference_id),
    }
