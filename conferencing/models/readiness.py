"""Readiness of each site for a session: the state machine's states and its event log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadinessState(models.TextChoices):
    PENDING = "pending", _("Not reported")
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Ready")
    PROBLEM = "problem", _("Problem")
    CONNECTED = "connected", _("Connected")
    DISCONNECTED = "disconnected", _("Disconnected")


class ReadinessEvent(models.Model):
    """One accepted report: appended, never changed. The leg holds the latest state."""

    leg = models.ForeignKey(
        "conferencing.Leg", verbose_name=_("leg"), on_delete=models.CASCADE, related_name="events"
    )
    # The conference's readiness sequence after this event: boards resync from it.
    seq = models.PositiveBigIntegerField(_("sequence"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    from_state = models.CharField(_("from"), max_length=16, choices=ReadinessState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=ReadinessState.choices)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    people_present = models.PositiveIntegerField(_("people present"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    override_reason = models.CharField(
        _("reason for ready despite a failed check"), max_length=500, blank=True, db_default=""
    )
    # The id the client gave its message: a retried report is applied once.
    client_id = models.CharField(_("client message id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("readiness report")
        verbose_name_plural = _("readiness reports")
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "client_id"],
                condition=~models.Q(client_id=""),
                name="readiness_event_client_id_once",
            )
        ]
        indexes = [models.Index(fields=["leg", "seq"], name="readiness_event_leg_seq")]

    def __str__(self) -> str:
        return f"{self.leg_id}: {self.from_state} → {self.to_state}"
