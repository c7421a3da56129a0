"""Each pytest-xdist worker's own VAR_DIR, Redis database and bucket (config/test_workers.py)."""

from pathlib import Path

import pytest

from config.test_workers import channel_prefix, isolate_worker, redis_url_for_worker

DEFAULT = Path("/srv/giaoban/var")


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/2", "gw1", "redis://127.0.0.1:6379/4"),
        ("redis://:secret@redis:6379", "gw0", "redis://:secret@redis:6379/1"),
        (
            "rediss://redis:6380/3?ssl_cert_reqs=none",
            "gw2",
            "rediss://redis:6380/6?ssl_cert_reqs=none",
        ),
        ("unix:///run/redis.sock?db=2", "gw0", "unix:///run/redis.sock?db=3"),
        ("unix:///run/redis.sock", "gw1", "unix:///run/redis.sock?db=2"),
    ],
)
def test_a_worker_has_a_redis_database_after_the_configured_one(url, worker, expected):
    assert redis_url_for_worker(url, worker) == expected


def test_a_worker_gets_its_own_directory_redis_database_and_bucket():
    environ = {
        "PYTEST_XDIST_WORKER": "gw1",
        "VAR_DIR": "/tmp/var",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "S3_BUCKET": "giaoban-ci",
    }

    isolate_worker(environ, DEFAULT)

    assert environ == {
        "PYTEST_XDIST_WORKER": "gw1",
        "GIAOBAN_TEST_WORKER": "gw1",
        "VAR_DIR": "/tmp/var/worker-gw1",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "S3_BUCKET": "giaoban-ci-gw1",
    }


def test_a_process_the_worker_started_keeps_what_it_was_given():
    """A Daphne child inherits the worker's environment, with a bucket of its own at times."""
    environ = {"PYTEST_XDIST_WORKER": "gw0", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    isolate_worker(environ, DEFAULT)
    child = {**environ, "S3_BUCKET": "giaoban-test"}

    isolate_worker(child, DEFAULT)

    assert child == {**environ, "S3_BUCKET": "giaoban-test"}
    assert child["VAR_DIR"] == str(DEFAULT / "worker-gw0")


def test_without_workers_nothing_changes():
    environ = {"REDIS_URL": "redis://127.0.0.1:6379/0", "S3_BUCKET": "giaoban"}

    isolate_worker(environ, DEFAULT)

    assert environ == {"REDIS_URL": "redis://127.0.0.1:6379/0", "S3_BUCKET": "giaoban"}
    assert channel_prefix("") == "asgi"
    assert channel_prefix("gw3") == "asgi-gw3"
