"""The technical side of a session: a conference on a bridge, and one leg per site.

Each leg carries its site's reservation window, [start - setup, end), half-open
so back-to-back sessions fit. PostgreSQL forbids two reserved legs of one site
with overlapping windows through an exclusion constraint (migration
0003_leg_no_overlap); the booking code checks the same rule first, in the same
transaction, to give a specific answer on any database.
"""

from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, JSONField, Q, Value
from django.utils.translation import gettext_lazy as _

from conferencing.models.readiness import ReadinessState

MAX_SETUP_MINUTES = 24 * 60
DEFAULT_SETUP_MINUTES = 60


class ConferenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class LegRole(models.TextChoices):
    HOST = "host", _("Host site")
    PARTICIPANT = "participant", _("Participant site")


class ConferenceQuerySet(models.QuerySet):
    def scheduled(self) -> "ConferenceQuerySet":
        return self.filter(status=ConferenceStatus.SCHEDULED)


class Conference(models.Model):
    bridge = models.ForeignKey(
        "conferencing.Bridge",
        verbose_name=_("bridge"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    setup_minutes = models.PositiveSmallIntegerField(
        _("setup window (minutes)"),
        default=DEFAULT_SETUP_MINUTES,
        validators=[MaxValueValidator(MAX_SETUP_MINUTES)],
        help_text=_("Minutes before the start reserved for the technical checks."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.SCHEDULED,
    )
    # Raised by every readiness report of this conference, in the report's
    # transaction: boards catch up from it, whatever the channel layer lost.
    readiness_seq = models.PositiveBigIntegerField(_("readiness sequence"), default=0)
    # How the secretariat named the sites when booking (conferencing.site_selection:
    # levels, subtrees, sites, exclusions), so that changing them edits that choice
    # rather than a list of thousands of codes.
    site_selection = models.JSONField(
        _("site selection"), default=dict, db_default=Value({}, JSONField()), blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="conference_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["bridge", "start", "end"], name="conference_bridge_time")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.start:%Y-%m-%d %H:%M}"

    @property
    def reserved_from(self) -> datetime:
        return reservation_start(self.start, self.setup_minutes)


def reservation_start(start: datetime, setup_minutes: int) -> datetime:
    return start - timedelta(minutes=setup_minutes)


class LegQuerySet(models.QuerySet):
    def reserved(self) -> "LegQuerySet":
        return self.filter(is_reserved=True)

    def overlapping(self, window_start: datetime, window_end: datetime) -> "LegQuerySet":
        """Legs whose half-open reservation window meets [window_start, window_end)."""
        return self.filter(reserved_from__lt=window_end, reserved_until__gt=window_start)


class Leg(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="legs"
    )
    endpoint = models.ForeignKey(
        "conferencing.Endpoint",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="legs",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=LegRole.choices, default=LegRole.PARTICIPANT
    )
    reserved_from = models.DateTimeField(_("reserved from"))
    reserved_until = models.DateTimeField(_("reserved until"))
    # False once the conference is cancelled: the leg stays as history, the time is freed.
    is_reserved = models.BooleanField(_("reserved"), default=True)
    # The latest readiness report; its history is in ReadinessEvent.
    state = models.CharField(
        _("readiness"),
        max_length=16,
        choices=ReadinessState.choices,
        default=ReadinessState.PENDING,
    )
    state_seq = models.PositiveBigIntegerField(_("readiness sequence"), default=0)
    state_changed_at = models.DateTimeField(_("last report at"), null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    people_present = models.PositiveIntegerField(_("people present"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Why the site says ready although a check failed (conferencing.readiness).
    override_reason = models.CharField(
        _("reason for ready despite a failed check"), max_length=500, blank=True, db_default=""
    )

    objects = LegQuerySet.as_manager()

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        constraints = [
            models.UniqueConstraint(fields=["conference", "endpoint"], name="leg_one_per_site"),
            models.UniqueConstraint(
                fields=["conference"], condition=Q(role="host"), name="leg_one_host"
            ),
            models.CheckConstraint(
                condition=Q(reserved_until__gt=F("reserved_from")),
                name="leg_window_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["endpoint", "reserved_from", "reserved_until"], name="leg_site_window"
            ),
            models.Index(fields=["conference", "state_seq"], name="leg_conference_state_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} in {self.conference_id} ({self.role})"
