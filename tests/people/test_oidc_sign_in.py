"""Single sign-on end to end against a real OpenID provider (tests/oidc/provider.mjs).

The browser is the Django test client for the app and a `requests` session for the
provider (tests/fixtures/oidc_provider.py): the app sends it to the provider, the
provider's dev login form and consent are filled in, and the provider's answer comes
back to the app's callback. The provider's accounts: lan (Nguyễn Thị Lan, Hà Nội's
secretariat group), hung (Đặng Văn Hùng, technicians, sites HN-BD and HN-HK in a claim),
khach (a group no rule maps), khoa (disabled at the provider).
"""

import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Source
from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.models import Level
from people.models import DirectoryRule, DirectorySource
from people.oidc_sign_in import username_for
from tests.factories import EndpointFactory, UserFactory, centre, office_of
from tests.fixtures.services import free_ports

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def hanoi_office():
    province = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=centre())
    for code, name in [("HN-BD", "Ba Đình"), ("HN-HK", "Hoàn Kiếm"), ("HN-TH", "Tây Hồ")]:
        EndpointFactory(code=code, name=name, level=Level.COMMUNE, parent=province)
    office = office_of(province, "VP-HN", name="Văn phòng UBND thành phố Hà Nội")
    DirectoryRule.objects.create(
        source=DirectorySource.OIDC,
        group="giaoban-thuky-hanoi",
        role=Role.SECRETARIAT.value,
        office=office,
    )
    DirectoryRule.objects.create(
        source=DirectorySource.OIDC, group="giaoban-kythuat", role=Role.TECHNICIAN.value
    )
    return office


