"""Telling listeners above conferencing (webhooks) that a session's readiness changed.

conferencing imports none of them: they connect to `readiness_changed`, sent once the
reports have committed, with the conference id and its new sequence number. Each
listener is called on its own and its failure only logged, as for the boards' nudge:
a report written is never refused because a listener failed.
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

readiness_changed = Signal()


def tell_listeners(conference_id: int, seq: int) -> None:
    for receiver, outcome in readiness_changed.send_robust(
        sender=None, conference_id=conference_id, seq=seq
    ):
        if isinstance(outcome, Exception):
            logger.error(
                "%r failed to act on readiness of conference %s",
                receiver,
                conference_id,
                exc_info=outcome,
            )
