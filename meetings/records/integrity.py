"""Integrity and retention of stored records.

`verify` re-reads a version's object and compares its size and SHA-256 with what
was recorded at upload; `purge_expired` removes the files of versions older than
their kind's retention (RECORDS_RETENTION_DAYS), except under legal hold, and
keeps each version's row, marked purged, as the trace of what existed.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit import trail
from conferencing.instants import iso
from meetings.records import signals as record_signals
from meetings.records import storage as record_storage
from meetings.records.archive import PURGEABLE_STATUSES, STORED_STATUSES
from meetings.records.models import Record, RecordStatus, RecordVersion
from meetings.records.verification import digest

MISSING = "missing"
SIZE = "size"
SHA256 = "sha256"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Problem:
    version: RecordVersion
    kind: str  # MISSING, SIZE, SHA256 or UNAVAILABLE
    expected: str = ""
    found: str = ""


def stored_versions() -> QuerySet[RecordVersion]:
    """Every version whose object should be in storage, oldest first."""
    return (
        RecordVersion.objects.filter(status__in=STORED_STATUSES)
        .select_related("record__meeting")
        .order_by("pk")
    )


def verify(version: RecordVersion) -> Problem | None:
    """Read the object through and compare it with the version; None when it matches.

    A version still being verified has no SHA-256 yet: only its size is compared.
    """
    try:
        found = digest(version.key)
    except record_storage.ObjectMissing:
        return Problem(version, MISSING)
    except record_storage.StorageUnavailable as error:
        return Problem(version, UNAVAILABLE, found=str(error))
    if found.size != version.size:
        return Problem(version, SIZE, str(version.size), str(found.size))
    if version.sha256 and found.sha256 != version.sha256:
        return Problem(version, SHA256, version.sha256, found.sha256)
    return None


def verify_all(versions: QuerySet[RecordVersion]) -> Iterator[tuple[RecordVersion, Problem | None]]:
    for version in versions.iterator(chunk_size=200):
        yield version, verify(version)


def retention_days() -> dict[str, int | None]:
    return dict(settings.RECORDS_RETENTION_DAYS)


def expired_versions(now: datetime | None = None) -> QuerySet[RecordVersion]:
    """Versions past their kind's retention, and recordings that failed verification
    (bytes nobody may download), not under legal hold, not purged yet."""
    now = now or timezone.now()
    expired = Q(status=RecordStatus.FAILED)
    for kind, days in retention_days().items():
        if days:
            expired |= Q(record__kind=kind, uploaded_at__lt=now - timedelta(days=days))
    return (
        RecordVersion.objects.filter(expired, status__in=PURGEABLE_STATUSES)
        .exclude(record__legal_hold=True)
        .select_related("record")
        .order_by("pk")
    )


def purge(version: RecordVersion, now: datetime | None = None) -> bool:
    """Delete the version's object and mark it purged; False if it was held or purged meanwhile.

    One transaction per version; the record's row is locked first so a legal hold
    set at the same moment wins. If storage refuses the delete, nothing changes
    (StorageUnavailable propagates). Side effects: audit "record.purged".
    """
    now = now or timezone.now()
    with transaction.atomic():
        record = Record.objects.select_for_update().get(pk=version.record_id)
        locked = RecordVersion.objects.select_for_update().get(pk=version.pk)
        if record.legal_hold or locked.status not in PURGEABLE_STATUSES:
            return False
        record_storage.delete(locked.key)
        previous = locked.status
        locked.status = RecordStatus.PURGED
        locked.purged_at = now
        locked.save(update_fields=["status", "purged_at"])
        trail.record(
            None,
            "record.purged",
            locked,
            {
                "meeting": record.meeting_id,
                "record": record.pk,
                "kind": record.kind,
                "number": locked.number,
                "previous_status": previous,
                "uploaded_at": iso(locked.uploaded_at),
                "retention_days": retention_days().get(record.kind),
                "sha256": locked.sha256,
            },
        )
        record_signals.announce(record_signals.version_purged, locked.pk)
    return True
