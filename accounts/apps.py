from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from accounts import second_factor, sessions
        from accounts.people_records import keep_person
        from accounts.roles import ensure_role_groups
        from accounts.sign_in import record_failure, record_lockout, record_success

        # After axes' own receivers (axes comes first in INSTALLED_APPS), so the request
        # already carries the address and lockout state axes worked out.
        user_login_failed.connect(record_failure, dispatch_uid="accounts.sign_in.failure")
        user_locked_out.connect(record_lockout, dispatch_uid="accounts.sign_in.lockout")
        user_logged_in.connect(sessions.remember, dispatch_uid="accounts.sessions.remember")
        user_logged_in.connect(record_success, dispatch_uid="accounts.sign_in.success")
        user_logged_in.connect(
            second_factor.mark_enrolled_at_sign_in, dispatch_uid="accounts.second_factor"
        )
        user_logged_out.connect(sessions.forget, dispatch_uid="accounts.sessions.forget")
        post_save.connect(
            keep_person, sender=get_user_model(), dispatch_uid="accounts.people_records"
        )

        # The data migration creates the groups once; this puts them back after a
        # database flush (test isolation), which migrations never see.
        post_migrate.connect(ensure_role_groups, sender=self)
        post_migrate.connect(
            keep_search_indexes, sender=self, dispatch_uid="accounts.folded_search"
        )


def keep_search_indexes(using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: put the
    search mirrors' triggers back (accounts.folded_search)."""
    from django.db import connections

    from accounts.folded_search import ensure_indexes

    ensure_indexes(connections[using])
