from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Records of a session (documents, minutes, recordings). Its models keep the meetings
    app's label and tables (docs/architecture.md); as an app of its own it gives Django
    its models, commands and template tags to find."""

    name = "meetings.records"
    label = "records"
    verbose_name = _("Records")
