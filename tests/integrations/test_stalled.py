"""A delivery whose attempt was lost (its enqueue never happened, or a worker died during
the attempt) is found by the periodic sweep and delivered to the real receiver; one still
waiting for its attempt, one too recent, one of a switched-off subscription and one no
longer pending are left alone."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integrations import signing
from integrations.deliveries import deliver
from integrations.models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription
from integrations.stalled import SWEEP, resume_stalled
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

LONG_AGO = timedelta(minutes=30)


@pytest.fixture
def subscription(hanoi, hana, receiver):
    made = WebhookSubscription.objects.create(
        office=hanoi,
        url=receiver.url,
        secret=signing.new_secret(),
        events=list(EventType.values),
        created_by=hana,
    )
    receiver.secret = made.secret
    return made


def delivery(subscription, n: int, **fields) -> WebhookDelivery:
    """A delivery whose attempt was never enqueued (nothing is in the task table)."""
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=f"msg_stalled{n}",
        event_type=EventType.MEETING_BOOKED,
        payload={"type": "meeting.booked", "n": n},
        **fields,
    )


def attempts_waiting() -> list[int]:
    return sorted(
        result["args"][0]
        for result in DBTaskResult.objects.filter(
            task_path=deliver.module_path, status="READY"
        ).values_list("args_kwargs", flat=True)
    )


def test_lost_attempts_are_enqueued_again_and_delivered(subscription, receiver):
    now = timezone.now()
    never_tried = delivery(subscription, 1, created_at=now - LONG_AGO)
    retry_lost = delivery(
        subscription, 2, attempts=1, last_attempt_at=now - LONG_AGO, next_attempt_at=now - LONG_AGO
    )
    died_during_attempt = delivery(subscription, 3, attempts=1, last_attempt_at=now - LONG_AGO)

    assert resume_stalled() == 3
    run_worker("webhooks")

    assert sorted(json.loads(got.body)["n"] for got in receiver.received) == [1, 2, 3]
    for sent in (never_tried, retry_lost, died_during_attempt):
        sent.refresh_from_db()
        assert sent.status == DeliveryStatus.DELIVERED


def test_what_is_waiting_recent_off_or_done_is_left_alone(subscription, hanoi, receiver):
    now = timezone.now()
    recent = delivery(subscription, 1)
    waiting = delivery(subscription, 2, created_at=now - LONG_AGO)
    deliver.enqueue(waiting.pk)
    delivery(subscription, 3, created_at=now - LONG_AGO, status=DeliveryStatus.DELIVERED)
    delivery(subscription, 4, created_at=now - LONG_AGO, status=DeliveryStatus.FAILED)
    switched_off = WebhookSubscription.objects.create(
        office=hanoi, url=receiver.url, secret=signing.new_secret(), events=[], active=False
    )
    delivery(switched_off, 5, created_at=now - LONG_AGO)

    assert resume_stalled() == 0
    assert attempts_waiting() == [waiting.pk]
    assert recent.pk not in attempts_waiting()


def test_the_sweep_is_scheduled_once_and_repeats(db):
    call_command("resume_webhook_deliveries", "--schedule")
    call_command("resume_webhook_deliveries", "--schedule")

    assert SWEEP.waiting()
    assert DBTaskResult.objects.filter(task_path=SWEEP.task.module_path).count() == 1
