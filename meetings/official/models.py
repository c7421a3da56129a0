"""Numbers given to official documents, and each office's template text.

The models keep the meetings app's label, tables and migrations (docs/architecture.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation letter")
    CONCLUSION = "conclusion", _("Conclusion notice")


class DocumentCounter(models.Model):
    """The last number given per office, kind and year: the row allocation locks, so two
    allocations at once wait for each other and never take the same number."""

    office = models.ForeignKey("conferencing.Office", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "meetings"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year"], name="official_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.kind}/{self.year}: {self.last}"


class DocumentNumber(models.Model):
    """One number given: kept even when its document is abandoned, so it is never reused."""

    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="document_numbers",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    allocated_at = models.DateTimeField(_("allocated at"), auto_now_add=True)

    class Meta:
        app_label = "meetings"
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        ordering = ["office", "kind", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "number"], name="official_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.kind}/{self.year}"


class DocumentTemplate(models.Model):
    """An office's own wording of one kind of document; without a row, the defaults of
    meetings.official.templates apply."""

    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="document_templates",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    place = models.CharField(
        _("place"), max_length=100, help_text=_("Where the document is issued, e.g. Hà Nội.")
    )
    parent_name = models.CharField(
        _("governing body"),
        max_length=200,
        blank=True,
        help_text=_("The body above the office, printed above its name (may be empty)."),
    )
    signer_position = models.CharField(_("signer's position"), max_length=200)
    signer_name = models.CharField(_("signer's name"), max_length=200)
    recipients = models.TextField(
        _("recipients"), help_text=_("One recipient per line, as listed under “Nơi nhận”.")
    )
    opening = models.TextField(_("opening text"))
    closing = models.TextField(_("closing text"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        app_label = "meetings"
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="official_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.kind}"

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
