"""The LDAP_* variables: the directory backend joins the sign-in only when a server is
named, after axes and the local accounts; a half-made configuration stops start-up."""

import subprocess
import sys

from django.conf import settings

BASES = {
    "LDAP_USER_SEARCH_BASE": "ou=people,dc=giaoban,dc=test",
    "LDAP_GROUP_SEARCH_BASE": "ou=groups,dc=giaoban,dc=test",
}


def read_settings(**environment: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS, repr(s.LDAP_SERVER_URI), s.LDAP_BIND_PASSWORD)"
    )
    return subprocess.run(
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
        check=False,
    )


def test_ldap_settings_without_a_server_leave_the_sign_in_local():
    done = read_settings()

    assert done.stdout.strip() == (
        "['axes.backends.AxesStandaloneBackend', 'accounts.backends.PersonModelBackend'] ''"
    )


def test_ldap_settings_with_a_server_add_the_directory_after_the_local_accounts(tmp_path):
    secret = tmp_path / "bind-password"
    secret.write_text("s3cret\n", encoding="utf-8")

    done = read_settings(
        LDAP_SERVER_URI="ldaps://dc1.tinh.gov.vn  ldaps://dc2.tinh.gov.vn:636",
        LDAP_BIND_PASSWORD_FILE=str(secret),
        **BASES,
    )

    assert done.stdout.strip() == (
        "['axes.backends.AxesStandaloneBackend', 'accounts.backends.PersonModelBackend', "
        "'people.ldap_sign_in.DirectoryBackend'] "
        "'ldaps://dc1.tinh.gov.vn ldaps://dc2.tinh.gov.vn:636' s3cret"
    )


def test_ldap_settings_refuse_a_server_without_search_bases():
    done = read_settings(LDAP_SERVER_URI="ldap://127.0.0.1:389")

    assert done.returncode != 0
    assert "LDAP_USER_SEARCH_BASE: required when LDAP_SERVER_URI is set" in done.stderr


def test_ldap_settings_refuse_a_uri_that_is_not_ldap():
    done = read_settings(LDAP_SERVER_URI="http://dc1.tinh.gov.vn", **BASES)

    assert "LDAP_SERVER_URI: expected ldap://host[:port] or ldaps://host[:port]" in done.stderr


def test_ldap_settings_refuse_a_user_filter_without_the_user_name():
    done = read_settings(
        LDAP_SERVER_URI="ldap://127.0.0.1:389", LDAP_USER_FILTER="(uid=admin)", **BASES
    )

    assert "LDAP_USER_FILTER: must contain %(user)s" in done.stderr
