"""The search index's part of every change: it listens to meetings.events and to the
records' signals, after the commit, and the core imports none of this.

A booking change indexes its sessions again at once (a few rows written, the entries'
text from one read of the sessions and their sites): a session is found by its new
title the moment the change is visible. A stored document version enqueues the
extraction of its text (meetings.search.extraction); a purged one leaves the index.
"""

from django.db import transaction

from meetings.events import MeetingChange
from meetings.search import extraction, indexing


def on_meeting_changed(sender: type, change: MeetingChange, **kwargs: object) -> None:
    indexing.index_meetings(change.meeting_ids)


def on_document_stored(sender: object, version_id: int, **kwargs: object) -> None:
    # Called after the version's commit; on_commit is a no-op outside a transaction and
    # defers to the end of one a caller may still hold.
    transaction.on_commit(lambda: extraction.extract_document_text_task.enqueue(version_id))


def on_version_purged(sender: object, version_id: int, **kwargs: object) -> None:
    indexing.remove_document(version_id)
