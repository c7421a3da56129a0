"""An upload imported in the background: the abstract ImportJob every import job shares
(people.PeopleImportJob too), and EndpointImportJob, a secretariat's CSV of sites.

The uploaded bytes are kept on the job so the worker needs nothing but the job
id, and so what was imported can be looked at afterwards.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJobQuerySet(models.QuerySet):
    def without_data(self) -> "ImportJobQuerySet":
        """Everything but the uploaded bytes (up to several MB a job)."""
        return self.defer("data")

    def recent(self) -> "ImportJobQuerySet":
        return self.order_by("-created_at", "-pk")


def uploader_field(related_name: str) -> models.ForeignKey:
    """A concrete import job's `created_by` (each job model names its own reverse)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def office_field(related_name: str) -> models.ForeignKey:
    """A concrete import job's `office`, the office it acts for (null: the superuser's)."""
    return models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


class ImportJob(models.Model):
    """What every background import job has (this one of sites, people.PeopleImportJob
    of people): the upload, its status and progress, and the outcome's common counts.
    A concrete job adds its uploader and office (uploader_field, office_field: each
    with its own related_name) and its own counts."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("uploaded file"))
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    # The uploader's language: the worker writes row errors in it.
    language = models.CharField(_("language"), max_length=16, default="vi")
    status = models.CharField(
        _("status"), max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("total rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    written = models.BooleanField(_("written"), default=False)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ImportJobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class EndpointImportJob(ImportJob):
    created_by = uploader_field(related_name="endpoint_import_jobs")
    # The office the import acts for: its rows must lie in that office's jurisdiction
    # (conferencing.jurisdiction.import_scope). Null for a superuser's import (anywhere)
    # and for jobs made before offices existed, which then write nowhere unless their
    # user is a superuser.
    office = office_field(related_name="endpoint_import_jobs")
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)

    class Meta(ImportJob.Meta):
        verbose_name = _("site import")
        verbose_name_plural = _("site imports")
