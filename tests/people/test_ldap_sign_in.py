"""Sign-in with a directory password, end to end: the sign-in page, django-auth-ldap, the
real slapd of tests/fixtures/slapd.py, the directory rules and the account they make."""

import socket
import time

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from accounts.models import Source
from accounts.roles import Role
from audit.models import AuditEntry
from people.ldap_sign_in import DirectoryBackend
from people.models import DirectoryRule
from tests.factories import DEMO_PASSWORD, UserFactory, site_tree
from tests.fixtures.slapd_server import PASSWORD

User = get_user_model()

DISABLED_VI = (
    "Tài khoản này đã bị vô hiệu hoá trong thư mục người dùng. Hãy nhờ quản trị viên "
    "thư mục kích hoạt lại."
)
NO_RULE_VI = (
    "Tài khoản thư mục của bạn không thuộc nhóm nào được quyền sử dụng Giao Ban. Hãy nhờ "
    "quản trị viên thư mục thêm bạn vào một nhóm phù hợp."
)
UNAVAILABLE_VI = (
    "Hiện không thể đăng nhập bằng tài khoản thư mục: máy chủ thư mục người dùng không "
    "phản hồi. Hãy thử lại sau vài phút; nếu vẫn không được, hãy báo quản trị viên hệ thống."
)
WRONG_PASSWORD_VI = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác."
LOCKED_VI = (
    "Tài khoản này đã bị tạm khoá đăng nhập từ địa chỉ của bạn vì nhập sai mật khẩu quá "
    "nhiều lần. Hãy thử lại sau 15 phút hoặc nhờ quản trị viên mở khoá."
)


@pytest.fixture
def sites(db):
    return site_tree()


@pytest.fixture
def directory(ldap_sign_in, settings, hanoi):
    """The tree's groups mapped as a province would: its secretaries to VP-HN."""
    settings.DIRECTORY_RULES = (
        "giaoban-thuky=Secretariat:VP-HN;giaoban-kythuat=Technician;giaoban-daibieu=Attendee"
    )
    settings.AXES_FAILURE_LIMIT = 5
    return ldap_sign_in


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="192.0.2.8"
    )


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def account(username: str):
    return User.objects.select_related("person").get(username=username)


def roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def failure_reasons() -> list[str | None]:
    return [
        entry.changes.get("reason")
        for entry in AuditEntry.objects.filter(action="sign_in.failed").order_by("id")
    ]


def test_ldap_sign_in_of_a_secretary_gives_the_role_office_and_details_of_the_directory(
    client, directory
):
    response = sign_in(client, "lan")

    assert response.status_code == 302
    assert signed_in(client) is True
    lan = account("lan")
    assert roles(lan) == ["Secretariat"]
    assert list(lan.offices.values_list("code", flat=True)) == ["VP-HN"]
    assert (lan.email, lan.person.full_name, lan.person.phone, lan.person.unit) == (
        "lan@giaoban.test",
        "Nguyễn Thị Lan",
        "0241 3825 111",
        "Văn phòng UBND thành phố Hà Nội",
    )
    assert lan.person.source == Source.LDAP
    assert lan.has_usable_password() is False


def test_ldap_sign_in_shows_the_full_name_as_written_in_the_header(client, directory):
    sign_in(client, "lan")

    response = client.get(reverse("home"))

    assert '<span class="user-name">Nguyễn Thị Lan</span>' in response.content.decode()


def test_ldap_sign_in_of_a_technician_takes_the_sites_from_the_directory_attribute(
    client, directory
):
    sign_in(client, "hung")

    hung = account("hung")
    assert roles(hung) == ["Technician"]
    assert hung.person.full_name == "Đặng Văn Hùng"
    assert sorted(hung.served_endpoints.values_list("code", flat=True)) == [
        "X0101",
        "X0102",
        "X0103",
    ]


