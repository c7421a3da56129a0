"""What the records announce once committed, for listeners above them (webhooks, the
archive's search): minutes published (four-eyes approval), a recording verified, a
document version stored (its text can be indexed) and a version purged (its text must
leave the index). The payload is ids only."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

minutes_published = Signal()
recording_verified = Signal()
document_stored = Signal()
version_purged = Signal()


def announce(signal: Signal, version_id: int) -> None:
    """Send the signal with the version's id once the current transaction commits; each
    listener on its own, its failure logged (the record's change stands)."""

    def tell() -> None:
        for receiver, outcome in signal.send_robust(sender=None, version_id=version_id):
            if isinstance(outcome, Exception):
                logger.error(
                    "%r failed on record version %s", receiver, version_id, exc_info=outcome
                )

    transaction.on_commit(tell, robust=True)
