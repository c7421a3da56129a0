"""What the records announce once committed, for listeners above them (webhooks): minutes
published (four-eyes approval) and a recording verified. The payload is ids only."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

minutes_published = Signal()
recording_verified = Signal()


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
