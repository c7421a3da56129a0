"""The profile page, sign out everywhere, the session lifetime and the sign-in audit."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import SignedInSession, Source
from accounts.roles import Role
from audit.models import AuditEntry
from tests.factories import DEMO_PASSWORD, UserFactory, central_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(db):
    user = UserFactory(
        username="lan",
        full_name="Nguyễn Thị Lan",
        email="lan@example.vn",
        roles=[Role.SECRETARIAT],
        offices=[central_office()],
    )
    user.person.phone = "0912 345 678"
    user.person.unit = "Vụ Tổng hợp"
    user.person.save()
    return user


def sign_in(client: Client, username: str, agent: str = "Firefox", address: str = "10.0.0.7"):
    response = client.post(
        "/login/",
        {"username": username, "password": DEMO_PASSWORD},
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302


def test_profile_shows_the_person_as_written(client, lan):
    sign_in(client, "lan")

    response = client.get("/profile/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd id="profile-full-name">Nguyễn Thị Lan</dd>' in html
    assert '<dd id="profile-username">lan</dd>' in html
    assert "0912 345 678" in html and "Vụ Tổng hợp" in html
    assert "Văn phòng Chính phủ (VPCP)" in html
    assert response.context["roles"] == ["Thư ký"]
    assert 'href="/password/"' in html
    assert 'href="/profile/tokens/"' in html
    assert 'id="enrol-second-factor"' in html


def test_profile_of_a_directory_person_has_no_password_change(client, lan):
    lan.person.source = Source.LDAP
    lan.person.save()
    sign_in(client, "lan")

    html = client.get("/profile/").content.decode()

    assert 'href="/password/"' not in html
    assert "Bạn đăng nhập qua danh bạ (LDAP): hãy đổi mật khẩu tại đó." in html


def test_profile_lists_the_sessions_signed_in(client, lan):
    sign_in(Client(), "lan", agent="Chrome on Android", address="10.0.0.9")
    sign_in(client, "lan", agent="Firefox", address="10.0.0.7")

    response = client.get("/profile/")

    sessions = response.context["signed_in_sessions"]
    assert [(row.ip_address, row.user_agent) for row in sessions] == [
        ("10.0.0.7", "Firefox"),
        ("10.0.0.9", "Chrome on Android"),
    ]
    assert response.content.decode().count('class="signed-in-session"') == 2


def test_profile_needs_a_sign_in(client):
    assert client.get("/profile/")["Location"] == "/login/?next=/profile/"


def test_sign_out_everywhere_ends_another_clients_session_and_this_one(client, lan):
    other = Client()
    sign_in(other, "lan")
    sign_in(client, "lan")

    response = client.post("/profile/sign-out-everywhere/")

    assert response["Location"] == "/login/"
    assert other.get("/")["Location"] == "/login/?next=/"
    assert client.get("/")["Location"] == "/login/?next=/"
    assert SignedInSession.objects.filter(user=lan).count() == 0
    entry = AuditEntry.objects.get(action="sign_in.signed_out_everywhere")
    assert (entry.actor, entry.changes["sessions"]) == (lan, 2)


def test_every_sign_in_is_audited_with_its_address(client, lan):
    sign_in(client, "lan", address="203.0.113.5")

    entry = AuditEntry.objects.get(action="sign_in.succeeded")

    assert (entry.actor, entry.target_id) == (lan, str(lan.pk))
    assert entry.changes == {
        "ip_address": "203.0.113.5",
        "backend": "accounts.backends.PersonModelBackend",
    }


def test_a_password_change_keeps_this_session_and_ends_the_others(client, lan):
    other = Client()
    sign_in(other, "lan")
    sign_in(client, "lan")
    new = "mật-khẩu-mới-2026"

    response = client.post(
        "/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
        REMOTE_ADDR="10.0.0.7",
    )

    assert response["Location"] == "/password/done/"
    assert client.get("/").status_code == 200
    assert other.get("/")["Location"] == "/login/?next=/"
    [kept] = SignedInSession.objects.filter(user=lan)
    assert kept.session_key == client.session.session_key
    assert AuditEntry.objects.get(action="password.changed").changes["other_sessions_ended"] == 1


def test_sessions_last_session_hours():
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
