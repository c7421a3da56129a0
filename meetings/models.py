import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts import folded_search
from accounts.folding import fold
from conferencing.models import Leg, LegRole


def new_uid() -> str:
    """A calendar identity that never changes, whatever happens to the meeting."""
    return f"{uuid.uuid4()}@giaoban"


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class OffDayPolicy(models.TextChoices):
    """What a series does with an occurrence that falls on a day off (a weekend, a public
    holiday, an announced day off): book it anyway, leave it out, or book it on the next
    working day at the same time."""

    KEEP = "keep", _("Keep it on the day off")
    SKIP = "skip", _("Skip it")
    MOVE = "move", _("Move it to the next working day")


class AttendeeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class Series(models.Model):
    """A recurring session: its rule, and the occurrences materialised as meetings."""

    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=new_uid)
    rrule = models.CharField(_("recurrence rule"), max_length=500)
    first_start = models.DateTimeField(_("first occurrence"))
    off_days = models.CharField(
        _("occurrences on a day off"),
        max_length=8,
        choices=OffDayPolicy.choices,
        default=OffDayPolicy.KEEP,
        db_default=OffDayPolicy.KEEP,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return f"{self.rrule} from {self.first_start:%Y-%m-%d}"


class MeetingQuerySet(folded_search.SearchKeyedQuerySet):
    def scheduled(self) -> "MeetingQuerySet":
        return self.filter(status=MeetingStatus.SCHEDULED)

    def upcoming(self, now) -> "MeetingQuerySet":
        return self.filter(conference__end__gt=now)

    def for_endpoint(self, endpoint) -> "MeetingQuerySet":
        return self.filter(conference__legs__endpoint=endpoint)

    def with_summary(self) -> "MeetingQuerySet":
        """What every list of meetings shows (the web's agenda and week, the API's lists):
        the conference, the host site's code, name and level, the number of sites; in
        start order, one query whatever the number of meetings."""
        legs = Leg.objects.filter(conference=OuterRef("conference_id"))
        host = legs.filter(role=LegRole.HOST)
        site_count = legs.order_by().values("conference").annotate(count=Count("pk"))
        return (
            self.select_related("conference")
            .annotate(
                host_code=Subquery(host.values("endpoint__code")[:1]),
                host_name=Subquery(host.values("endpoint__name")[:1]),
                host_level=Subquery(host.values("endpoint__level")[:1]),
                site_count=Coalesce(
                    Subquery(site_count.values("count")), 0, output_field=IntegerField()
                ),
            )
            .order_by("conference__start", "pk")
        )


class Meeting(models.Model):
    """The administrative side of a session: what it is, who organises and attends it."""

    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    title = models.CharField(_("title"), max_length=300)
    agenda = models.TextField(_("agenda"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    # The office that booked it and alone changes it (meetings.visibility).
    owner_office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("owning office"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    organising_unit = models.CharField(_("organising unit"), max_length=200, blank=True)
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.INTERNAL,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    conference = models.OneToOneField(
        "conferencing.Conference",
        verbose_name=_("conference"),
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    # The start the series rule gave this occurrence (RECURRENCE-ID), kept when it moves.
    occurrence_start = models.DateTimeField(_("original occurrence start"), null=True, blank=True)
    # fold(title, organising unit): what meeting search matches (accounts.folded_search).
    search_key = models.CharField(max_length=600, blank=True, editable=False, db_default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_start"], name="meeting_one_per_occurrence"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_key = self.folded_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def folded_search_key(self) -> str:
        return meeting_search_key(self.title, self.organising_unit)


def meeting_search_key(title: str, organising_unit: str) -> str:
    return fold(" ".join([title, organising_unit]))[:600]


class Attendee(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AttendeeRole.choices, default=AttendeeRole.MEMBER
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendee_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"
