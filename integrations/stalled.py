"""Deliveries nothing will send any more are enqueued again, every few minutes.

An attempt is enqueued after the commit that created or failed its delivery; that enqueue
can be lost (the process stopped between the commit and the enqueue, the task table was
wiped), and a worker killed during an attempt leaves it counted but never recorded. Such a
delivery stays pending for ever unless something looks: this sweep does, and enqueues an
attempt for every pending delivery of an active subscription that has been due for
STALLED_AFTER with no attempt waiting. An attempt of a delivery no longer pending does
nothing, so enqueuing one too many is harmless.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from integrations.deliveries import QUEUE, deliver, schedule
from integrations.models import DeliveryStatus, WebhookDelivery
from periodic.chains import Chain, waiting_first_arguments

# Longer than an attempt can take (connect and read timeouts) and than a worker needs
# to pick up a due attempt on a busy queue.
STALLED_AFTER = timedelta(minutes=10)
SWEEP_EVERY = timedelta(minutes=5)


def stalled(now: datetime | None = None) -> "list[int]":
    """Pending deliveries of active subscriptions due since STALLED_AFTER: never tried
    (created then), waiting for a retry (due at next_attempt_at), or tried with no
    outcome recorded (a worker died during the attempt)."""
    before = (now or timezone.now()) - STALLED_AFTER
    due_long_ago = (
        Q(attempts=0, next_attempt_at__isnull=True, created_at__lt=before)
        | Q(next_attempt_at__lt=before)
        | Q(attempts__gt=0, next_attempt_at__isnull=True, last_attempt_at__lt=before)
    )
    return list(
        WebhookDelivery.objects.filter(
            due_long_ago, status=DeliveryStatus.PENDING, subscription__active=True
        ).values_list("pk", flat=True)
    )


def resume_stalled(now: datetime | None = None) -> int:
    """Enqueue an attempt for each stalled delivery no attempt waits for; how many."""
    waiting = waiting_first_arguments(deliver)
    resumed = [pk for pk in stalled(now) if pk not in waiting]
    for pk in resumed:
        schedule(pk)
    return len(resumed)


@task(queue_name=QUEUE)
def resume_stalled_task() -> int:
    with SWEEP.repeating():
        return resume_stalled()


SWEEP = Chain(resume_stalled_task, interval=SWEEP_EVERY)
