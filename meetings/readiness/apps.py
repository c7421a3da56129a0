from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from meetings.events import meeting_changed


class ReadinessPagesConfig(AppConfig):
    """The readiness pages of a meeting (board, report, console) and their template tags;
    the rules are conferencing.readiness's and meetings.visibility's."""

    name = "meetings.readiness"
    label = "readiness_pages"
    verbose_name = _("Readiness pages")

    def ready(self) -> None:
        # The booking core announces changes and never imports its listeners: they
        # subscribe here. Imported in ready() because notice imports models.
        from meetings.readiness import notice

        meeting_changed.connect(notice.on_meeting_changed, dispatch_uid="readiness.notice")
