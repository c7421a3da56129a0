"""Deactivation takes effect at once (sessions, API tokens, open sockets), reactivation
brings the account back; an office lifts its own people's sign-in lockout."""

import time

import pytest
from asgiref.sync import sync_to_async
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client

from audit.models import AuditEntry
from people import api_tokens, lifecycle
from people.changes import ChangeRefused
from people.models import TokenScope
from tests.conferencing.websocket_helpers import TECHNICIAN_PATH, open_socket, session_cookie
from tests.factories import DEMO_PASSWORD


def active(path_user) -> str:
    return f"/people/{path_user.pk}/active/"


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def actions(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(user.pk), action__startswith="person.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_deactivation_ends_sessions_and_tokens_at_once(client_as, hana, lan):
    lans_browser = signed_in_client(lan)
    made = api_tokens.create(lan, name="Bảng điều khiển", scope=TokenScope.READ)

    response = client_as(hana).post(active(lan), {"active": "0"})

    lan.refresh_from_db()
    made.token.refresh_from_db()
    assert response.status_code == 302
    assert lan.is_active is False
    assert lans_browser.get("/").status_code == 302  # sent to sign in
    assert made.token.revoked_at is not None
    assert (
        Client().get("/api/v1/meetings/", HTTP_AUTHORIZATION=f"Bearer {made.key}").status_code
        == 401
    )
    assert lan.person.sessions_ended_at is not None
    assert AuditEntry.objects.get(action="person.deactivated").changes == {
        "is_active": False,
        "sessions_ended": 1,
        "tokens_revoked": 1,
    }


def test_a_deactivated_person_cannot_sign_in(client, hana, lan):
    lifecycle.deactivate(hana, lan)

    client.post("/login/", {"username": "lannt", "password": DEMO_PASSWORD})

    assert SESSION_KEY not in client.session


def test_reactivation_lets_the_person_sign_in_again(client_as, hana, lan, client):
    lifecycle.deactivate(hana, lan)

    response = client_as(hana).post(active(lan), {"active": "1"})
    other = Client()
    other.post("/login/", {"username": "lannt", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert other.session[SESSION_KEY] == str(lan.pk)
    assert actions(lan) == ["person.deactivated", "person.reactivated"]


def test_a_manager_cannot_deactivate_themselves(hana):
    with pytest.raises(ChangeRefused):
        lifecycle.deactivate(hana, hana)

    hana.refresh_from_db()
    assert hana.is_active is True


def test_another_provinces_person_cannot_be_deactivated_or_unlocked(client_as, hana, hung):
    client = client_as(hana)

    answers = [
        client.post(active(hung), {"active": "0"}).status_code,
        client.post(f"/people/{hung.pk}/unlock/").status_code,
        client.post(f"/people/{hung.pk}/invite/").status_code,
    ]

    hung.refresh_from_db()
    assert answers == [404, 404, 404]
    assert hung.is_active is True


def test_the_office_unlocks_its_persons_sign_in(client_as, hana, lan, settings):
    settings.AXES_FAILURE_LIMIT = 3
    guesser = Client()
    for number in range(3):
        guesser.post("/login/", {"username": "lannt", "password": f"wrong-{number}"})
    assert lifecycle.lockout(lan).locked is True
    page = client_as(hana).get(f"/people/{lan.pk}/").content.decode()

    response = client_as(hana).post(f"/people/{lan.pk}/unlock/")
    guesser.post("/login/", {"username": "lannt", "password": DEMO_PASSWORD})

    assert 'id="person-unlock"' in page
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(username="lannt").exists() is False
    assert guesser.session[SESSION_KEY] == str(lan.pk)
    unlocked = AuditEntry.objects.get(action="sign_in.unlocked")
    assert (unlocked.actor_id, unlocked.changes["via"]) == (hana.pk, "office")


@pytest.mark.usefixtures("released_connections")
@pytest.mark.django_db(transaction=True)
async def test_deactivation_closes_an_open_readiness_socket_within_five_seconds(hana, lan):
    cookie = await sync_to_async(session_cookie)(lan)
    phone = await open_socket(TECHNICIAN_PATH, cookie)
    try:
        started = time.monotonic()
        await sync_to_async(lifecycle.deactivate)(hana, lan)
        closed = await phone.receive_output(timeout=5)
        elapsed = time.monotonic() - started
    finally:
        await phone.disconnect(timeout=5)

    assert closed == {"type": "websocket.close", "code": 4401}
    assert elapsed < 5


def test_a_person_another_province_also_counts_on_is_not_switched_off_by_one(
    client_as, hana, lan, other
):
    other.members.add(lan)

    response = client_as(hana).post(active(lan), {"active": "0"})

    lan.refresh_from_db()
    assert response.status_code == 302
    assert lan.is_active is True
    with pytest.raises(ChangeRefused):
        lifecycle.deactivate(hana, lan)
    assert "person.deactivated" not in actions(lan)


def test_the_office_above_both_switches_a_shared_person_off(alice, lan, other):
    other.members.add(lan)

    assert lifecycle.deactivate(alice, lan) is True
