"""Calendar subscriptions and preferences: feed tokens, who wants invitations, who got one.

The calendar subdomain's models (meetings/calendar/, docs/architecture.md): they keep the
meetings app's label, tables and migrations.
A feed token is stored only as its SHA-256; the token itself is shown once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedKind(models.TextChoices):
    PERSONAL = "personal", _("My sessions")
    SITE = "site", _("One conference site")
    ORGANISATION = "organisation", _("Sessions of my office (secretariat)")


class FeedTokenQuerySet(models.QuerySet):
    def active(self) -> "FeedTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class FeedToken(models.Model):
    """The secret of one calendar subscription URL: who, what it shows, its life."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    kind = models.CharField(_("feed"), max_length=16, choices=FeedKind.choices)
    endpoint = models.ForeignKey(
        "conferencing.Endpoint",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The site of a site feed."),
    )
    province = models.ForeignKey(
        "conferencing.Endpoint",
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("An organisation feed shows only sessions with a site in this subtree."),
    )
    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The office an organisation feed acts for: it shows the sessions that office sees."
        ),
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        help_text=_("An organisation feed shows only sessions with a site at this level."),
    )
    without_invitations = models.BooleanField(
        _("without the sessions invited to by e-mail"),
        default=False,
        help_text=_(
            "A personal feed leaves out the sessions its owner receives invitations for "
            "by e-mail (while they receive them), so each session arrives once."
        ),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # The feed's validator (meetings.calendar.feeds.validator), kept here so that every process
    # answers the same ETag and Last-Modified: `validator_basis` names the change stamp
    # and the day it was computed for, `validator_since` is when this ETag first appeared.
    validator_etag = models.CharField(_("validator"), max_length=32, blank=True, default="")
    validator_basis = models.CharField(_("validator basis"), max_length=64, blank=True, default="")
    validator_since = models.DateTimeField(_("validator since"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="site") | Q(endpoint__isnull=False),
                name="feed_token_site_has_endpoint",
            ),
            # Revoked organisation feeds of users without an office (migration 0010) keep
            # no office; an active one always acts for one.
            models.CheckConstraint(
                condition=~Q(kind="organisation", revoked_at__isnull=True)
                | Q(office__isnull=False),
                name="feed_token_organisation_has_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · #{self.pk}"


class FeedsStamp(models.Model):
    """One row whose `generation` every booking change raises in its own transaction
    (meetings.calendar.receivers): a feed's validator computed under an older generation is
    stale, whichever process made the change. Read by primary key: one indexed read per
    conditional request."""

    generation = models.PositiveBigIntegerField(_("generation"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("calendar change stamp")
        verbose_name_plural = _("calendar change stamps")

    def __str__(self) -> str:
        return f"#{self.generation} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class CalendarPreference(models.Model):
    """Whether a user wants invitations by e-mail, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_preference",
    )
    receive_invitations = models.BooleanField(_("receive invitations by e-mail"), default=True)
    language = models.CharField(
        _("language of e-mails and feeds"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the site's default language."),
    )

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("calendar preference")
        verbose_name_plural = _("calendar preferences")

    def __str__(self) -> str:
        return str(self.user)


class Answer(models.TextChoices):
    """A recipient's answer to an invitation (its accept / decline links,
    meetings.calendar.answers); "" while they have not answered."""

    NONE = "", _("No answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TENTATIVE = "tentative", _("Tentative")


class SentInvitation(models.Model):
    """Who holds a calendar object (a meeting's or a series' UID) from our e-mails,
    and what they answered.

    Lets an update tell the people who dropped out (a site removed from the
    session) that the event is cancelled for them, instead of leaving it behind,
    and the owning office see the expected attendance.
    """

    uid = models.CharField(_("calendar UID"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("revision"))
    method = models.CharField(_("method"), max_length=8)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answer = models.CharField(
        _("answer"), max_length=16, choices=Answer.choices, blank=True, default=Answer.NONE
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("sent invitation")
        verbose_name_plural = _("sent invitations")
        constraints = [
            models.UniqueConstraint(fields=["uid", "user"], name="sent_invitation_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.uid} → {self.user_id} ({self.sequence})"
