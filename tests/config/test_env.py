"""The typed environment readers, and settings that refuse to start on a bad variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parents[2]
SQLITE_PATH = Path("/srv/giaoban.sqlite3")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)

    assert env_bool("FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "y es"])
def test_env_bool_bad_value_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)

    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("FLAG")

    assert str(error.value) == f"FLAG: expected true or false, got {raw!r}"


def test_env_int_reads_a_number_and_defaults_when_unset_or_blank(monkeypatch):
    monkeypatch.setenv("POOL", " 12 ")
    monkeypatch.setenv("BLANK", "  ")
    monkeypatch.delenv("UNSET", raising=False)

    assert (env_int("POOL", 5), env_int("BLANK", 5), env_int("UNSET", 5)) == (12, 5, 5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ten", "POOL: expected a whole number, got 'ten'"),
        ("1.5", "POOL: expected a whole number, got '1.5'"),
        ("0", "POOL: must be at least 1, got 0"),
        ("-3", "POOL: must be at least 1, got -3"),
    ],
)
def test_env_int_bad_value_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("POOL", raw)

    with pytest.raises(ImproperlyConfigured) as error:
        env_int("POOL", 5, minimum=1)

    assert str(error.value) == message


def test_env_str_strips_and_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("NAME", "  giaoban  ")
    monkeypatch.setenv("HOSTS", " a.gov.vn, ,b.gov.vn ,")

    assert env_str("NAME") == "giaoban"
    assert env_list("HOSTS") == ["a.gov.vn", "b.gov.vn"]
    assert env_list("UNSET_HOSTS", "localhost,127.0.0.1") == ["localhost", "127.0.0.1"]


def test_env_secret_prefers_the_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("API_KEY", "from-the-variable")
    monkeypatch.setenv("API_KEY_FILE", str(secret_file))

    assert env_secret("API_KEY") == "from-the-file"


def test_env_secret_falls_back_to_the_variable_then_the_default(monkeypatch):
    monkeypatch.delenv("API_KEY_FILE", raising=False)
    monkeypatch.setenv("API_KEY", "from-the-variable")
    monkeypatch.delenv("OTHER_KEY", raising=False)
    monkeypatch.delenv("OTHER_KEY_FILE", raising=False)

    assert env_secret("API_KEY") == "from-the-variable"
    assert env_secret("OTHER_KEY", "fallback") == "fallback"


def test_env_secret_unreadable_file_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("API_KEY_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured) as error:
        env_secret("API_KEY")

    assert str(error.value).startswith("API_KEY_FILE: cannot read ")
    assert "missing" in str(error.value)


def test_env_url_accepts_listed_schemes_only(monkeypatch):
    monkeypatch.setenv("CACHE", "redis://cache:6379/1")
    monkeypatch.setenv("BAD_CACHE", "http://cache:6379")
    monkeypatch.setenv("NO_CACHE", "")

    assert env_url("CACHE", ("redis", "rediss")) == "redis://cache:6379/1"
    assert env_url("NO_CACHE", ("redis",)) == ""
    with pytest.raises(ImproperlyConfigured) as error:
        env_url("BAD_CACHE", ("redis", "rediss"))
    assert str(error.value) == (
        "BAD_CACHE: expected a URL starting with redis:// or rediss://, got 'http://cache:6379'"
    )


def test_database_from_url_unset_gives_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    database = database_from_url("DATABASE_URL", SQLITE_PATH)

    assert database == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SQLITE_PATH,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


def test_database_from_url_parses_a_postgres_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://gb%40user:p%2Fss@db.internal:6543/giao%20ban")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "4")

    database = database_from_url("DATABASE_URL", SQLITE_PATH)

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "giao ban",
        "USER": "gb@user",
        "PASSWORD": "p/ss",
        "HOST": "db.internal",
        "PORT": "6543",
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 4}},
    }


def test_database_from_url_without_credentials_or_port(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://localhost/giaoban")
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)

    database = database_from_url("DATABASE_URL", SQLITE_PATH)

    assert (database["USER"], database["PASSWORD"], database["HOST"], database["PORT"]) == (
        "",
        "",
        "localhost",
        "",
    )
    assert database["OPTIONS"]["pool"]["max_size"] == 10


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://root@localhost/giaoban",
            "DATABASE_URL: expected a URL starting with postgres:// or postgresql://, "
            "got 'mysql://root@localhost/giaoban'",
        ),
        (
            "postgres://localhost:5432/",
            "DATABASE_URL: the URL names no database, got 'postgres://localhost:5432/'",
        ),
        (
            "postgres://localhost:port/giaoban",
            "DATABASE_URL: the port is not a number in 'postgres://localhost:port/giaoban'",
        ),
    ],
)
def test_database_from_url_bad_url_names_the_variable(monkeypatch, url, message):
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(ImproperlyConfigured) as error:
        database_from_url("DATABASE_URL", SQLITE_PATH)

    assert str(error.value) == message


# -- Settings in a fresh interpreter: a bad variable stops the process, naming it -------

SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
    "REDIS_URL",
    "REDIS_MAX_CONNECTIONS",
    "S3_ENDPOINT_URL",
    "S3_PUBLIC_ENDPOINT_URL",
    "S3_BUCKET",
    "S3_ACCESS_KEY",
    "S3_ACCESS_KEY_FILE",
    "S3_SECRET_KEY",
    "S3_SECRET_KEY_FILE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
]


def import_settings(
    code: str = "settings.INSTALLED_APPS", **variables: str
) -> subprocess.CompletedProcess:
    """Run `code` after importing config.settings in a new interpreter, with only
    these of the settings' variables set."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_import_with_good_variables():
    result = import_settings(SECRET_KEY="k" * 50, DEBUG="false")

    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"SECRET_KEY": "k" * 50, "DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "SECRET_KEY_FILE"),
        ({"SECRET_KEY": "k" * 50, "REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"SECRET_KEY": "k" * 50, "DATABASE_URL": "mysql://x/db"}, "DATABASE_URL"),
        (
            {"SECRET_KEY": "k" * 50, "DATABASE_URL": "postgres://x/db", "DATABASE_POOL_SIZE": "0"},
            "DATABASE_POOL_SIZE",
        ),
        ({"SECRET_KEY": "k" * 50, "S3_ENDPOINT_URL": "ftp://s3"}, "S3_ENDPOINT_URL"),
        ({"SECRET_KEY": "k" * 50, "S3_ENDPOINT_URL": "http://s3:8333"}, "S3_BUCKET"),
        ({"SECRET_KEY": "k" * 50, "CSRF_TRUSTED_ORIGINS": "gov.vn"}, "CSRF_TRUSTED_ORIGINS"),
        ({"SECRET_KEY": "k" * 50, "SECURE_COOKIES": "sometimes"}, "SECURE_COOKIES"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else value,
)
def test_settings_refuse_a_bad_variable_and_name_it(variables, named):
    result = import_settings(**variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{named}:" in result.stderr.strip().splitlines()[-1]


def test_settings_read_secret_key_from_a_file(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text("s" * 50 + "\n", encoding="utf-8")

    result = import_settings("print(settings.SECRET_KEY)", SECRET_KEY_FILE=str(secret_file))

    assert (result.returncode, result.stdout) == (0, "s" * 50 + "\n")
