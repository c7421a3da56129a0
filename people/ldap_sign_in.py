"""Sign-in with the password of an LDAP directory or Active Directory (django-auth-ldap).

In AUTHENTICATION_BACKENDS when LDAP_SERVER_URI is set, after axes (which counts and
locks out directory sign-ins like any other) and the local accounts. At each sign-in:

1. bind as the service account (LDAP_BIND_DN), find the person with LDAP_USER_FILTER
   under LDAP_USER_SEARCH_BASE (exactly one entry, else refused: a person removed from
   the directory is no longer found), bind as them with the password typed;
2. read, as the service account, their groups (groupOfNames under
   LDAP_GROUP_SEARCH_BASE whose `member` is them; a group's name is its cn) and whether
   they match LDAP_DISABLED_FILTER (refused: "disabled in the directory");
3. refuse them if no directory rule maps one of their groups (people.directory);
4. in one transaction: find or make the local account, make its local password unusable
   (a person the directory drops cannot come back with an old local password), and make
   it what the directory says (people.directory.sync_person: name, e-mail, phone, unit,
   role, offices and, with LDAP_SITES_ATTRIBUTE, sites; changes audited).

Every network call happens before the transaction, each bounded by LDAP_TIMEOUT. When the
directory cannot be reached or refuses the service account, the sign-in page says so
(accounts.sign_in.refuse) instead of "wrong password". A local account that has a
usable password of its own (a break-glass superuser, a person invited to set one) is
never taken over by a directory entry of the same name.
"""

import logging
import re
from typing import Any

import ldap
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch, LDAPSettings

from accounts.backends import active_user_with_person
from accounts.models import Person, Source
from accounts.sign_in import refuse
from people import directory

logger = logging.getLogger(__name__)

SITE_CODE_SEPARATORS = re.compile(r"[,;]")


class DirectorySettings(LDAPSettings):
    """django-auth-ldap's settings object, filled from this project's LDAP_* settings
    (read when a sign-in begins, so a changed setting applies to the next one)."""

    def __init__(self) -> None:
        self._prefix = "LDAP_"
        values = dict(self.defaults)
        options: dict[int, Any] = {
            ldap.OPT_NETWORK_TIMEOUT: settings.LDAP_TIMEOUT,
            ldap.OPT_TIMEOUT: settings.LDAP_TIMEOUT,
            # Active Directory answers searches of its root with referrals that libldap
            # would follow anonymously (and hang on).
            ldap.OPT_REFERRALS: 0,
        }
        if settings.LDAP_TLS_CA_FILE:
            options[ldap.OPT_X_TLS_CACERTFILE] = settings.LDAP_TLS_CA_FILE
            options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
            options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above
        values.update(
            SERVER_URI=settings.LDAP_SERVER_URI,
            BIND_DN=settings.LDAP_BIND_DN,
            BIND_PASSWORD=settings.LDAP_BIND_PASSWORD,
            START_TLS=settings.LDAP_START_TLS,
            CONNECTION_OPTIONS=options,
            USER_SEARCH=LDAPSearch(
                settings.LDAP_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_USER_FILTER
            ),
            GROUP_SEARCH=LDAPSearch(
                settings.LDAP_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_GROUP_FILTER
            ),
            GROUP_TYPE=GroupOfNamesType(name_attr="cn"),
            # The account is written here (get_or_build_user), in one transaction.
            ALWAYS_UPDATE_USER=False,
            USER_ATTR_MAP={},
        )
        for name, value in values.items():
            setattr(self, name, value)


