"""Records of a session: agenda papers, minutes, recordings and other documents.

A Record is the logical document ("Biên bản phiên họp"); every upload is a new
RecordVersion of it, never an overwrite. The bytes live in the configured
storage under a generated key; the user's file name is kept only for downloads.
The records subdomain's models (meetings/records/, docs/architecture.md): they keep the
meetings app's label, tables and migrations.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda paper")
    MINUTES = "minutes", _("Minutes")
    RECORDING = "recording", _("Recording")
    OTHER = "other", _("Other document")


class RecordStatus(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    VERIFYING = "verifying", _("Verifying")
    AVAILABLE = "available", _("Available")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    PURGED = "purged", _("Purged")


def new_storage_key(meeting_uid: str) -> str:
    """A key nobody chooses: the meeting's UID and a random part, never a file name."""
    return f"records/{meeting_uid}/{uuid.uuid4().hex}"


class Record(models.Model):
    """One document of a meeting, whatever number of versions it went through."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RecordKind.choices)
    title = models.CharField(_("title"), max_length=300)
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_("A record under legal hold is never purged."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["kind", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class RecordVersion(models.Model):
    """One uploaded file of a record: its bytes' identity, who brought it, where it stands."""

    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    key = models.CharField(_("storage key"), max_length=255, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RecordStatus.choices, db_index=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    reason = models.TextField(
        _("reason for the new version"),
        blank=True,
        help_text=_("Required for a correction of a published version."),
    )
    # Who sent this version for approval: they may not approve it themselves (four eyes),
    # unless their office has a single secretary (meetings.records.four_eyes).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)
    # What validating a PDF's signatures found when it was stored (signatures.report's
    # JSON: status, reason, signatures); null: not a PDF, or not checked yet.
    signature = models.JSONField(_("signature check"), null=True, blank=True)

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")
        ordering = ["record_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="record_version_number"),
            models.CheckConstraint(condition=Q(size__gte=0), name="record_version_size"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="record_version_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} v{self.number}"
