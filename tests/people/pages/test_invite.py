"""Inviting a person: the account is made with no usable password, the invitation is
e-mailed after commit by the task worker (into var/mail in the embedded mode: the file
backend), and its link sets the password once, within 72 hours."""

import email
import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from people import enrolment
from people.invitations import hash_token
from people.models import Invitation
from tests.factories import UserFactory
from tests.worker import run_worker

NEW = "/people/new/"
LINK = re.compile(r"https?://[^/\s]+(/people/invitation/[^/\s]+/)")
PASSWORD = "Mật-khẩu-đủ-dài-2026"

with_worker = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_dir(settings, tmp_path):
    """The embedded mode's mailer (config/settings.py: one file per message under
    var/mail), writing here instead of var/mail."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": tmp_path},
        }
    }
    return tmp_path


def written_mail(mail_dir) -> list[email.message.Message]:
    messages = []
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def body_of(message: email.message.Message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def newcomer(**fields) -> dict:
    return {
        "full_name": "Nguyễn Thị Lan",
        "email": "lan.nguyen@hanoi.gov.vn",
        "phone": "0912 345 678",
        "username": "",
        "role": Role.TECHNICIAN.value,
        "sites": "X0101 X0102",
        **fields,
    }


@with_worker
def test_an_invited_person_gets_a_mail_whose_link_sets_the_password_once(
    client_as, hana, hanoi, mail_dir, client
):
    response = client_as(hana).post(NEW, newcomer(offices=[hanoi.pk]))
    run_worker()

    lan = get_user_model().objects.get(email="lan.nguyen@hanoi.gov.vn")
    assert response.status_code == 302
    assert (lan.username, lan.has_usable_password(), lan.person.full_name) == (
        "lannt",
        False,
        "Nguyễn Thị Lan",
    )
    assert sorted(lan.served_endpoints.values_list("code", flat=True)) == ["X0101", "X0102"]
    [message] = written_mail(mail_dir)
    assert message["To"] == "lan.nguyen@hanoi.gov.vn"
    body = body_of(message)
    assert "Nguyễn Thị Lan" in body
    link = LINK.search(body).group(1)

    client.logout()
    assert client.get(link).status_code == 200
    set_password = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    again = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert set_password.status_code == 302
    signed_in = client.post("/login/", {"username": "lannt", "password": PASSWORD})
    assert (signed_in.status_code, client.session[SESSION_KEY]) == (302, str(lan.pk))
    assert again.status_code == 410


@with_worker
def test_an_expired_link_is_refused(client_as, hana, hanoi, mail_dir, client):
    client_as(hana).post(NEW, newcomer(offices=[hanoi.pk]))
    run_worker()
    link = LINK.search(body_of(written_mail(mail_dir)[0])).group(1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    client.logout()
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 410
    assert get_user_model().objects.get(username="lannt").has_usable_password() is False


@with_worker
def test_sending_the_invitation_again_voids_the_first_link(
    client_as, hana, hanoi, mail_dir, client
):
    client = client_as(hana)
    client.post(NEW, newcomer(offices=[hanoi.pk]))
    run_worker()
    lan = get_user_model().objects.get(username="lannt")

    response = client.post(f"/people/{lan.pk}/invite/")
    run_worker()

    assert response.status_code == 302
    links = [LINK.search(body_of(m)).group(1) for m in written_mail(mail_dir)]
    latest = Invitation.objects.latest("created_at").token_hash
    # The two files' names need not sort in the order they were written: by the token.
    first, second = sorted(links, key=lambda link: hash_token(link.split("/")[-2]) == latest)
    client.logout()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_the_account_is_audited_and_the_invitation_waits_for_the_commit(
    client_as, hana, hanoi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client_as(hana).post(NEW, newcomer(offices=[hanoi.pk]))

    lan = get_user_model().objects.get(username="lannt")
    assert len(callbacks) == 1
    assert list(
        AuditEntry.objects.filter(action="person.created").values_list(
            "actor", "target_id", "changes"
        )
    ) == [
        (
            hana.pk,
            str(lan.pk),
            {"after": {"roles": ["Technician"], "offices": ["VP-HN"], "sites": ["X0101", "X0102"]}},
        )
    ]


def test_an_e_mail_already_in_use_is_refused(client_as, hana, hanoi, english):
    UserFactory(username="someone", email="lan.nguyen@hanoi.gov.vn")

    response = client_as(hana).post(NEW, newcomer(offices=[hanoi.pk]))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "A person with the e-mail lan.nguyen@hanoi.gov.vn already has an account."
    ]
    assert not get_user_model().objects.filter(username="lannt").exists()


def test_a_phone_that_is_not_vietnamese_is_refused_and_a_good_one_stored_as_0(
    client_as, hana, hanoi, english
):
    refused = client_as(hana).post(NEW, newcomer(offices=[hanoi.pk], phone="12-34"))
    assert refused.context["form"].errors["phone"] == [
        "“12-34” is not a Vietnamese phone number: write 0 then 9 or 10 digits, "
        "or +84 then the number without its 0."
    ]
    assert not get_user_model().objects.filter(username="lannt").exists()

    client_as(hana).post(NEW, newcomer(offices=[hanoi.pk], phone="+84 912 345 678"))
    assert get_user_model().objects.get(username="lannt").person.phone == "0912345678"


def test_a_site_of_another_province_is_refused(client_as, hana, hanoi, english):
    response = client_as(hana).post(NEW, newcomer(offices=[hanoi.pk], sites="X0201"))

    assert response.context["form"].errors["sites"] == [
        "These sites are outside what you manage: X0201"
    ]
    assert not get_user_model().objects.filter(username="lannt").exists()


def test_a_person_in_no_office_and_at_no_site_is_refused(client_as, hana, english):
    response = client_as(hana).post(NEW, newcomer(sites=""))

    assert response.context["form"].errors["offices"] == [
        "Choose an office or at least one site: otherwise no office manages this person."
    ]


def test_a_taken_username_suggestion_gets_a_number(hana):
    UserFactory(username="lannt")
    UserFactory(username="lannt2")

    assert enrolment.suggest_username("Nguyễn Thị Lan") == "lannt3"
    assert enrolment.suggest_username("Đặng Văn Hùng") == "hungdv"
    assert enrolment.suggest_username("", "x.y@hanoi.gov.vn") == "xy"