def roles_of(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def failures() -> list[tuple[str, str]]:
    """The audited failed callbacks: (reason, detail)."""
    return [
        (entry.changes["reason"], entry.changes["detail"])
        for entry in AuditEntry.objects.filter(action="sign_in.oidc_failed").order_by("pk")
    ]


def with_query(url: str, **changes) -> str:
    """`url` with these query parameters replaced (None: removed)."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    query = {key: value for key, value in query.items() if value is not None}
    return urlunsplit(parts._replace(query=urlencode(query)))


# --- signing in -------------------------------------------------------------------------


def test_a_secretariat_signs_in_with_role_office_and_name_as_written(
    single_sign_on, oidc_browser, hanoi_office
):
    response = oidc_browser.sign_in("lan")

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.select_related("person").get(username="oidc.lan")
    assert user.person.full_name == "Nguyễn Thị Lan"
    assert user.person.source == Source.OIDC
    assert user.person.phone == "024 3825 1234"
    assert user.person.unit == "Văn phòng UBND thành phố Hà Nội"
    assert user.email == "lan.nt@hanoi.gov.vn"
    assert user.has_usable_password() is False
    assert roles_of(user) == [Role.SECRETARIAT.value]
    assert list(user.offices.values_list("code", flat=True)) == ["VP-HN"]
    home = oidc_browser.client.get("/")
    assert home.wsgi_request.user == user
    assert "Nguyễn Thị Lan" in home.content.decode()
    assert failures() == []


def test_a_technician_gets_the_sites_of_the_site_codes_claim(
    single_sign_on, oidc_browser, hanoi_office
):
    oidc_browser.sign_in("hung")

    user = User.objects.select_related("person").get(username="oidc.hung")
    assert user.person.full_name == "Đặng Văn Hùng"
    assert roles_of(user) == [Role.TECHNICIAN.value]
    assert sorted(user.served_endpoints.values_list("code", flat=True)) == ["HN-BD", "HN-HK"]


def test_without_a_site_codes_claim_the_sites_stay_managed_in_the_app(
    single_sign_on, oidc_browser, hanoi_office, settings
):
    settings.OIDC_SITE_CODES_CLAIM = ""
    hung = UserFactory(username="oidc.hung", full_name="Hùng", roles=[Role.TECHNICIAN])
    hung.person.source = Source.OIDC
    hung.person.save()
    hung.served_endpoints.set([EndpointFactory(code="HN-TH")])

    oidc_browser.sign_in("hung")

    assert list(hung.served_endpoints.values_list("code", flat=True)) == ["HN-TH"]


def test_every_sign_in_makes_the_account_what_the_provider_says(
    single_sign_on, oidc_browser, hanoi_office
):
    elsewhere = office_of(EndpointFactory(code="T02"), "VP-T02")
    lan = UserFactory(
        username="oidc.lan", full_name="Lan", roles=[Role.ATTENDEE], offices=[elsewhere]
    )
    lan.person.source = Source.OIDC
    lan.person.save()

    oidc_browser.sign_in("lan")

    lan.refresh_from_db()
    assert User.objects.filter(username__startswith="oidc.").count() == 1
    assert lan.person.full_name == "Nguyễn Thị Lan"
    assert roles_of(lan) == [Role.SECRETARIAT.value]
    assert list(lan.offices.values_list("code", flat=True)) == ["VP-HN"]
    synced = AuditEntry.objects.get(action="person.directory_synced", target_id=str(lan.pk))
    assert synced.changes["before"]["offices"] == ["VP-T02"]
    assert synced.changes["after"]["offices"] == ["VP-HN"]


def test_sign_in_returns_to_the_page_asked_for(single_sign_on, oidc_browser, hanoi_office):
    response = oidc_browser.sign_in("lan", query="?next=/meetings/")

    assert response["Location"] == "/meetings/"


def test_the_username_is_the_subject_behind_a_prefix():
    assert username_for("lan") == "oidc.lan"
    assert username_for("3f1c-ab@tinh.gov.vn") == "oidc.3f1c-ab@tinh.gov.vn"
    hashed = username_for("Nguyễn/ Thị Lan")
    assert re.fullmatch(r"oidc\.[a-z2-7]{52}", hashed)
    assert hashed == username_for("Nguyễn/ Thị Lan")
    assert len(username_for("x" * 400)) == 57


# --- refused -------------------------------------------------------------------------------


def test_a_person_no_rule_maps_is_refused_and_no_account_is_kept(
    single_sign_on, oidc_browser, hanoi_office
):
    response = oidc_browser.sign_in("khach")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not User.objects.filter(username="oidc.khach").exists()
    assert failures() == [("no_rule", "groups=['khach-moi']")]
    page = oidc_browser.client.get("/login/").content.decode()
    assert "Tài khoản đăng nhập một lần của bạn không có quyền vào Giao Ban" in page
    assert oidc_browser.client.get("/").status_code == 302


def test_an_account_disabled_at_the_provider_is_refused(single_sign_on, oidc_browser, hanoi_office):
    response = oidc_browser.sign_in("khoa")

    assert response["Location"] == "/login/"
    assert not User.objects.filter(username="oidc.khoa").exists()
    assert failures() == [("provider_error", "access_denied: account disabled")]
    page = oidc_browser.client.get("/login/").content.decode()
    assert "Dịch vụ đăng nhập một lần đã từ chối đăng nhập" in page


def test_an_account_deactivated_here_cannot_sign_in_through_the_provider(
    single_sign_on, oidc_browser, hanoi_office
):
    lan = UserFactory(username="oidc.lan", full_name="Nguyễn Thị Lan", is_active=False)
    lan.person.source = Source.OIDC
    lan.person.save()

    response = oidc_browser.sign_in("lan")

    assert response["Location"] == "/login/"
    assert failures() == [("inactive", "")]
    assert AuditEntry.objects.get(action="sign_in.oidc_failed").target_id == str(lan.pk)
    assert oidc_browser.client.get("/").status_code == 302
    lan.refresh_from_db()
    assert lan.is_active is False
    assert lan.groups.count() == 0


def test_a_local_account_with_the_same_name_is_not_taken_over(
    single_sign_on, oidc_browser, hanoi_office
):
    local = UserFactory(username="oidc.lan", full_name="Người khác")

    oidc_browser.sign_in("lan")

    assert failures() == [("account_conflict", "")]
    local.refresh_from_db()
    assert local.person.full_name == "Người khác"
    assert local.person.source == Source.LOCAL


@pytest.mark.parametrize("with_iss_parameter", [True, False])
def test_an_answer_of_another_issuer_is_refused(
    single_sign_on, oidc_browser, hanoi_office, settings, with_iss_parameter
):
    settings.OIDC_OP_ISSUER = f"{single_sign_on.issuer}/another-province"
    answer = oidc_browser.at_provider(oidc_browser.start(), "lan")
    if not with_iss_parameter:
        # Only the ID token's `iss` is left to tell.
        answer = with_query(answer, iss=None)

    response = oidc_browser.deliver(answer)

    assert response["Location"] == "/login/"
    assert [reason for reason, _detail in failures()] == ["wrong_issuer"]
    assert failures()[0][1] == f"iss={single_sign_on.issuer!r}"
    assert not User.objects.filter(username="oidc.lan").exists()


def test_an_id_token_issued_for_another_application_is_refused(
    single_sign_on, oidc_browser, hanoi_office, settings
):
    settings.OIDC_RP_CLIENT_ID = "giaoban-other-audience"

    response = oidc_browser.sign_in("lan")

    assert response["Location"] == "/login/"
    assert failures() == [("wrong_audience", "aud=['another-app'] azp='another-app'")]
    assert not User.objects.filter(username="oidc.lan").exists()


def test_an_id_token_for_several_audiences_authorised_for_another_is_refused(
    single_sign_on, oidc_browser, hanoi_office, settings
):
    settings.OIDC_RP_CLIENT_ID = "giaoban-several-audiences"

    oidc_browser.sign_in("lan")

    assert failures() == [
        ("wrong_audience", "aud=['giaoban-several-audiences', 'another-app'] azp='another-app'")
    ]
    assert not User.objects.filter(username="oidc.lan").exists()


def test_an_answer_to_a_sign_in_this_browser_did_not_start_is_refused(
    single_sign_on, oidc_browser, hanoi_office
):
    answer = oidc_browser.at_provider(oidc_browser.start(), "lan")
    other_browser = Client()

    response = other_browser.get(urlsplit(answer).path + "?" + urlsplit(answer).query)

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert failures() == [("bad_state", "")]
    page = other_browser.get("/login/").content.decode()
    assert "Liên kết đăng nhập này đã hết hạn hoặc đã được dùng" in page


def test_a_replayed_answer_is_refused(single_sign_on, oidc_browser, hanoi_office):
    answer = oidc_browser.at_provider(oidc_browser.start(), "lan")
    assert oidc_browser.deliver(answer)["Location"] == "/"
    oidc_browser.client.logout()

    response = oidc_browser.deliver(answer)

    assert response["Location"] == "/login/"
    assert failures() == [("bad_state", "")]
    assert oidc_browser.client.get("/").status_code == 302


def test_an_id_token_with_another_nonce_is_refused(single_sign_on, oidc_browser, hanoi_office):
    # The request reaching the provider is not the one the app made (another nonce).
    tampered = with_query(oidc_browser.start(), nonce="a-nonce-the-app-never-made")
    answer = oidc_browser.at_provider(tampered, "lan")

    response = oidc_browser.deliver(answer)

    assert response["Location"] == "/login/"
    assert failures() == [("bad_nonce", "")]
    assert not User.objects.filter(username="oidc.lan").exists()


def test_a_tampered_code_is_refused_by_the_provider(single_sign_on, oidc_browser, hanoi_office):
    answer = oidc_browser.at_provider(oidc_browser.start(), "lan")

    response = oidc_browser.deliver(with_query(answer, code="not-the-code"))

    assert response["Location"] == "/login/"
    assert [reason for reason, _detail in failures()] == ["token_refused"]
    assert "invalid_grant" in failures()[0][1]


def test_a_provider_that_cannot_be_reached_is_said_so(
    single_sign_on, oidc_browser, hanoi_office, settings
):
    answer = oidc_browser.at_provider(oidc_browser.start(), "lan")
    (closed,) = free_ports(1)
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed}/token"

    response = oidc_browser.deliver(answer)

    assert response["Location"] == "/login/"
    assert [reason for reason, _detail in failures()] == ["unreachable"]
    page = oidc_browser.client.get("/login/").content.decode()
    assert "Không kết nối được dịch vụ đăng nhập một lần" in page


# --- the sign-in page and sign-out ---------------------------------------------------------


def test_the_sign_in_page_offers_single_sign_on_when_configured(single_sign_on, client):
    page = client.get("/login/").content.decode()

    assert (
        '<a href="/oidc/authenticate/" id="single-sign-on" class="button button-block">'
        "Cổng đăng nhập một lần tỉnh Hà Nội</a>"
    ) in page


def test_without_configuration_there_is_no_single_sign_on(client):
    page = client.get("/login/").content.decode()

    assert 'id="single-sign-on"' not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def confirm_form(html: str, base: str) -> tuple[str, dict[str, str]]:
    """The provider's "sign out?" form: its action and hidden fields, answered yes."""
    action = re.search(r'<form[^>]*action="([^"]+)"', html).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return urljoin(base, action), {**fields, "logout": "yes"}


def test_sign_out_ends_the_provider_session_too(single_sign_on, oidc_browser, hanoi_office):
    oidc_browser.sign_in("lan")
    home = oidc_browser.client.get("/").content.decode()
    assert '<form method="post" action="/oidc/logout/">' in home

    response = oidc_browser.client.post("/oidc/logout/")

    assert oidc_browser.client.get("/").status_code == 302
    end_session = urlsplit(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == (
        f"{single_sign_on.issuer}/session/end"
    )
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert query["client_id"] == ["giaoban"]
    assert query["id_token_hint"][0].count(".") == 2
    confirm = oidc_browser.web.get(response["Location"], timeout=10)
    action, fields = confirm_form(confirm.text, confirm.url)
    signed_out = oidc_browser.web.post(action, data=fields, allow_redirects=False, timeout=10)
    assert signed_out.headers["Location"] == "http://testserver/login/"
    # The provider asks for the password again: its session ended.
    again = oidc_browser.web.get(oidc_browser.start(), timeout=10)
    assert 'name="prompt" value="login"' in again.text


def test_a_secretariat_still_owing_the_second_factor_can_sign_out_of_the_provider(
    single_sign_on, oidc_browser, hanoi_office, settings
):
    settings.SECOND_FACTOR_REQUIRED = True
    oidc_browser.sign_in("lan")  # Secretariat: the enrol page is all that is open
    assert oidc_browser.client.get("/")["Location"].startswith("/second-factor/")

    response = oidc_browser.client.post("/oidc/logout/")

    assert response["Location"].startswith(f"{single_sign_on.issuer}/session/end")
    assert oidc_browser.client.get("/")["Location"].startswith("/login/")


def test_a_local_account_signs_out_as_before(single_sign_on, client, alice):
    client.force_login(alice, backend="accounts.backends.PersonModelBackend")

    home = client.get("/").content.decode()

    assert '<form method="post" action="/logout/">' in home
