"""Background tasks of accounts (django.tasks): they only run a domain function."""

from django.tasks import task

from accounts import password_reset


@task()
def send_password_reset(email: str, address: str | None) -> int:
    """E-mail a reset link (or the directory's advice) to each active account of `email`."""
    return password_reset.send(email, address)