def test_ldap_sign_in_without_a_sites_attribute_leaves_the_sites_to_the_app(
    client, directory, settings, sites
):
    settings.LDAP_SITES_ATTRIBUTE = ""
    hung = UserFactory(username="hung", password=None)  # no local password
    hung.served_endpoints.set([sites["X0201"]])

    sign_in(client, "hung")

    assert roles(hung) == ["Technician"]
    assert list(hung.served_endpoints.values_list("code", flat=True)) == ["X0201"]


def test_ldap_group_membership_changes_apply_at_the_next_sign_in(client, directory):
    sign_in(client, "lan")
    client.logout()
    directory.remove_member("giaoban-thuky", "lan")
    directory.add_member("giaoban-daibieu", "lan")
    try:
        sign_in(client, "lan")
    finally:
        directory.remove_member("giaoban-daibieu", "lan")
        directory.add_member("giaoban-thuky", "lan")

    lan = account("lan")
    assert roles(lan) == ["Attendee"]
    assert list(lan.offices.all()) == []
    synced = AuditEntry.objects.filter(action="person.directory_synced").order_by("id")
    assert [entry.changes["after"] for entry in synced] == [
        {"roles": ["Secretariat"], "offices": ["VP-HN"], "sites": []},
        {"roles": ["Attendee"], "offices": [], "sites": []},
    ]


def test_ldap_rules_the_superuser_made_in_the_app_replace_the_environment_default(
    client, directory, hanoi
):
    DirectoryRule.objects.create(source="ldap", group="giaoban-thuky", role=Role.ATTENDEE)

    sign_in(client, "lan")

    lan = account("lan")
    assert roles(lan) == ["Attendee"]
    assert list(lan.offices.all()) == []


def test_ldap_disabled_person_is_refused_with_a_clear_message(client, directory):
    response = sign_in(client, "khoa")

    assert response.status_code == 200
    assert DISABLED_VI in page_text(response)
    assert signed_in(client) is False
    assert User.objects.filter(username="khoa").exists() is False
    assert failure_reasons() == ["directory_disabled"]


def test_ldap_person_disabled_after_signing_in_cannot_sign_in_the_next_time(client, directory):
    sign_in(client, "lan")
    client.logout()
    directory.set_disabled("lan", True)
    try:
        response = sign_in(client, "lan")
    finally:
        directory.set_disabled("lan", False)

    assert DISABLED_VI in page_text(response)
    assert signed_in(client) is False


def test_ldap_person_removed_from_the_directory_cannot_sign_in_with_an_old_local_password(
    client, directory
):
    lan = UserFactory(username="lan")  # a local password from before, DEMO_PASSWORD
    lan.person.source = Source.LDAP
    lan.person.save()
    sign_in(client, "lan")
    client.logout()
    removed = directory.remove_person("lan")
    try:
        by_directory = sign_in(client, "lan", PASSWORD)
        by_old_local = sign_in(client, "lan", DEMO_PASSWORD)
    finally:
        directory.restore_person("lan", removed)

    assert WRONG_PASSWORD_VI in page_text(by_directory)
    assert WRONG_PASSWORD_VI in page_text(by_old_local)
    assert signed_in(client) is False
    assert account("lan").has_usable_password() is False


def test_ldap_entry_never_takes_over_a_local_account_with_its_own_password(client, directory):
    UserFactory(username="lan", full_name="Lan (local)")

    by_directory = sign_in(client, "lan", PASSWORD)
    by_local = sign_in(client, "lan", DEMO_PASSWORD)

    assert WRONG_PASSWORD_VI in page_text(by_directory)
    assert by_local.status_code == 302
    lan = account("lan")
    assert (lan.person.source, lan.person.full_name) == (Source.LOCAL, "Lan (local)")


def test_ldap_person_in_no_mapped_group_is_refused_and_gets_no_account(client, directory):
    response = sign_in(client, "minh")

    assert NO_RULE_VI in page_text(response)
    assert User.objects.filter(username="minh").exists() is False
    assert failure_reasons() == ["directory_no_rule"]


