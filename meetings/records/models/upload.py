"""A record on its way in: the multipart (S3) or chunked (local disk) upload session.

Recordings and documents (agenda papers, minutes, other papers) alike: `kind` says
which. The row exists from "create" until the file is a RecordVersion (completed),
given up (aborted by its uploader or by abort_abandoned_uploads) or refused by the
verification of a document (failed, with why). A recording becomes a version when
its parts are assembled (the version then waits in "verifying"); a document only once
the task worker verified it (the upload waits in "verifying"), so that no unverified
document is ever a version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.records.models.record import RecordKind

SEALED_SUFFIX = "-sealed"


class UploadMode(models.TextChoices):
    S3 = "s3", _("Straight to object storage")
    APP = "app", _("Through the application")


class UploadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETING = "completing", _("Completing")
    VERIFYING = "verifying", _("Verifying")  # documents: stored, the task worker checks it
    COMPLETED = "completed", _("Completed")
    ABORTED = "aborted", _("Aborted")
    FAILED = "failed", _("Failed verification")  # documents: refused, the object deleted


class RecordingUploadQuerySet(models.QuerySet):
    def unfinished(self) -> "RecordingUploadQuerySet":
        return self.filter(status__in=[UploadStatus.OPEN, UploadStatus.COMPLETING])

    def abandoned(self, before) -> "RecordingUploadQuerySet":
        return self.unfinished().filter(updated_at__lt=before)


class RecordingUpload(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="recording_uploads",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=RecordKind.choices, default=RecordKind.RECORDING
    )
    title = models.CharField(_("title"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("declared size in bytes"))
    content_type = models.CharField(_("declared content type"), max_length=100)
    key = models.CharField(_("storage key"), max_length=255, unique=True)
    mode = models.CharField(_("mode"), max_length=8, choices=UploadMode.choices)
    upload_id = models.CharField(_("S3 upload id"), max_length=1024, blank=True)
    part_size = models.BigIntegerField(_("part size in bytes"))
    part_count = models.PositiveIntegerField(_("number of parts"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=UploadStatus.choices,
        default=UploadStatus.OPEN,
        db_index=True,
    )
    record = models.ForeignKey(
        "meetings.Record",
        verbose_name=_("record to add a version to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason for the new version"), blank=True)
    version = models.ForeignKey(
        "meetings.RecordVersion",
        verbose_name=_("version created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    failure = models.TextField(_("why verification refused the file"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecordingUploadQuerySet.as_manager()

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("recording upload")
        verbose_name_plural = _("recording uploads")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="recording_upload_size"),
            models.CheckConstraint(
                condition=Q(part_size__gt=0) & Q(part_count__gt=0),
                name="recording_upload_parts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_document(self) -> bool:
        return self.kind != RecordKind.RECORDING

    @property
    def single_put(self) -> bool:
        """A document in S3 mode goes up in one presigned PUT (bounded in size and type),
        not in multipart parts: it is at most RECORDS_MAX_DOCUMENT_BYTES."""
        return self.mode == UploadMode.S3 and self.is_document

    @property
    def stored_key(self) -> str:
        """Where the file is verified and kept. A single PUT's key has a presigned URL
        that stays valid for an hour: whoever holds it could replace the bytes after the
        checks. So that object is copied (inside the store) to a key no URL was ever
        signed for, and the copy is what is verified and becomes the version."""
        return self.key + SEALED_SUFFIX if self.single_put else self.key

    def expected_size(self, number: int) -> int:
        """Every part is part_size bytes, except the last, which holds the rest."""
        if number < self.part_count:
            return self.part_size
        return self.size - self.part_size * (self.part_count - 1)
