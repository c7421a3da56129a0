from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialConfig(AppConfig):
    """Official documents: templates, numbering, PDF rendering. Its models keep the meetings
    app's label and tables (docs/architecture.md), like records and calendar."""

    name = "meetings.official"
    label = "official"
    verbose_name = _("Official documents")