def test_ldap_wrong_password_is_refused_as_any_wrong_password(client, directory):
    response = sign_in(client, "lan", "not-the-password")

    assert response.status_code == 200
    assert WRONG_PASSWORD_VI in page_text(response)
    assert signed_in(client) is False
    assert failure_reasons() == [None]


def test_ldap_sign_in_is_locked_out_after_the_failure_limit_and_audited(client, directory):
    for number in range(5):
        sign_in(client, "lan", f"wrong-{number}")

    response = sign_in(client, "lan", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_VI in page_text(response)
    assert signed_in(client) is False
    locked = AuditEntry.objects.get(action="sign_in.locked_out")
    assert locked.changes == {"username": "lan", "ip_address": "192.0.2.8", "failures": 5}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ldap_directory_that_does_not_answer_gives_a_clear_message_not_an_error(
    client, directory, settings
):
    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{closed_port()}"

    response = sign_in(client, "lan")

    assert response.status_code == 200
    assert UNAVAILABLE_VI in page_text(response)
    assert failure_reasons() == ["directory_unavailable"]


def test_ldap_hung_directory_is_given_up_after_the_timeout(client, directory, settings):
    settings.LDAP_TIMEOUT = 1
    with socket.socket() as silent:
        # Accepts connections (the kernel completes them) and never answers a request.
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()

        response = sign_in(client, "lan")

        waited = time.monotonic() - started
    assert UNAVAILABLE_VI in page_text(response)
    assert waited < 3


def test_ldap_local_superuser_signs_in_while_the_directory_is_down(client, directory, settings):
    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{closed_port()}"
    UserFactory(username="root", is_superuser=True, is_staff=True)

    response = sign_in(client, "root", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(client) is True


def test_ldap_directory_backend_loads_the_person_with_the_account(
    client, directory, django_assert_num_queries
):
    sign_in(client, "lan")
    user_id = account("lan").pk

    with django_assert_num_queries(1):
        user = DirectoryBackend().get_user(user_id)
        assert user.person.full_name == "Nguyễn Thị Lan"


def test_ldap_sign_in_is_off_without_a_server_uri(client, directory, settings):
    settings.LDAP_SERVER_URI = ""

    response = sign_in(client, "lan")

    assert WRONG_PASSWORD_VI in page_text(response)
    assert failure_reasons() == [None]


def test_ldap_second_server_is_tried_when_the_first_does_not_answer(client, directory, settings):
    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{closed_port()} {directory.uri}"

    response = sign_in(client, "lan")

    assert response.status_code == 302
    assert signed_in(client) is True


def test_ldap_start_tls_with_the_directory_s_ca_signs_in(client, directory, settings):
    settings.LDAP_START_TLS = True
    settings.LDAP_TLS_CA_FILE = directory.ca_file

    response = sign_in(client, "lan")

    assert response.status_code == 302
    assert signed_in(client) is True


def test_ldap_start_tls_with_a_certificate_no_trusted_ca_signed_is_refused(
    client, directory, settings
):
    settings.LDAP_START_TLS = True  # and the system's CAs, none of which signed it

    response = sign_in(client, "lan")

    assert UNAVAILABLE_VI in page_text(response)
    assert signed_in(client) is False
    assert failure_reasons() == ["directory_unavailable"]


def test_ldap_disabling_is_the_filter_s_rule_and_an_empty_filter_checks_nothing(
    client, directory, settings
):
    settings.LDAP_DISABLED_FILTER = ""

    response = sign_in(client, "khoa")

    assert response.status_code == 302
    assert roles(account("khoa")) == ["Attendee"]


def test_ldap_sign_in_of_an_account_deactivated_in_the_app_is_refused_and_changes_nothing(
    client, directory
):
    sign_in(client, "lan")
    client.logout()
    lan = account("lan")
    lan.is_active = False
    lan.save()
    lan.groups.clear()

    response = sign_in(client, "lan")

    assert WRONG_PASSWORD_VI in page_text(response)
    assert signed_in(client) is False
    assert roles(account("lan")) == []
