"""Checking the signatures of every PDF stored as a record version (issue 18).

When a PDF version is stored (archive.add_document_version: a form upload, a verified
chunked upload, a signed notice added by the conclusions), a task on the "records"
queue reads it back from storage and validates it (signatures.validation): intact or
changed after signing, who signed and when, whether the chain reaches a configured
trust root. The report is stored on the version as JSON and shown with it (the record
page's badge, the API's `signature`). A file over SIGNATURE_VALIDATION_MAX_BYTES is not
read ("invalid", too large): the check holds the file in memory.

The record's signature page checks again each time it is shown (`when_changed`): a file
changed in storage after its check, or trust roots the deployer changed since, give the
live verdict there, stored and audited when it differs.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from audit import trail
from meetings.records import storage as record_storage
from meetings.records.models import RecordStatus, RecordVersion
from signatures.report import INVALID, TOO_LARGE, SignatureReport
from signatures.validation import validate_pdf

logger = logging.getLogger(__name__)

PDF = "application/pdf"
# The records' queue and retry rhythm of meetings/records/verification.py, which cannot be
# imported here: it imports archive, which schedules these checks.
QUEUE = "records"
RETRY_AFTER = timedelta(minutes=5)
ATTEMPTS = 12
UNREADABLE_STATUSES = (RecordStatus.UPLOADING, RecordStatus.FAILED, RecordStatus.PURGED)


def needs_check(version: RecordVersion) -> bool:
    return version.content_type == PDF and version.status not in UNREADABLE_STATUSES


def schedule_signature_check(version: RecordVersion) -> None:
    """Enqueue the check of a PDF version once the current transaction commits."""
    if version.content_type != PDF:
        return
    version_id = version.pk
    transaction.on_commit(lambda: check_signature_task.enqueue(version_id))


def stored_report(version: RecordVersion) -> SignatureReport | None:
    """The report of the check made when the version was stored; None while it waits."""
    return SignatureReport.from_json(version.signature) if version.signature else None


def check_signature(
    version: RecordVersion, *, when_changed: bool = False
) -> SignatureReport | None:
    """Validate the version's PDF and store the report on it; None when there is nothing
    to check (not a PDF, no stored file). StorageUnavailable propagates.

    `when_changed` (the signature page, which checks again on every display): store and
    audit only a report that differs from the stored one, so that looking at a page
    leaves no trace unless what it found is new.

    Side effects: the version's `signature`; audit "record.signature_checked"."""
    if not needs_check(version):
        return None
    if version.size > settings.SIGNATURE_VALIDATION_MAX_BYTES:
        report = SignatureReport(status=INVALID, reason=TOO_LARGE)
    else:
        try:
            report = validate_pdf(b"".join(record_storage.open_chunks(version.key)))
        except record_storage.ObjectMissing:
            return None
    found = report.to_json()
    if when_changed and found == version.signature:
        return report
    signer = report.signer
    with transaction.atomic():
        if when_changed:
            # Two viewers may check at once: the row lock lets the second see the first's
            # report and leave no second audit entry for the same change.
            stored = (
                RecordVersion.objects.select_for_update()
                .filter(pk=version.pk)
                .values_list("signature", flat=True)
                .first()
            )
            if stored == found:
                version.signature = found
                return report
        RecordVersion.objects.filter(pk=version.pk).update(signature=found)
        trail.record(
            None,
            "record.signature_checked",
            version,
            {
                "status": report.status,
                "reason": report.reason,
                "signer": signer.signer_name if signer else "",
                "signatures": len(report.signatures),
            },
        )
    version.signature = found
    return report


@task(queue_name=QUEUE)
def check_signature_task(version_id: int, attempt: int = 1) -> str:
    """The report's status ("none": nothing to check); tried again later if storage is
    down, as the verifications are."""
    version = RecordVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "gone"
    try:
        report = check_signature(version)
    except record_storage.StorageUnavailable as error:
        if attempt >= ATTEMPTS:
            raise
        logger.warning("checking the signature of version %s: storage down: %s", version_id, error)
        check_signature_task.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
            version_id, attempt + 1
        )
        return "retrying"
    return report.status if report else "none"
