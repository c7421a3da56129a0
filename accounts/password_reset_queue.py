"""Reset e-mails sent once the request that asked for them commits."""

from django.db import transaction

from accounts.tasks import send_password_reset


def request_reset(email: str, address: str | None) -> None:
    """Queue the e-mails for this address (whether or not it has an account)."""
    transaction.on_commit(lambda: send_password_reset.enqueue(email, address))
