from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from meetings.events import meeting_changed
from meetings.records.signals import document_stored, version_purged


class SearchConfig(AppConfig):
    """The archive's search (sessions, documents, conclusions, tasks). Its model keeps the
    meetings app's label and tables (docs/architecture.md)."""

    name = "meetings.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The booking core and the records announce changes and never import their
        # listeners: they subscribe here. Imported in ready() because they import models.
        from meetings.search import receivers

        meeting_changed.connect(receivers.on_meeting_changed, dispatch_uid="search.meetings")
        document_stored.connect(receivers.on_document_stored, dispatch_uid="search.documents")
        version_purged.connect(receivers.on_version_purged, dispatch_uid="search.purged")
        # After every migrate (the test database's too): a later migration that rebuilds
        # the entries' table on SQLite drops its triggers (meetings.search.fulltext).
        post_migrate.connect(ensure_fulltext, sender=self, dispatch_uid="search.fulltext")


def ensure_fulltext(sender=None, using: str = "default", **kwargs) -> None:
    from meetings.search.fulltext import ensure_index

    ensure_index(connections[using])
