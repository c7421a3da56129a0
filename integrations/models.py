"""Webhook subscriptions of an office and the log of what was sent to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    MEETING_BOOKED = "meeting.booked", _("Meeting booked")
    MEETING_CHANGED = "meeting.changed", _("Meeting changed")
    MEETING_CANCELLED = "meeting.cancelled", _("Meeting cancelled")
    READINESS_CHANGED = "readiness.changed", _("Readiness changed")
    MINUTES_PUBLISHED = "minutes.published", _("Minutes published")
    RECORDING_VERIFIED = "recording.verified", _("Recording verified")
    TASK_REPORTED = "task.reported", _("Task progress or completion reported")
    TASK_EXTENSION_REQUESTED = "task.extension_requested", _("Task extension requested")
    TASK_EXTENSION_DECIDED = "task.extension_decided", _("Task extension granted or refused")
    TASK_COMPLETED = "task.completed", _("Task completion accepted")
    TASK_SENT_BACK = "task.sent_back", _("Task sent back")
    CONCLUSIONS_PUBLISHED = "conclusions.published", _("Conclusion notice published")


class WebhookSubscription(models.Model):
    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("URL"), max_length=2000)
    # The receiver needs the secret itself to check signatures, so it is stored as is
    # (not hashed, unlike an API token); it is shown in the API on creation and rotation.
    secret = models.CharField(_("signing secret"), max_length=100)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    # Deliveries that failed for good one after another; a delivered one resets it.
    failure_streak = models.PositiveIntegerField(_("failed deliveries in a row"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDeliveryQuerySet(models.QuerySet):
    def waiting_to_merge(self, subscription_id: int, key: str) -> "WebhookDeliveryQuerySet":
        """A delivery not tried yet that a later event of the same key joins."""
        return self.filter(
            subscription_id=subscription_id,
            coalesce_key=key,
            status=DeliveryStatus.PENDING,
            attempts=0,
        )


class WebhookDelivery(models.Model):
    """One event for one subscription, and what happened at its last attempt. The event
    id (msg_…) is the webhook-id of every attempt, so a receiver can drop repeats."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.CharField(_("event id"), max_length=40, unique=True)
    event_type = models.CharField(_("event type"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    # Events of one key (the readiness of one session) not sent yet are merged into one.
    coalesce_key = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last response status"), null=True, blank=True
    )
    last_response_body = models.TextField(_("last response body (excerpt)"), blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log"),
            models.Index(
                fields=["subscription", "coalesce_key", "status"], name="webhook_delivery_merge"
            ),
        ]

    def __str__(self) -> str:
        return self.event_id
