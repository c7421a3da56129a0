"""Password reset by e-mail, on Django's views and token generator.

No answer tells whether an address has an account: the page says the same for every
address, and does the same work (accounts.password_reset_queue queues one task after
commit, whatever the address), so its timing does not tell either. The task writes to
each active account with that address: a local account gets a link (valid PASSWORD_RESET_TIMEOUT,
once: Django's token dies with the password it reset); a directory account (LDAP, OpenID
Connect) is told to change its password in the directory, since a password set here
would never be asked. Links are built on SITE_URL, never on the request's Host header.
"""

import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import hourly_counts, sessions, sign_in
from accounts.models import Source
from accounts.names import full_name
from accounts.token_digest import digest
from audit import trail


def _same_address(a: str, b: str) -> bool:
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


def accounts_for(email: str) -> list[AbstractBaseUser]:
    """The active accounts with this address (case and Unicode forms aside)."""
    model = get_user_model()
    field = model.get_email_field_name()
    found = (
        model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        .select_related("person")
        .order_by("pk")
    )
    return [user for user in found if _same_address(email, getattr(user, field))]


def link_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


def reset_link(user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def message_for(user: AbstractBaseUser) -> EmailMessage | None:
    """The e-mail this account gets, in the site's language; None for a local account
    whose password was made unusable (it signs in by no password here)."""
    source = user.person.source
    context = {
        "name": full_name(user),
        "username": user.get_username(),
        "minutes": link_minutes(),
    }
    if source == Source.LOCAL:
        if not user.has_usable_password():
            return None
        template = "registration/password_reset_email.txt"
        context["link"] = reset_link(user)
    else:
        template = "registration/password_reset_directory_email.txt"
    with translation.override(settings.LANGUAGE_CODE):
        context["directory"] = str(Source(source).label)
        subject = render_to_string("registration/password_reset_subject.txt", context)
        body = render_to_string(template, context)
    return EmailMessage("".join(subject.splitlines()), body, to=[user.email])


def send(email: str, address: str | None) -> int:
    """E-mail every active account with this address (the task's work); how many. At
    most PASSWORD_RESET_EMAILS_PER_HOUR to one address: anyone may ask for a reset for
    any address, and must not be able to fill a mailbox with them. The page answers the
    same either way (it queues this task for any address).

    Side effects: `password.reset_requested` in the audit trail for each account written
    to; `password.reset_limited` (no account named, nothing sent) over the limit.
    """
    counted, _wait = hourly_counts.count(
        f"reset:{digest(email.strip().casefold())}", timezone.now()
    )
    if counted > settings.PASSWORD_RESET_EMAILS_PER_HOUR:
        trail.record_about(None, "password.reset_limited", "auth.user", "", {"ip_address": address})
        return 0
    messages = []
    for user in accounts_for(email):
        message = message_for(user)
        if message is None:
            continue
        messages.append(message)
        trail.record(
            None,
            "password.reset_requested",
            user,
            {"ip_address": address, "source": user.person.source},
        )
    if messages:
        with mailers.default as connection:
            connection.send_messages(messages)
    return len(messages)


def completed(user: AbstractBaseUser, address: str | None) -> None:
    """After the new password is saved: every session of the account ends (whoever held
    one held it with the old password), its sign-in lockouts are lifted (the link proved
    the mailbox) and the reset is audited. Call inside the transaction that saved it."""
    sessions.end_sessions(user)
    sign_in.unlock(None, user.get_username(), None, via="password_reset")
    trail.record(user, "password.reset", user, {"ip_address": address})
