"""Password guessing is stopped by account AND address (django-axes), audited, unlockable."""

import subprocess
import sys
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import DEMO_PASSWORD, UserFactory

LOCKED_VI = (
    "Tài khoản này đã bị tạm khoá đăng nhập từ địa chỉ của bạn vì nhập sai mật khẩu quá "
    "nhiều lần. Hãy thử lại sau 15 phút hoặc nhờ quản trị viên mở khoá."
)


@pytest.fixture(autouse=True)
def limits(settings):
    """The defaults of config/settings.py, stated here so the counts below read plainly."""
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def dave(db):
    return UserFactory(username="dave")


def sign_in(client, username: str, password: str, address: str = "127.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def guess(client, username: str, times: int, address: str = "127.0.0.1", **headers) -> None:
    for number in range(times):
        sign_in(client, username, f"wrong-{number}", address, **headers)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_sign_in_after_the_failure_limit_is_refused_with_the_vietnamese_message(client, dave):
    guess(client, "dave", 5)

    response = sign_in(client, "dave", DEMO_PASSWORD)

    assert response.status_code == 429
    assert LOCKED_VI in response.content.decode()
    assert signed_in(client) is False


def test_sign_in_the_failure_that_reaches_the_limit_already_shows_the_lockout(client, dave):
    guess(client, "dave", 4)

    response = sign_in(client, "dave", "wrong-again")

    assert response.status_code == 429
    assert 'id="login-submit"' in response.content.decode()


def test_sign_in_below_the_limit_still_works_and_forgets_the_mistakes(client, dave):
    guess(client, "dave", 4)

    response = sign_in(client, "dave", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(client) is True


def test_sign_in_from_another_address_is_not_locked_for_that_account(client, dave):
    guess(client, "dave", 5, address="203.0.113.7")

    response = sign_in(client, "dave", DEMO_PASSWORD, address="198.51.100.20")

    assert response.status_code == 302
    assert signed_in(client) is True


def test_sign_in_of_another_account_from_the_locked_address_is_not_locked(client, dave):
    UserFactory(username="erin")
    guess(client, "dave", 5, address="203.0.113.7")

    response = sign_in(client, "erin", DEMO_PASSWORD, address="203.0.113.7")

    assert response.status_code == 302


def test_sign_in_a_spoofed_forwarded_for_without_proxy_mode_does_not_change_the_address(
    client, dave
):
    for number in range(5):
        sign_in(client, "dave", "wrong", "203.0.113.7", x_forwarded_for=f"192.0.2.{number}")

    response = sign_in(client, "dave", DEMO_PASSWORD, "203.0.113.7", x_forwarded_for="192.0.2.99")

    assert response.status_code == 429
    assert signed_in(client) is False


@pytest.fixture
def proxy_mode(settings):
    """What config/settings.py sets when BEHIND_PROXY is true (checked by the test below)."""
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def test_sign_in_in_proxy_mode_the_right_most_forwarded_address_counts(client, dave, proxy_mode):
    # The proxy appends the address it saw; the guesser controls everything to its left.
    for number in range(5):
        sign_in(
            client, "dave", "wrong", "10.0.0.2", x_forwarded_for=f"192.0.2.{number}, 203.0.113.7"
        )

    locked = sign_in(client, "dave", DEMO_PASSWORD, "10.0.0.2", x_forwarded_for="203.0.113.7")
    elsewhere = sign_in(client, "dave", DEMO_PASSWORD, "10.0.0.2", x_forwarded_for="198.51.100.20")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_sign_in_in_proxy_mode_a_private_client_cannot_pose_as_public_addresses(
    client, dave, proxy_mode
):
    # A client on a government intranet has a private address; the forged public ones
    # to its left must not count (django-ipware's default algorithm prefers them).
    for number in range(5):
        sign_in(client, "dave", "wrong", "10.0.0.2", x_forwarded_for=f"8.8.8.{number}, 10.1.2.3")

    response = sign_in(client, "dave", DEMO_PASSWORD, "10.0.0.2", x_forwarded_for="10.1.2.3")

    assert response.status_code == 429


def client_address_settings(**environment: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.IPWARE_ALGORITHM, s.AXES_IPWARE_PROXY_ORDER, "
        "s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.SECURE_PROXY_SSL_HEADER)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 60,
            "VAR_DIR": str(settings.VAR_DIR),
            **environment,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_settings_client_address_is_remote_addr_only_unless_behind_proxy():
    assert client_address_settings() == "legacy left-most ['REMOTE_ADDR'] None"
    assert client_address_settings(BEHIND_PROXY="true") == (
        "legacy right-most ['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR'] "
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_sign_in_admin_login_is_locked_too(client, dave):
    guess(client, "dave", 5)

    response = client.post(
        "/admin/login/", {"username": "dave", "password": DEMO_PASSWORD}, REMOTE_ADDR="127.0.0.1"
    )

    assert response.status_code == 429


def audit_rows(action: str) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("id")
        .values_list("actor__username", "target_type", "target_id", "changes")
    )


def test_sign_in_failures_and_the_lockout_are_audited(client, dave):
    sign_in(client, "nobody", "wrong", "203.0.113.7")
    guess(client, "dave", 5, "203.0.113.7")
    sign_in(client, "dave", DEMO_PASSWORD, "203.0.113.7")

    failed = audit_rows("sign_in.failed")
    assert len(failed) == 7
    assert failed[0] == (
        None,
        "auth.user",
        "",
        {"username": "nobody", "ip_address": "203.0.113.7", "locked_out": False},
    )
    assert failed[5] == (
        None,
        "auth.user",
        str(dave.pk),
        {"username": "dave", "ip_address": "203.0.113.7", "locked_out": True},
    )
    assert failed[6] == failed[5]
    assert audit_rows("sign_in.locked_out") == [
        (
            None,
            "auth.user",
            str(dave.pk),
            {"username": "dave", "ip_address": "203.0.113.7", "failures": 5},
        )
    ]


def test_unlock_sign_in_command_unlocks_and_is_audited(client, dave):
    guess(client, "dave", 5, "203.0.113.7")
    out = StringIO()

    call_command("unlock_sign_in", "dave", stdout=out)

    assert out.getvalue() == "Đã mở khoá đăng nhập cho dave (1 bản ghi).\n"
    assert sign_in(client, "dave", DEMO_PASSWORD, "203.0.113.7").status_code == 302
    assert audit_rows("sign_in.unlocked") == [
        (
            None,
            "auth.user",
            str(dave.pk),
            {"username": "dave", "ip_address": None, "attempts": 1, "via": "command"},
        )
    ]


def test_unlock_sign_in_command_for_one_address_leaves_the_others_locked(client, dave):
    guess(client, "dave", 5, "203.0.113.7")
    guess(client, "dave", 5, "198.51.100.20")

    call_command("unlock_sign_in", "dave", "--ip", "203.0.113.7", stdout=StringIO())

    assert sign_in(client, "dave", DEMO_PASSWORD, "198.51.100.20").status_code == 429
    assert sign_in(client, "dave", DEMO_PASSWORD, "203.0.113.7").status_code == 302


def test_unlock_sign_in_command_for_an_account_that_is_not_locked_says_so(dave):
    out = StringIO()

    call_command("unlock_sign_in", "dave", stdout=out)

    assert out.getvalue() == "dave không bị khoá đăng nhập.\n"
    assert audit_rows("sign_in.unlocked") == []


def test_unlock_sign_in_by_the_superuser_in_the_admin_is_audited(client, dave):
    guess(client, "dave", 5, "203.0.113.7")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    attempt = AccessAttempt.objects.get()

    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "dave", DEMO_PASSWORD, "203.0.113.7").status_code == 302
    assert audit_rows("sign_in.unlocked") == [
        (
            "root",
            "auth.user",
            str(dave.pk),
            {"username": "dave", "ip_address": "203.0.113.7", "attempts": 1, "via": "admin"},
        )
    ]


def test_unlock_sign_in_in_the_admin_is_refused_to_staff_who_are_not_superusers(client, dave):
    guess(client, "dave", 5, "203.0.113.7")
    staff = UserFactory(username="sam", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    client.force_login(staff)
    attempt = AccessAttempt.objects.get()

    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AccessAttempt.objects.count() == 1


def change_password(client, old: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("password_change"),
        {
            "old_password": old,
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
        REMOTE_ADDR=address,
    )


def test_guessing_the_current_password_on_the_change_page_counts_toward_the_lockout(client, dave):
    client.force_login(dave)
    for number in range(5):
        change_password(client, f"wrong-{number}")

    response = change_password(client, DEMO_PASSWORD)

    assert response.status_code == 429
    assert LOCKED_VI in response.content.decode()
    dave.refresh_from_db()
    assert dave.check_password(DEMO_PASSWORD) is True


def test_the_right_current_password_still_changes_it(client, dave):
    client.force_login(dave)

    response = change_password(client, DEMO_PASSWORD)

    assert response.status_code == 302
    dave.refresh_from_db()
    assert dave.check_password("Mật-khẩu-mới-2026") is True


def test_sign_in_guesses_from_one_ipv6_network_count_together(client, dave):
    for number in range(5):
        sign_in(client, "dave", f"wrong-{number}", address=f"2001:db8:1:2::{number + 1}")

    same_network = sign_in(client, "dave", DEMO_PASSWORD, address="2001:db8:1:2:ffff::9")
    other_network = sign_in(client, "dave", DEMO_PASSWORD, address="2001:db8:1:3::1")

    assert same_network.status_code == 429
    assert other_network.status_code == 302


def test_unlock_sign_in_command_for_an_ipv6_address_lifts_its_network(client, dave):
    guess(client, "dave", 5, address="2001:db8:1:2::1")

    call_command("unlock_sign_in", "dave", "--ip", "2001:db8:1:2::abcd", stdout=StringIO())

    assert sign_in(client, "dave", DEMO_PASSWORD, address="2001:db8:1:2::1").status_code == 302
