from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("Working days")

    def ready(self) -> None:
        from workdays import revision

        revision.connect_signals()
