"""Indexing the whole archive again (`manage.py reindex_archive`): for an install that had
sessions and documents before the search, or an index to rebuild. Batched: memory and
transactions stay small whatever the archive's size."""

import logging
from collections.abc import Iterator

from meetings.models import Meeting
from meetings.records import archive
from meetings.records import storage as record_storage
from meetings.records.models import RecordVersion
from meetings.search import extraction, indexing
from meetings.search.models import EntryKind, SearchEntry

logger = logging.getLogger(__name__)
BATCH = 500


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def reindex_meetings() -> int:
    """Every session's entry written again; how many."""
    ids = list(Meeting.objects.order_by("pk").values_list("pk", flat=True))
    return sum(indexing.index_meetings(batch) for batch in _batches(ids))


def stored_documents():
    return RecordVersion.objects.filter(
        record__kind__in=archive.DOCUMENT_KINDS, status__in=archive.STORED_STATUSES
    ).order_by("pk")


def forget_gone_documents() -> int:
    """Entries of versions no longer stored (purged, failed) deleted; how many."""
    gone = SearchEntry.objects.filter(kind=EntryKind.DOCUMENT).exclude(
        version__in=stored_documents().values("pk")
    )
    return gone.delete()[0]


def enqueue_documents() -> int:
    """The extraction task enqueued for every stored document version; how many."""
    ids = list(stored_documents().values_list("pk", flat=True))
    for batch in _batches(ids):
        for version_id in batch:
            extraction.extract_document_text_task.enqueue(version_id)
    return len(ids)


def index_documents_now() -> tuple[int, int]:
    """Every stored document version indexed in this process (no worker needed); a
    version whose object cannot be read is logged and skipped. (indexed, skipped)."""
    done = skipped = 0
    ids = list(stored_documents().values_list("pk", flat=True))
    for batch in _batches(ids):
        for version in RecordVersion.objects.filter(pk__in=batch).select_related("record"):
            try:
                extraction.index_version(version)
            except (record_storage.ObjectMissing, record_storage.StorageUnavailable) as error:
                logger.warning("record version %s not indexed: %s", version.pk, error)
                skipped += 1
            else:
                done += 1
    return done, skipped
