"""Test overrides only; everything else is the real, environment-driven configuration."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# Thousands of tests sign in with force_login and no second factor: it is off unless a test
# turns it on (settings.SECOND_FACTOR_REQUIRED = True), or a Daphne child is started with
# SECOND_FACTOR_REQUIRED=true in its environment (tests/browser/test_second_factor.py).
os.environ.setdefault("SECOND_FACTOR_REQUIRED", "false")

from pathlib import Path

from config.test_workers import channel_prefix, isolate_worker, worker_name

# A pytest-xdist worker's own VAR_DIR, Redis database and bucket (config/test_workers.py).
isolate_worker(os.environ, Path(__file__).resolve().parent.parent / "var")

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES, VAR_DIR  # noqa: E402

# A fresh clone has no var/ yet; SQLite cannot create its test file without it.
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Outermost, to see responses as sent: every calendar body served goes to the parsers
# of tests/calendar_bodies.py at the end of the run.
# Beside it, the status of every API response goes to tests/api_statuses.py, which compares
# them with the statuses the schema documents.
MIDDLEWARE = [
    "tests.calendar_bodies.record_calendar_responses",
    "tests.api_statuses.record_api_statuses",
    *MIDDLEWARE,  # noqa: F405
]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests leave the collector as it is (config.asgi is imported by the consumer tests).
GC_FREEZE_SECONDS = 0

# Named explicitly so a Daphne child process (browser tests) opens the same test
# database as the test run (STACK.md); a pytest-xdist worker's is its own (its VAR_DIR, or
# the worker's name as suffix, as pytest-django would name it).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-giaoban.sqlite3")}
else:
    suffix = f"_{worker_name()}" if worker_name() else ""
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{suffix}"}

# Django's backends, with a cheaper flush after each transactional test: the tables that
# post_migrate fills from the models are kept, and PostgreSQL DELETEs instead of TRUNCATE
# (config/test_backends/__init__.py). The vendor and every other behaviour are Django's.
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "config.test_backends.sqlite3",
    "django.db.backends.postgresql": "config.test_backends.postgresql",
}[DATABASES["default"]["ENGINE"]]

# Redis pub/sub ignores database numbers: each worker's groups under a prefix of its own.
if "CONFIG" in CHANNEL_LAYERS["default"]:  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = channel_prefix(worker_name())  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    MEDIA_ROOT = VAR_DIR / "test-media"
    STORAGES["default"] = {**STORAGES["default"], "OPTIONS": {"location": MEDIA_ROOT}}

# The webhook tests deliver to a receiver on loopback over plain HTTP (tests/integrations).
WEBHOOKS_ALLOW_HTTP = True
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
