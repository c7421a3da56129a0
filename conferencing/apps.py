from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConferencingConfig(AppConfig):
    name = "conferencing"
    verbose_name = _("Conference network")

    def ready(self) -> None:
        from conferencing.permissions import grant_secretariat_permissions

        # Model permissions exist only after migrate has run, so the grant
        # follows it rather than living in a data migration.
        post_migrate.connect(grant_secretariat_permissions, sender=self)
