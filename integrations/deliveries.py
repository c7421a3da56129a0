"""Sending webhook deliveries: one attempt at a time by the task worker, retried with
growing waits for a day, and a subscription switched off when its receiver keeps failing.

Every attempt of a delivery carries the same webhook-id (its event id), so a receiver
that got an attempt whose answer was lost can drop the repeat.
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from integrations import sending, signing
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

QUEUE = "webhooks"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def retry_wait(attempts: int) -> timedelta:
    """The wait after the attempts-th failed attempt: the schedule's, then its last again."""
    waits = settings.WEBHOOKS_RETRY_SECONDS
    return timedelta(seconds=waits[min(attempts, len(waits)) - 1])


def schedule(delivery_id: int, at: timezone.datetime | None = None) -> None:
    """Enqueue an attempt once the current transaction commits (at once outside one)."""
    chosen = deliver.using(run_after=at) if at is not None else deliver
    transaction.on_commit(lambda: chosen.enqueue(delivery_id))


@task(queue_name=QUEUE)
def deliver(delivery_id: int) -> str:
    """One attempt of the delivery; what became of it."""
    return attempt(delivery_id)


def attempt(delivery_id: int) -> str:
    """Send the delivery once if it is still pending and its subscription active.

    Side effects: the delivery's log fields; on failure a later attempt enqueued, or the
    delivery failed for good; the subscription's failure streak, and the subscription
    disabled (an e-mail to its office) after 410 Gone or too many failures in a row."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return "gone" if delivery is None else delivery.status
        if not delivery.subscription.active:
            return "disabled"
        # Counted before sending: a readiness event arriving meanwhile must not merge
        # into a body already on its way (models.WebhookDeliveryQuerySet.waiting_to_merge).
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
    subscription = delivery.subscription
    body = body_of(delivery)
    headers = signing.headers(
        subscription.secret, delivery.event_id, int(timezone.now().timestamp()), body
    )
    try:
        answer = sending.post(subscription.url, body, headers)
    except Exception as error:
        # An attempt counted must end recorded and rescheduled, or the delivery would wait
        # for ever: whatever went wrong is this attempt's failure.
        logger.exception("webhook delivery %s failed unexpectedly", delivery.pk)
        answer = sending.Answer(None, "", 0, sending.describe(error))
    return record(delivery, answer)


def record(delivery: WebhookDelivery, answer: sending.Answer) -> str:
    now = timezone.now()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().get(
            pk=delivery.subscription_id
        )
        delivery.last_status_code = answer.status
        delivery.last_response_body = answer.body
        delivery.last_duration_ms = answer.duration_ms
        delivery.last_error = answer.error
        fields = ["last_status_code", "last_response_body", "last_duration_ms", "last_error"]
        if answer.ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.save(update_fields=[*fields, "status", "delivered_at", "next_attempt_at"])
            if subscription.failure_streak:
                subscription.failure_streak = 0
                subscription.save(update_fields=["failure_streak"])
            return DeliveryStatus.DELIVERED
        gone = answer.status == 410
        next_at = now + retry_wait(delivery.attempts)
        last_chance = delivery.created_at + timedelta(hours=settings.WEBHOOKS_RETRY_HOURS)
        if not gone and next_at <= last_chance:
            delivery.next_attempt_at = next_at
            delivery.save(update_fields=[*fields, "next_attempt_at"])
            schedule(delivery.pk, next_at)
            return "retrying"
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        delivery.save(update_fields=[*fields, "status", "next_attempt_at"])
        subscription.failure_streak += 1
        subscription.save(update_fields=["failure_streak"])
        if gone:
            disable(subscription, _("The receiver answered 410 Gone."))
        elif subscription.failure_streak >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES:
            disable(
                subscription,
                _("%(count)d deliveries in a row failed for a day of retries.")
                % {"count": subscription.failure_streak},
            )
        return DeliveryStatus.FAILED


def disable(subscription: WebhookSubscription, reason: str) -> None:
    """Switch the subscription off (inside the caller's transaction) and tell its office's
    secretariat by e-mail once that commits. Its pending deliveries wait for it to be
    switched on again."""
    if not subscription.active:
        return
    subscription.active = False
    subscription.disabled_at = timezone.now()
    subscription.disabled_reason = reason[:300]
    subscription.save(update_fields=["active", "disabled_at", "disabled_reason"])
    subscription_id = subscription.pk
    transaction.on_commit(lambda: tell_office(subscription_id), robust=True)


def tell_office(subscription_id: int) -> None:
    subscription = WebhookSubscription.objects.select_related("office").get(pk=subscription_id)
    recipients = sorted(
        subscription.office.members.filter(is_active=True, groups__name=Role.SECRETARIAT)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Webhook switched off: %(url)s") % {"url": subscription.url}
        message = _(
            "Giao Ban stopped sending events of %(office)s to %(url)s.\n\n"
            "Why: %(reason)s\n\n"
            "No event is sent to it while it is off. Once the receiver works again, "
            "switch the subscription back on (PATCH /api/v1/webhooks/%(id)d/ with "
            '{"active": true}): the deliveries still waiting are sent then.'
        ) % {
            "office": subscription.office.name,
            "url": subscription.url,
            "reason": subscription.disabled_reason,
            "id": subscription.pk,
        }
    send_mail(subject, message, None, recipients)
