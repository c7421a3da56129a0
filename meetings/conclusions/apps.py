from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConclusionsConfig(AppConfig):
    """The conclusion notice of a session and the tasks it assigns. A new subdomain with
    tables and migrations of its own (label `conclusions`): unlike records and calendar it
    was never part of the meetings app, so it has no data to keep under that label."""

    name = "meetings.conclusions"
    label = "conclusions"
    verbose_name = _("Conclusion notices")

    def ready(self) -> None:
        # Imported in ready() because notify imports models.
        from meetings.conclusions import notify, search_entries, signals

        signals.notice_published.connect(
            notify.on_notice_published, dispatch_uid="conclusions.notify"
        )
        signals.notice_published.connect(
            search_entries.on_notice_published, dispatch_uid="conclusions.search"
        )
