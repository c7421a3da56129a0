"""The invitation e-mail: who gets one, and what it says (in Vietnamese, then English)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.names import full_name
from people import invitations


def send(user_ids: list[int], invited_by_id: int | None) -> int:
    model = get_user_model()
    invited_by = model.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    people = (
        model.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .select_related("person")
        .order_by("pk")
    )
    messages = []
    for user in people:
        raw = invitations.issue(user, invited_by)
        with translation.override(settings.LANGUAGE_CODE):
            link = settings.SITE_URL.rstrip("/") + reverse("people:invitation", args=[raw])
            context = {
                "name": full_name(user),
                "username": user.get_username(),
                "link": link,
                "hours": settings.INVITATION_HOURS,
                "invited_by": full_name(invited_by) if invited_by else "",
            }
            subject = render_to_string("people/invitation_subject.txt", context).strip()
            body = render_to_string("people/invitation_email.txt", context)
        messages.append(EmailMessage(subject, body, to=[user.email]))
    if messages:
        with mailers.default as connection:
            connection.send_messages(messages)
    return len(messages)
