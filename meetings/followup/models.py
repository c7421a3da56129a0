"""The history of a task (one row per thing that happened to it), the evidence files
of its reports, and the reminders sent about it.

The task itself (state, percent, deadline) is conclusions.Task; these rows say how it
got there, so the task page shows its history and the follow-up page tells a task done
late from one done on time.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    PROGRESS = "progress", _("Progress reported")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    COMPLETION_REPORTED = "completion_reported", _("Completion reported")
    ACCEPTED = "accepted", _("Completion accepted")
    SENT_BACK = "sent_back", _("Sent back")


class TaskEvent(models.Model):
    """One step of a task, by one person acting for one office. Append-only."""

    task = models.ForeignKey(
        "conclusions.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    office = models.ForeignKey(
        "conferencing.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    state_before = models.CharField(_("state before"), max_length=24)
    state_after = models.CharField(_("state after"), max_length=24)
    percent = models.PositiveSmallIntegerField(_("percent done"), null=True)
    note = models.TextField(_("note"), blank=True)
    # An extension: the deadline asked for (request) or given (grant), and the one before.
    new_deadline = models.DateField(_("new deadline"), null=True)
    old_deadline = models.DateField(_("previous deadline"), null=True)
    # An acceptance: the local day the accepted completion was reported, which decides
    # whether the task was done on time.
    completed_on = models.DateField(_("completed on"), null=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "kind"], name="followup_event_task_kind")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class EvidenceFile(models.Model):
    """A file attached to a report, stored through the records' storage boundary."""

    event = models.ForeignKey(
        TaskEvent, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    name = models.CharField(_("file name"), max_length=255)
    key = models.CharField(_("storage key"), max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=128)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReminderReason(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue")


class SentReminder(models.Model):
    """A reminder e-mail sent: never twice for the same task, reason, deadline and round
    (the round is 0 before the deadline and for the first overdue one, then one a week)."""

    task = models.ForeignKey(
        "conclusions.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReminderReason.choices)
    deadline_on = models.DateField(_("deadline"))
    round = models.PositiveIntegerField(_("round"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "reason", "deadline_on", "round"], name="followup_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reason} {self.deadline_on} #{self.round}"
