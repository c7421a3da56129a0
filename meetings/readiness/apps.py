from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessPagesConfig(AppConfig):
    """The readiness pages of a meeting (board, report, console) and their template tags;
    the rules are conferencing.readiness's and meetings.visibility's."""

    name = "meetings.readiness"
    label = "readiness_pages"
    verbose_name = _("Readiness pages")
