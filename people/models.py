from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLE_LABELS, Role
from conferencing.models import ImportJob, office_field, uploader_field


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


class PeopleImportJob(ImportJob):
    """An uploaded CSV or XLSX file of people, imported in the background
    (people.import_jobs): the bytes are kept so the worker needs only the job id."""

    created_by = uploader_field(related_name="people_import_jobs")
    # The office the import acts for: its rows must name offices inside that office's
    # jurisdiction, and a row without an office code joins it. Null for the superuser's.
    office = office_field(related_name="people_import_jobs")
    invalid_count = models.PositiveIntegerField(_("invalid"), default=0)
    # The refused rows as the file gave them, for the bad-rows download:
    # {"columns": [...], "rows": [{"line": n, "cells": [...], "reason": "..."}]}.
    bad_rows = models.JSONField(_("refused rows"), default=dict, blank=True)

    class Meta(ImportJob.Meta):
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    READ_WRITE = "read_write", _("read and write")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now) -> "ApiTokenQuerySet":
        """Not revoked and not expired at `now`."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A person's (or a service account's) API token. Only a short public prefix (for
    the lookup) and the SHA-256 of the whole token are kept: the token itself is shown
    once, when made (people.api_tokens). It acts for one of its owner's offices, or for
    none; a read-only token is refused every unsafe method."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    office = models.ForeignKey(
        "conferencing.Office",
        verbose_name=_("acts for the office"),
        # An office removed outright leaves its tokens acting for no office (as one the
        # owner has left does): they read what their owner reads and book nothing.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(
        _("scope"), max_length=16, choices=TokenScope.choices, default=TokenScope.READ
    )
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ
