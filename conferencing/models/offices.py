from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conferencing.models.sites import code_validator


class OfficeQuerySet(models.QuerySet):
    def active(self) -> "OfficeQuerySet":
        return self.filter(is_active=True)


class Office(models.Model):
    """An organising office (đơn vị tổ chức): it books the sessions of its jurisdiction,
    one node of the site tree (the root for the central office, a province, a commune).
    Several offices may share a jurisdiction; its members are its secretariat staff."""

    code = models.CharField(
        _("short code"),
        max_length=32,
        unique=True,
        validators=[code_validator],
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    jurisdiction = models.ForeignKey(
        "conferencing.Endpoint",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="offices",
        help_text=_("The site whose subtree the office books and manages."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretariat staff"),
        blank=True,
        related_name="offices",
    )
    # An office with one secretary may approve the minutes it submitted itself; otherwise
    # the person who submits a document for approval cannot approve it (four eyes).
    single_secretary = models.BooleanField(
        _("single secretary"),
        default=False,
        db_default=False,
        help_text=_("The office has a single secretary, who may approve what they submitted."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_central(self) -> bool:
        """The office whose jurisdiction is a root of the tree: the nation."""
        return self.jurisdiction.parent_id is None
