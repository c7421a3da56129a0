from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLE_LABELS, Role


class DirectorySource(models.TextChoices):
    ANY = "any", _("LDAP and OpenID Connect")
    LDAP = "ldap", _("LDAP")
    OIDC = "oidc", _("OpenID Connect")


class DirectoryRule(models.Model):
    """One line of the mapping from a directory group (LDAP group cn, a value of the
    OpenID Connect `groups` claim) to a role and an office. Data the superuser edits;
    while there is none, DIRECTORY_RULES from the environment is the mapping
    (people.directory.rules)."""

    source = models.CharField(
        _("directory"), max_length=8, choices=DirectorySource.choices, default=DirectorySource.ANY
    )
    group = models.CharField(_("directory group"), max_length=200)
    role = models.CharField(
        _("role"),
        max_length=32,
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        blank=True,
    )
    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("directory group rule")
        verbose_name_plural = _("directory group rules")
        ordering = ["source", "group"]
        constraints = [
            models.UniqueConstraint(fields=["source", "group"], name="one_rule_per_group"),
            models.CheckConstraint(
                condition=~models.Q(role="") | models.Q(office__isnull=False),
                name="rule_gives_a_role_or_an_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.role or '—'} / {self.office_id or '—'}"

    @property
    def role_value(self) -> Role | None:
        return Role(self.role) if self.role else None


class Invitation(models.Model):
    """A one-time link e-mailed to a new person to set their password. Only the SHA-256
    of the link's token is kept; a later invitation of the same person voids this one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"
