"""Invitations sent once the accounts they invite are committed."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from people.tasks import send_invitations


def invite_after_commit(invited_by: AbstractBaseUser | None, user_ids: Iterable[int]) -> None:
    """E-mail each of these people an invitation once the current transaction commits."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    actor_id = invited_by.pk if invited_by is not None and invited_by.is_authenticated else None
    transaction.on_commit(lambda: send_invitations.enqueue(ids, actor_id))
