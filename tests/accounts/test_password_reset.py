"""Password reset by e-mail, end to end: the page, the task run by the real database
worker, the e-mail written as a file, the link, the new password; and what must fail."""

import re
import time
from email import message_from_bytes, policy

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from accounts import password_reset
from accounts.models import SignedInSession, Source
from audit.models import AuditEntry
from tests.factories import DEMO_PASSWORD, UserFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "mật-khẩu-mới-2026"
LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def fresh_counts():
    """The hourly counts of reset e-mails live in the cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mail_dir(settings, tmp_path):
    """E-mail as deployed without SMTP: one file per message."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": tmp_path},
        }
    }
    settings.SITE_URL = "http://testserver"
    return tmp_path


@pytest.fixture
def lan(db):
    return UserFactory(username="lan", full_name="Nguyễn Thị Lan", email="lan@example.vn")


def mails(directory) -> list:
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(directory.iterdir())
    ]


def ask_for_reset(client: Client, email: str):
    response = client.post("/password/reset/", {"email": email})
    run_worker()
    return response


def link_in(message) -> str:
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def set_new_password(client: Client, link: str, password: str = NEW_PASSWORD):
    """Open the link (Django moves the token into the session), then choose the password."""
    opened = client.get(link)
    assert opened.status_code == 302
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_reset_by_email_end_to_end(client, lan, mail_dir):
    response = ask_for_reset(client, "LAN@example.vn")

    assert response["Location"] == "/password/reset/sent/"
    [message] = mails(mail_dir)
    assert message["To"] == "lan@example.vn"
    assert message["Subject"] == "Giao Ban: đặt mật khẩu mới"
    body = message.get_body(("plain",)).get_content()
    assert "Kính gửi Nguyễn Thị Lan," in body
    assert "60 phút" in body

    done = set_new_password(client, link_in(message))

    assert done["Location"] == "/password/reset/complete/"
    signed_in = Client().post("/login/", {"username": "lan", "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/"
    assert list(
        AuditEntry.objects.filter(target_id=str(lan.pk), action__startswith="password.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["password.reset_requested", "password.reset"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, lan, mail_dir):
    known = client.post("/password/reset/", {"email": "lan@example.vn"})
    unknown = client.post("/password/reset/", {"email": "nobody@example.vn"})
    run_worker()

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message["To"] for message in mails(mail_dir)] == ["lan@example.vn"]


def test_a_directory_person_is_told_to_use_the_directory(client, mail_dir):
    ldap = UserFactory(username="ha", email="ha@example.vn", password=None)
    ldap.set_unusable_password()
    ldap.save()
    ldap.person.source = Source.LDAP
    ldap.person.save()

    response = ask_for_reset(client, "ha@example.vn")

    assert response["Location"] == "/password/reset/sent/"
    [message] = mails(mail_dir)
    body = message.get_body(("plain",)).get_content()
    assert "/password/reset/" not in body
    assert "danh bạ (LDAP)" in body


def test_a_used_link_does_not_work_again(client, lan, mail_dir):
    ask_for_reset(client, "lan@example.vn")
    link = link_in(mails(mail_dir)[0])
    set_new_password(client, link)

    again = Client().get(link)

    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "Đường dẫn này không dùng được" in again.content.decode()


def test_an_expired_link_does_not_work(client, lan, mail_dir, settings):
    settings.PASSWORD_RESET_TIMEOUT = 1
    ask_for_reset(client, "lan@example.vn")
    link = link_in(mails(mail_dir)[0])
    time.sleep(2.1)

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_the_policy_refuses_a_short_password_in_vietnamese(client, lan, mail_dir):
    ask_for_reset(client, "lan@example.vn")

    refused = set_new_password(client, link_in(mails(mail_dir)[0]), "ngan-1")

    assert refused.status_code == 200
    assert refused.context["form"].errors["new_password2"] == [
        "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự."
    ]
    lan.refresh_from_db()
    assert lan.check_password(DEMO_PASSWORD)


def test_a_reset_ends_every_session_of_the_account(client, lan, mail_dir):
    elsewhere = Client()
    elsewhere.force_login(lan)
    ask_for_reset(client, "lan@example.vn")

    set_new_password(client, link_in(mails(mail_dir)[0]))

    assert elsewhere.get("/")["Location"] == "/login/?next=/"
    assert SignedInSession.objects.filter(user=lan).count() == 0


def test_the_mail_of_an_inactive_account_is_not_sent(lan, mail_dir):
    get_user_model().objects.filter(pk=lan.pk).update(is_active=False)

    assert password_reset.send("lan@example.vn", None) == 0


def test_one_address_gets_at_most_the_hourly_limit_of_reset_mails(client, lan, mail_dir, settings):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 2

    answers = [ask_for_reset(client, "lan@example.vn") for _ in range(3)]

    assert {answer["Location"] for answer in answers} == {"/password/reset/sent/"}
    assert len(mails(mail_dir)) == 2
    assert AuditEntry.objects.filter(action="password.reset_limited").count() == 1
