"""How follow-up tells the rest of the system that a task changed: `task_changed`, sent
after the commit with the id of the TaskEvent written (webhooks listen in
integrations; nothing here knows its listeners)."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

task_changed = Signal()


def announce(event_id: int) -> None:
    """Send `task_changed` once the transaction commits (nothing on rollback); one
    listener's failure is logged and never undoes the step."""

    def tell() -> None:
        for receiver, outcome in task_changed.send_robust(sender=None, event_id=event_id):
            if isinstance(outcome, Exception):
                logger.error("task_changed listener %r failed", receiver, exc_info=outcome)

    transaction.on_commit(tell, robust=True)