class DirectoryBackend(LDAPBackend):
    request: HttpRequest | None = None

    @property
    def settings(self) -> DirectorySettings:  # type: ignore[override]
        # Django makes a backend for each authenticate(): this is read once per sign-in.
        if self._settings is None:
            self._settings = DirectorySettings()
        return self._settings

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if not settings.LDAP_SERVER_URI:
            return None
        self.request = request
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        """As accounts.backends.PersonModelBackend: the person comes with the account (every
        page's header shows the full name), and no directory call per request."""
        return active_user_with_person(user_id)

    def get_group_permissions(self, user: Any, obj: Any = None) -> set[str]:
        # Roles are Django groups, which the model backend answers for.
        return set()

    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[Any, bool]:
        """Called by django-auth-ldap once the directory accepted the password: steps 2 to 4
        of the module docstring. Returns the saved account ("not built": nothing is left
        for django-auth-ldap to save), or raises AuthenticationFailed to refuse."""
        request = self.request
        found = read_person(ldap_user)
        if is_disabled(ldap_user):
            refuse(
                request,
                "directory_disabled",
                _(
                    "This account is disabled in the directory. Ask your directory "
                    "administrator to enable it."
                ),
            )
            raise ldap_user.AuthenticationFailed("disabled in the directory")
        if not directory.matched_rules(found):
            refuse(
                request,
                "directory_no_rule",
                _(
                    "Your directory account is in no group that gives access to Giao Ban. "
                    "Ask your directory administrator to add you to one."
                ),
            )
            raise ldap_user.AuthenticationFailed("no directory rule matches its groups")
        model = get_user_model()
        with transaction.atomic():
            user = (
                model._default_manager.select_for_update()
                .filter(**{f"{model.USERNAME_FIELD}__iexact": username})
                .first()
            )
            if user is None:
                user = model(**{model.USERNAME_FIELD: username.lower()})
                user.set_unusable_password()
                user.save()
            elif not user.is_active:
                raise ldap_user.AuthenticationFailed("the local account is deactivated")
            elif user.has_usable_password():
                source = Person.objects.filter(user=user).values_list("source", flat=True).first()
                if source != Source.LDAP:
                    logger.warning(
                        "LDAP sign-in of %s refused: a local account of that name has its "
                        "own password",
                        username,
                    )
                    raise ldap_user.AuthenticationFailed("a local account has that name")
                user.set_unusable_password()
                user.save(update_fields=["password"])
            if not directory.sync_person(user, found):
                raise ldap_user.AuthenticationFailed("no directory rule matches its groups")
        return user, False


def _first(attrs: dict[str, list[str]], name: str) -> str:
    if not name:
        return ""
    values = attrs.get(name) or []
    return values[0].strip() if values else ""


def read_person(ldap_user: Any) -> directory.DirectoryPerson:
    """What the directory says of the person just authenticated (their groups are read
    here, over the service account's connection)."""
    attrs = ldap_user.attrs or {}
    site_codes = None
    if settings.LDAP_SITES_ATTRIBUTE:
        site_codes = sorted(
            {
                code.strip()
                for value in attrs.get(settings.LDAP_SITES_ATTRIBUTE) or []
                for code in SITE_CODE_SEPARATORS.split(value)
                if code.strip()
            }
        )
    return directory.DirectoryPerson(
        source=Source.LDAP,
        full_name=_first(attrs, settings.LDAP_FULL_NAME_ATTRIBUTE),
        email=_first(attrs, settings.LDAP_EMAIL_ATTRIBUTE),
        phone=_first(attrs, settings.LDAP_PHONE_ATTRIBUTE),
        unit=_first(attrs, settings.LDAP_UNIT_ATTRIBUTE),
        groups=sorted(ldap_user.group_names),
        site_codes=site_codes,
    )


def is_disabled(ldap_user: Any) -> bool:
    """Whether the person's entry matches LDAP_DISABLED_FILTER (one base search)."""
    if not settings.LDAP_DISABLED_FILTER:
        return False
    found = ldap_user.connection.search_s(
        ldap_user.dn, ldap.SCOPE_BASE, settings.LDAP_DISABLED_FILTER, ["1.1"]
    )
    return bool([dn for dn, _attrs in found if dn is not None])


def directory_unavailable(
    sender: Any, context: str, user: Any, request: HttpRequest | None, exception: Exception, **kw
) -> None:
    """Receiver of django-auth-ldap's `ldap_error`: the directory could not be reached, or
    refused the service account or a search. The person is told; the log says which."""
    logger.error("LDAP sign-in failed (%s): %r", context, exception)
    refuse(
        request,
        "directory_unavailable",
        _(
            "Sign-in with a directory account is not possible right now: the directory "
            "server does not answer. Try again in a few minutes; if it goes on, tell the "
            "system administrator."
        ),
    )


ldap_error.connect(directory_unavailable, sender=DirectoryBackend, dispatch_uid=__name__)
