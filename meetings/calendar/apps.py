from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    """Calendars: feeds, tokens, iCal, invitations. Its models keep the meetings app's
    label and tables (docs/architecture.md)."""

    name = "meetings.calendar"
    label = "calendar"
    verbose_name = _("Calendar")
