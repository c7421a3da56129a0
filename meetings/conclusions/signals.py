"""What the conclusions announce once committed, for listeners (the offices' e-mail, the
webhooks): a notice published. The payload is its id only."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

notice_published = Signal()


def announce_published(notice_id: int) -> None:
    """Send `notice_published` once the current transaction commits; each listener on its
    own, its failure logged (the publishing stands)."""

    def tell() -> None:
        for receiver, outcome in notice_published.send_robust(sender=None, notice_id=notice_id):
            if isinstance(outcome, Exception):
                logger.error(
                    "%r failed on published conclusion notice %s",
                    receiver,
                    notice_id,
                    exc_info=outcome,
                )

    transaction.on_commit(tell, robust=True)
