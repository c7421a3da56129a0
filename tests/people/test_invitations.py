"""An invitation: a one-time link, valid 72 hours, e-mailed after the commit that made
the account; expired, used, voided and unknown links are refused with their reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from people import invitations
from people.invitation_queue import invite_after_commit
from people.models import Invitation
from tests.factories import UserFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hoa-sen-nở-2026"


@pytest.fixture
def newcomer(db):
    user = UserFactory(username="lan.nguyen", full_name="Nguyễn Thị Lan")
    user.set_unusable_password()
    user.save()
    return user


def test_only_the_hash_of_the_link_is_kept(newcomer):
    raw = invitations.issue(newcomer, None)

    stored = Invitation.objects.get(user=newcomer)
    assert stored.token_hash == invitations.hash_token(raw) != raw
    assert abs(stored.expires_at - stored.created_at - timedelta(hours=72)) < timedelta(seconds=5)


def test_the_link_sets_the_password_once(newcomer):
    raw = invitations.issue(newcomer, None)

    invitations.redeem(raw, NEW_PASSWORD)

    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    with pytest.raises(invitations.InvitationRefused) as refused:
        invitations.redeem(raw, "Another-pass-2026")
    assert refused.value.code == "used"
    assert AuditEntry.objects.filter(action="person.invitation_accepted").count() == 1


def test_an_expired_link_is_refused(newcomer):
    raw = invitations.issue(newcomer, None)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(invitations.InvitationRefused) as refused:
        invitations.redeem(raw, NEW_PASSWORD)

    assert refused.value.code == "expired"
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_newer_invitation_voids_the_older_link(newcomer):
    older = invitations.issue(newcomer, None)
    invitations.issue(newcomer, None)

    with pytest.raises(invitations.InvitationRefused) as refused:
        invitations.check(older)
    assert refused.value.code == "voided"


@pytest.mark.parametrize("raw", ["", "short", "x" * 43, "x" * 500, "ꙮ" * 30])
def test_an_unknown_or_malformed_link_is_invalid(newcomer, raw):
    with pytest.raises(invitations.InvitationRefused) as refused:
        invitations.check(raw)
    assert refused.value.code == "invalid"


def test_a_password_the_policy_refuses_writes_nothing(newcomer):
    raw = invitations.issue(newcomer, None)

    with pytest.raises(ValidationError):
        invitations.redeem(raw, "123")

    assert Invitation.objects.get(user=newcomer).used_at is None


def test_the_page_sets_the_password_then_refuses_the_spent_link(newcomer):
    raw = invitations.issue(newcomer, None)
    page = reverse("people:invitation", args=[raw])
    client = Client()

    assert "Nguyễn Thị Lan" in client.get(page).content.decode()
    answer = client.post(page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert answer.status_code == 302
    again = client.get(page)
    assert again.status_code == 410
    assert "đã được sử dụng" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_email_goes_after_the_commit_with_a_working_link(newcomer, mailoutbox, settings):
    settings.SITE_URL = "https://giaoban.example.vn"
    with transaction.atomic():
        invite_after_commit(None, [newcomer.pk])
        assert not DBTaskResult.objects.exists()  # nothing is enqueued before the commit

    run_worker()

    (message,) = mailoutbox
    assert message.to == ["lan.nguyen@example.vn"]
    assert "Nguyễn Thị Lan" in message.body
    link = next(word for word in message.body.split() if word.startswith(settings.SITE_URL))
    assert Client().get(link.removeprefix(settings.SITE_URL)).status_code == 200
