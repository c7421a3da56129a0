"""The second factor after the password: who must pass it, enrolment, verification,
recovery codes, throttling and its audit, the admin and the API."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from audit.models import AuditEntry
from people import api_tokens
from tests.accounts.second_factor_helpers import code_for, code_of_secret
from tests.factories import DEMO_PASSWORD, UserFactory, central_office

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def sign_in(client, username: str) -> None:
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def enrolled(user) -> TOTPDevice:
    """An authenticator enrolled as the enrol page does it, with its recovery codes."""
    key = second_factor.new_secret()
    device, _codes = second_factor.enrol(user, key, code_of_secret(key), None)
    # The enrolment spent this step's code, as a person's enrolment would have.
    return device


def actions(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(user.pk), action__startswith="second_factor.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_secretariat_without_an_authenticator_is_sent_to_enrol(client, alice):
    sign_in(client, "alice")

    response = client.get("/meetings/")

    assert response.status_code == 302
    assert response["Location"] == "/second-factor/enrol/?next=%2Fmeetings%2F"


def test_superuser_with_an_authenticator_is_sent_to_verify(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    enrolled(root)
    sign_in(client, "root")

    response = client.get("/")

    assert response["Location"] == "/second-factor/?next=%2F"


def test_technician_is_not_asked(client, bob):
    sign_in(client, "bob")

    assert client.get("/").status_code == 200


def test_nobody_is_asked_when_the_setting_is_off(client, alice, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    sign_in(client, "alice")

    assert client.get("/").status_code == 200


def test_enrolment_saves_the_authenticator_only_once_a_code_confirms_it(client, alice):
    sign_in(client, "alice")
    page = client.get("/second-factor/enrol/?next=/meetings/")
    key = client.session[second_factor.PENDING_KEY_SESSION_KEY]
    assert page.status_code == 200
    assert page.context["qr_image"].startswith("data:image/svg+xml;base64,")
    assert page.context["secret"].replace(" ", "") == second_factor.manual_secret(key).replace(
        " ", ""
    )

    wrong = client.post("/second-factor/enrol/", {"code": "000000", "next": "/meetings/"})
    assert wrong.status_code == 200
    assert TOTPDevice.objects.filter(user=alice).count() == 0

    confirmed = client.post(
        "/second-factor/enrol/", {"code": code_of_secret(key), "next": "/meetings/"}
    )

    assert confirmed.status_code == 200
    assert len(confirmed.context["codes"]) == 10
    assert TOTPDevice.objects.get(user=alice).key == key
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    assert client.get("/meetings/").status_code == 200
    assert actions(alice) == ["second_factor.enrolment_failed", "second_factor.enrolled"]


def test_verify_with_the_authenticator_opens_the_pages(client, alice):
    device = enrolled(alice)
    sign_in(client, "alice")

    response = client.post("/second-factor/", {"code": code_for(device, 1), "next": "/meetings/"})

    assert response["Location"] == "/meetings/"
    assert client.get("/meetings/").status_code == 200
    assert actions(alice)[-1] == "second_factor.verified"


def test_verify_refuses_a_wrong_code_then_throttles(client, alice, english):
    device = enrolled(alice)
    sign_in(client, "alice")

    wrong = client.post("/second-factor/", {"code": "000000"})
    throttled = client.post("/second-factor/", {"code": code_for(device, 1)})

    assert wrong.context["form"].errors == {"code": ["This code is not right."]}
    assert throttled.context["form"].errors == {
        "code": ["Too many wrong codes: wait 1 second, then try again."]
    }
    assert client.get("/").status_code == 302
    failures = AuditEntry.objects.filter(action="second_factor.failed").order_by("id")
    assert [entry.changes["throttled"] for entry in failures] == [False, True]
    assert failures[0].changes["method"] == "authenticator"


def test_a_recovery_code_works_once(client, alice):
    enrolled(alice)
    code = StaticToken.objects.filter(device__user=alice).first().token
    sign_in(client, "alice")

    used = client.post("/second-factor/", {"code": code.upper(), "next": "/"})
    client.post("/logout/")
    sign_in(client, "alice")
    again = client.post("/second-factor/", {"code": code})

    assert used["Location"] == "/"
    assert again.status_code == 200
    assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=alice).count() == 9
    entry = AuditEntry.objects.get(action="second_factor.recovery_code_used")
    assert entry.changes["recovery_codes_left"] == 9


def test_new_recovery_codes_replace_the_old_ones(client, alice):
    device = enrolled(alice)
    old = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    sign_in(client, "alice")
    client.post("/second-factor/", {"code": code_for(device, 1)})

    response = client.post("/second-factor/recovery-codes/")

    assert set(response.context["codes"]) == set(
        StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)
    )
    assert not old & set(response.context["codes"])
    assert actions(alice)[-1] == "second_factor.recovery_codes_renewed"


def test_an_unverified_session_cannot_enrol_a_new_authenticator(client, alice):
    enrolled(alice)
    sign_in(client, "alice")

    response = client.get("/second-factor/enrol/")

    assert response["Location"] == "/second-factor/?next=%2F"


def test_someone_who_enrolled_of_their_own_accord_is_asked_at_the_next_sign_in(client, bob):
    device = enrolled(bob)
    sign_in(client, "bob")

    assert client.get("/")["Location"] == "/second-factor/?next=%2F"
    client.post("/second-factor/", {"code": code_for(device, 1)})
    assert client.get("/").status_code == 200


def test_an_optional_second_factor_can_be_turned_off_but_not_a_required_one(client, bob, alice):
    for person in (bob, alice):
        device = enrolled(person)
        client.post("/logout/")
        sign_in(client, person.username)
        client.post("/second-factor/", {"code": code_for(device, 1)})
        client.post("/second-factor/remove/")

    assert TOTPDevice.objects.filter(user=bob).count() == 0
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_the_admin_refuses_an_unverified_session(client):
    staff = UserFactory(username="staff", is_staff=True, is_superuser=False)
    device = enrolled(staff)
    sign_in(client, "staff")

    refused = client.get("/admin/")
    client.post("/second-factor/", {"code": code_for(device, 1)})
    admitted = client.get("/admin/")

    assert refused["Location"] == "/second-factor/?next=%2Fadmin%2F"
    assert admitted.status_code == 200


def test_the_admin_refuses_staff_without_a_second_factor(client):
    """Staff that is neither secretariat nor superuser reaches the pages, not the admin."""
    UserFactory(username="staff", is_staff=True)
    sign_in(client, "staff")

    refused = client.get("/admin/")
    sent_on = client.get(refused["Location"])

    assert client.get("/").status_code == 200
    assert refused["Location"] == "/admin/login/?next=/admin/"
    assert sent_on["Location"] == "/second-factor/enrol/?next=%2Fadmin%2F"


def test_the_api_takes_an_unverified_session_for_anonymous(client, alice):
    enrolled(alice)
    sign_in(client, "alice")

    response = client.get("/api/v1/meetings/")

    anonymous = Client().get("/api/v1/meetings/")
    assert (response.status_code, response.content) == (401, anonymous.content)


def test_an_api_token_is_not_asked_for_a_second_factor(alice, api):
    enrolled(alice)
    made = api_tokens.create(alice, name="Lịch", scope="read", office_id=central_office().pk)

    response = api.get("/api/v1/meetings/", HTTP_AUTHORIZATION=f"Bearer {made.key}")

    assert response.status_code == 200
