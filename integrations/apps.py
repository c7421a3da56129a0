from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Events pushed to other systems (webhooks). At the top of the apps: it listens to
    meetings, records and conferencing, and nothing but config imports it."""

    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from integrations import receivers

        receivers.connect()
