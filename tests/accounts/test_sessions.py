"""Ending a person's sessions signs every browser out at once (except the one kept)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import sessions
from accounts.models import Person, SignedInSession
from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_signing_in_remembers_the_session_and_signing_out_forgets_it():
    user = UserFactory()
    client = signed_in(user)
    assert SignedInSession.objects.filter(user=user).count() == 1

    client.post(reverse("logout"))

    assert not SignedInSession.objects.filter(user=user).exists()


def test_ending_the_sessions_signs_every_browser_out_but_the_kept_one():
    user, bystander = UserFactory(), UserFactory()
    phone, laptop, other = signed_in(user), signed_in(user), signed_in(bystander)
    kept = laptop.session.session_key

    assert sessions.end_sessions(user, keep=kept) == 1

    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert is_signed_in(other)
    assert Person.objects.get(user=user).sessions_ended_at is not None
