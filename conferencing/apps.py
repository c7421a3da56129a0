from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConferencingConfig(AppConfig):
    name = "conferencing"
    verbose_name = _("Conference network")

    def ready(self) -> None:
        from conferencing.permissions import withdraw_secretariat_admin_permissions

        # Model permissions exist only after migrate has run, so the withdrawal
        # follows it rather than living in a data migration.
        post_migrate.connect(withdraw_secretariat_admin_permissions, sender=self)
