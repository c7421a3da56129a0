"""Liveness and readiness probes, with every failure caused for real (no mocks)."""

import json
import time
import urllib.request

import pytest
from botocore.config import Config

from tests.fixtures.services import free_ports, frozen

ALL_OK = {"database": "ok", "storage": "ok", "cache": "ok", "tasks": "ok", "channel_layer": "ok"}


def test_healthz_answers_ok_without_touching_anything(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok_when_every_dependency_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ALL_OK, "failed": []}


@pytest.mark.django_db
def test_readyz_storage_ok_against_real_seaweedfs(client, settings, seaweedfs):
    settings.STORAGES = seaweedfs.storages_setting(settings.STORAGES)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fault",
    [{"secret_key": "not-the-secret-key"}, {"bucket_name": "giaoban-no-such-bucket"}],
    ids=["wrong-credentials", "missing-bucket"],
)
def test_readyz_503_names_storage_when_s3_refuses(client, settings, seaweedfs, fault):
    settings.STORAGES = seaweedfs.storages_setting(settings.STORAGES, **fault)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {**ALL_OK, "storage": "failed"},
        "failed": ["storage"],
    }


@pytest.mark.django_db
def test_readyz_503_names_storage_when_the_media_directory_cannot_exist(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "media"},
        },
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


@pytest.mark.django_db
def test_readyz_503_names_channel_layer_when_redis_is_down(client, settings):
    (closed_port,) = free_ports(1)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{closed_port}/0"]},
        }
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {**ALL_OK, "channel_layer": "failed"},
        "failed": ["channel_layer"],
    }


def test_readyz_503_names_database_and_tasks_when_the_database_is_down(
    client, unreachable_database
):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {**ALL_OK, "database": "failed", "tasks": "failed"},
        "failed": ["database", "tasks"],
    }


@pytest.mark.django_db(transaction=True)
def test_readyz_through_the_real_asgi_server(live_daphne):
    with urllib.request.urlopen(f"{live_daphne}/readyz", timeout=10) as response:
        status, body = response.status, json.load(response)

    assert (status, body) == (200, {"status": "ok", "checks": ALL_OK, "failed": []})


@pytest.mark.django_db(transaction=True)
def test_real_asgi_server_serves_static_files(live_daphne):
    with urllib.request.urlopen(f"{live_daphne}/static/css/app.css", timeout=10) as response:
        status, content_type = response.status, response.headers["Content-Type"]

    assert (status, content_type.split(";")[0]) == (200, "text/css")


@pytest.mark.django_db
def test_readyz_503_names_cache_when_redis_is_down(client, settings):
    (closed_port,) = free_ports(1)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        },
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {**ALL_OK, "cache": "failed"},
        "failed": ["cache"],
    }


@pytest.mark.django_db
def test_readyz_answers_within_its_budget_when_s3_is_frozen(client, settings, private_seaweedfs):
    settings.READYZ_BUDGET_SECONDS = 2
    # Timeouts far beyond the budget: the budget alone must bound the answer.
    slow = Config(connect_timeout=30, read_timeout=30, retries={"total_max_attempts": 1})
    settings.STORAGES = private_seaweedfs.storages_setting(settings.STORAGES, client_config=slow)
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"

    with frozen(private_seaweedfs):
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {**ALL_OK, "storage": "timeout"},
        "failed": ["storage"],
    }
    assert elapsed < settings.READYZ_BUDGET_SECONDS + 1
