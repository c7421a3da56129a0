"""Background tasks of people (django.tasks): they only run a domain function."""

from django.tasks import task

from people.invitation_mail import send


@task()
def send_invitations(user_ids: list[int], invited_by_id: int | None) -> int:
    """Issue and e-mail an invitation to each active person with an address; how many."""
    return send(user_ids, invited_by_id)
