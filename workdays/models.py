"""The days the Government announces off or working, beside the public holidays."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnnouncedKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Make-up working day")


class AnnouncedDayQuerySet(models.QuerySet):
    def in_year(self, year: int) -> "AnnouncedDayQuerySet":
        return self.filter(day__year=year)


class AnnouncedDay(models.Model):
    """A day the Government announced off (a bridge day) or working (a make-up Saturday);
    it wins over the holidays package and the weekend."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AnnouncedKind.choices)
    name = models.CharField(_("reason"), max_length=200)
    decision = models.CharField(_("decision reference"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AnnouncedDayQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("announced day")
        verbose_name_plural = _("announced days")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class CalendarRevision(models.Model):
    """One row whose token changes with every announced day written: each process
    compares it with the token its cached years were built under. A random token, not a
    counter, so that a rolled-back change can never come back under a number later
    reused by another change."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("calendar revision")

    def __str__(self) -> str:
        return self.token
