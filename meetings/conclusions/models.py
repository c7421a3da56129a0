"""The conclusion notice of a session, its items and the tasks the items assign.

One notice per meeting. Its items are numbered conclusions; an item that is a task names
one or several offices and a deadline (a date, or N working days after publishing); on
publishing every (item, office) pair becomes a Task that meetings.followup follows.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    # An official document is issued ("ban hành"), not merely made public.
    PUBLISHED = "published", pgettext_lazy("conclusion notice", "Published")


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    COMPLETION_REPORTED = "completion_reported", _("Completion reported")
    DONE = "done", _("Done")
    SENT_BACK = "sent_back", _("Sent back")


class ConclusionNotice(models.Model):
    """The notice of one session's conclusions, drafted by the owning office's secretariat."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="conclusion_notice",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=NoticeState.choices,
        default=NoticeState.DRAFT,
        db_index=True,
    )
    # The day the notice must be published by: N working days after the session's end.
    due_on = models.DateField(_("due on"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_symbol = models.CharField(_("number and symbol"), max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The session's record that holds the signed PDF (a new version on every signing).
    record = models.ForeignKey(
        "meetings.Record",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bumped on every change: the ETag of the API and the guard of concurrent edits.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("conclusion notice")
        verbose_name_plural = _("conclusion notices")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="conclusion_notice_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol or self.pk}: {self.meeting_id}"


class ConclusionItem(models.Model):
    """One numbered conclusion; when it is a task, the offices it is assigned to and its
    deadline: a date, or a number of working days after publishing (exactly one of them)."""

    notice = models.ForeignKey(
        ConclusionNotice,
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))
    is_task = models.BooleanField(_("is a task"), default=False)
    offices = models.ManyToManyField(
        "conferencing.Office",
        verbose_name=_("assigned offices"),
        blank=True,
        related_name="+",
    )
    deadline_on = models.DateField(_("deadline"), null=True, blank=True)
    deadline_working_days = models.PositiveIntegerField(
        _("deadline in working days after publishing"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["notice_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "position"], name="conclusion_item_position"),
            models.CheckConstraint(
                condition=Q(deadline_on__isnull=True) | Q(deadline_working_days__isnull=True),
                name="conclusion_item_one_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class TaskQuerySet(models.QuerySet):
    def for_office(self, office_id: int) -> "TaskQuerySet":
        return self.filter(office_id=office_id)

    def unfinished(self) -> "TaskQuerySet":
        return self.exclude(state=TaskState.DONE)


class Task(models.Model):
    """One item of a published notice assigned to one office, with its deadline."""

    item = models.ForeignKey(
        ConclusionItem, verbose_name=_("conclusion"), on_delete=models.PROTECT, related_name="tasks"
    )
    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="conclusion_tasks",
    )
    deadline_on = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=24, choices=TaskState.choices, default=TaskState.OPEN, db_index=True
    )
    percent = models.PositiveSmallIntegerField(
        _("percent done"), default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "office"], name="task_once_per_office"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.office_id}"
