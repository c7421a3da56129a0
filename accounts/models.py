from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.folding import fold


class Source(models.TextChoices):
    LOCAL = "local", _("local account")
    LDAP = "ldap", _("directory (LDAP)")
    OIDC = "oidc", _("single sign-on (OpenID Connect)")
    # An office's account for an integration: no password, signs in only with its tokens.
    SERVICE = "service", _("service account")


class Person(models.Model):
    """What the system knows of a person beyond Django's account: the full name as
    Vietnamese people write it (họ và tên, family name first, one field: never split
    and reversed), the phone and unit the directory gives, and where the account
    comes from. Every user has one (accounts.people_records makes it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="person",
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.LOCAL
    )
    # When every session and socket of the account was last ended (sign out everywhere,
    # deactivation): sockets opened before it close (conferencing.account_watch).
    sessions_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    # fold(full name, username, e-mail): what people search ignoring case and marks.
    search_key = models.CharField(max_length=600, blank=True, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or str(self.user_id)

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key", "updated_at"}
        super().save(*args, **kwargs)

    def refresh_search_key(self) -> None:
        user = self.user
        self.search_key = fold(" ".join([self.full_name, user.get_username(), user.email]))[:600]


class SignedInSession(models.Model):
    """One browser session a person signed in with, so that "sign out everywhere" and
    deactivation can end them all without reading every session in the store."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
    )
    session_key = models.CharField(max_length=64, unique=True)
    signed_in_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.signed_in_at:%Y-%m-%d %H:%M}"
