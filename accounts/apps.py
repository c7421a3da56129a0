from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from accounts.roles import ensure_role_groups

        # The data migration creates the groups once; this puts them back after a
        # database flush (test isolation), which migrations never see.
        post_migrate.connect(ensure_role_groups, sender=self)
