from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from meetings.events import meeting_changed, meeting_changing


class CalendarConfig(AppConfig):
    """Calendars: feeds, tokens, iCal, invitations. Its models keep the meetings app's
    label and tables (docs/architecture.md)."""

    name = "meetings.calendar"
    label = "calendar"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        # The booking core announces changes and never imports its listeners: they
        # subscribe here. Imported in ready() because they import models.
        from meetings.calendar import receivers

        meeting_changing.connect(receivers.on_meeting_changing, dispatch_uid="calendar.feeds")
        meeting_changed.connect(receivers.on_meeting_changed, dispatch_uid="calendar.invitations")
