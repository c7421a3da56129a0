"""Managing an office's webhook subscriptions: who may, and the rules of each change.

The secretariat acting for an office manages that office's subscriptions only
(conferencing.jurisdiction.booking_office); anyone else, and another office's
subscription, is answered as if there were none (NotFound).
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from conferencing.jurisdiction import booking_office
from integrations import addresses, deliveries, signing
from integrations.models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription

User = AbstractBaseUser | AnonymousUser


class NotFound(LookupError):
    pass


class Refused(ValueError):
    """Bad input: the message per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class SubscriptionDisabled(ValueError):
    pass


def manageable(user: User) -> QuerySet[WebhookSubscription]:
    office = booking_office(user)
    if office is None:
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.filter(office=office)


def subscription_of(user: User, pk: object) -> WebhookSubscription:
    try:
        wanted = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NotFound from None
    found = manageable(user).filter(pk=wanted).first()
    if found is None:
        raise NotFound
    return found


def checked(url: str | None, events: list[str] | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if url is not None:
        try:
            addresses.check_url(url)
        except addresses.RefusedAddress as refused:
            errors["url"] = [refused.message]
    if events is not None:
        unknown = sorted(set(events) - set(EventType.values))
        if unknown:
            errors["events"] = [_("Unknown events: %(names)s.") % {"names": ", ".join(unknown)}]
        elif not events:
            errors["events"] = [_("Choose at least one event.")]
    return errors


def create(user: User, url: str, events: list[str]) -> WebhookSubscription:
    """A subscription of the acting office, with a new secret. Audit "webhook.created"."""
    office = booking_office(user)
    if office is None:
        raise NotFound
    errors = checked(url, events)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            office=office,
            url=url,
            events=sorted(set(events)),
            secret=signing.new_secret(),
            created_by=user,
        )
        trail.record(user, "webhook.created", subscription, {"url": url, "events": events})
    return subscription


def update(
    user: User,
    subscription: WebhookSubscription,
    url: str | None = None,
    events: list[str] | None = None,
    active: bool | None = None,
) -> WebhookSubscription:
    """Change URL, events or switch on/off. Switched back on, its failure streak starts
    again and the deliveries still waiting are sent at once. Audit "webhook.changed"."""
    errors = checked(url, events)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        changed: dict = {}
        if url is not None and url != subscription.url:
            subscription.url = changed["url"] = url
        if events is not None and sorted(set(events)) != subscription.events:
            subscription.events = changed["events"] = sorted(set(events))
        if active is not None and active != subscription.active:
            changed["active"] = active
            subscription.active = active
            if active:
                subscription.disabled_at = None
                subscription.disabled_reason = ""
                subscription.failure_streak = 0
                for pk in subscription.deliveries.filter(status=DeliveryStatus.PENDING).values_list(
                    "pk", flat=True
                ):
                    deliveries.schedule(pk)
            else:
                subscription.disabled_at = timezone.now()
                subscription.disabled_reason = _("Switched off by %(name)s.") % {
                    "name": user.get_username()
                }
        subscription.save()
        if changed:
            trail.record(user, "webhook.changed", subscription, changed)
    return subscription


def delete(user: User, subscription: WebhookSubscription) -> None:
    with transaction.atomic():
        trail.record(user, "webhook.deleted", subscription, {"url": subscription.url})
        subscription.delete()


def rotate_secret(user: User, subscription: WebhookSubscription) -> WebhookSubscription:
    """A new secret at once: the attempts from now on are signed with it only."""
    with transaction.atomic():
        subscription.secret = signing.new_secret()
        subscription.save(update_fields=["secret"])
        trail.record(user, "webhook.secret_rotated", subscription, {})
    return subscription


def deliveries_of(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return subscription.deliveries.order_by("-created_at", "-pk")


def delivery_of(subscription: WebhookSubscription, pk: object) -> WebhookDelivery:
    try:
        wanted = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NotFound from None
    found = subscription.deliveries.filter(pk=wanted).first()
    if found is None:
        raise NotFound
    return found


def redeliver(user: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the delivery again now, with the same event id (a receiver that has it drops
    the repeat). Refused (SubscriptionDisabled) while its subscription is off."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .get(pk=delivery.pk)
        )
        if not delivery.subscription.active:
            raise SubscriptionDisabled(_("Switch the subscription on before redelivering."))
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        deliveries.schedule(delivery.pk)
        trail.record(
            user, "webhook.redelivered", delivery.subscription, {"event": delivery.event_id}
        )
    return delivery
