"""The token that tells every process its cached calendar is out of date.

Each process caches the announced days in memory (workdays.calendar) under the token it
read them with. Every change to an announced day writes a new token in the same
transaction, so a process — any Daphne process, any worker — sees the change at its next
question; until the change commits, others still read the old token and the old days,
consistently.
"""

from uuid import uuid4

from django.db.models.signals import post_delete, post_save

from workdays.models import AnnouncedDay, CalendarRevision

SINGLETON = 1


def current_token() -> str:
    """The token of the announced days as this transaction sees them (one query)."""
    return (
        CalendarRevision.objects.filter(pk=SINGLETON).values_list("token", flat=True).first() or ""
    )


def bump() -> None:
    """Write a new token; call inside the transaction that changes announced days."""
    token = uuid4().hex
    if not CalendarRevision.objects.filter(pk=SINGLETON).update(token=token):
        CalendarRevision.objects.update_or_create(pk=SINGLETON, defaults={"token": token})


def _announced_day_changed(**_kwargs: object) -> None:
    bump()


def connect_signals() -> None:
    # Saves and deletes from anywhere (the admin, tests' factories) invalidate too;
    # bulk writes (the CSV import) call bump() themselves.
    post_save.connect(_announced_day_changed, sender=AnnouncedDay, dispatch_uid="workdays.bump")
    post_delete.connect(
        _announced_day_changed, sender=AnnouncedDay, dispatch_uid="workdays.bump_delete"
    )
