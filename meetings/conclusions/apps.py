from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConclusionsConfig(AppConfig):
    """The conclusion notice of a session and the tasks it assigns. A new subdomain with
    tables and migrations of its own (label `conclusions`): unlike records and calendar it
    was never part of the meetings app, so it has no data to keep under that label."""

    name = "meetings.conclusions"
    label = "conclusions"
    verbose_name = _("Conclusion notices")
