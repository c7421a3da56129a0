"""The one way to write the audit trail, so every entry has the same shape."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from audit.models import AuditEntry


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry; call inside the transaction of the action it records."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        changes=changes or {},
    )


def record_all(
    entries: list[tuple[AbstractBaseUser | None, str, models.Model, dict[str, Any]]],
) -> None:
    """Append one entry per (actor, action, target, changes) in one statement; call
    inside the transaction of the actions they record."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            changes=changes,
        )
        for actor, action, target, changes in entries
    )


def record_about(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target_type: str,
    target_id: str,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry about something that may have no row, such as a sign-in attempt
    for an account that does not exist (`target_id` is then empty)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        changes=changes or {},
    )
