"""Readiness fixtures: sites, an open session, technicians, and the channel layers.

Consumer tests run once with the in-memory layer and once with Redis pub/sub (the
production layer); `private_redis` is a redis-server of the test's own that the
test may stop and start again.
"""

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.test import override_settings

from accounts.roles import Role
from tests.conferencing.websocket_helpers import session_cookie
from tests.factories import BridgeFactory, UserFactory, open_session, serve, site_tree
from tests.fixtures.services import _die_with_parent, free_ports

SHARED_REDIS = "redis://127.0.0.1:6379/7"
REDIS_START_TIMEOUT_S = 10.0


def memory_layer() -> dict:
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def redis_layer(address: str) -> dict:
    """The production layer (settings.py); a prefix of its own keeps these tests' pub/sub
    channels apart from anyone else's on the same server (pub/sub ignores db numbers)."""
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": address, "max_connections": 100}],
                "prefix": f"gbtest{uuid.uuid4().hex[:8]}",
            },
        }
    }


@pytest.fixture(params=["memory", "redis"])
def channel_layer(request) -> Iterator[str]:
    """Run the test with each channel layer; override_settings also empties channels'
    cache of layers (channels.layers.channel_layers listens to setting_changed)."""
    config = memory_layer() if request.param == "memory" else redis_layer(SHARED_REDIS)
    with override_settings(CHANNEL_LAYERS=config):
        yield request.param


class RedisServer:
    """A redis-server on a free port, without persistence, that a test may stop."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not on PATH"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            _die_with_parent(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + REDIS_START_TIMEOUT_S
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    assert self.process.poll() is None, "redis-server exited"
                    assert time.monotonic() < deadline, "redis-server did not answer"
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer(free_ports(1)[0])
    server.start()
    try:
        with override_settings(CHANNEL_LAYERS=redis_layer(server.url)):
            yield server
    finally:
        server.stop()


# -- Sites, people and a session whose readiness window is open ------------------------------


@pytest.fixture
def readiness_sites(db):
    """TW; provinces T01, T02; communes X0101, X0102, X0201, X0202."""
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def dung(db):
    """A technician of a participant site (X0102) only: no board for him."""
    return UserFactory(username="dung", full_name="Dung", roles=[Role.TECHNICIAN])


@pytest.fixture
def session(readiness_sites, alice, bob, dung):
    """T01 hosts T02 and four communes; the window opened 30 minutes ago, the session
    starts in 30. bob serves T01 (host) and X0101, dung serves X0102."""
    serve(bob, "T01", "X0101")
    serve(dung, "X0102")
    return open_session(
        alice,
        sites=("T01", "T02", "X0101", "X0102", "X0201", "X0202"),
        host_code="T01",
        bridge_id=BridgeFactory().pk,
    )


@pytest.fixture
def legs(session) -> dict[str, int]:
    """The session's leg ids by site code."""
    return dict(session.conference.legs.values_list("endpoint__code", "pk"))


@pytest.fixture
def cookies(alice, bob, carol, dung, mallory) -> dict[str, str | None]:
    """Session cookies of the personas; `anonymous` has none."""
    users = (alice, bob, carol, dung, mallory)
    return {user.username: session_cookie(user) for user in users} | {"anonymous": None}


@pytest.fixture
def twenty_legs(alice, bob) -> list[int]:
    """The legs (by site code) of a session of twenty sites T01, X0101…X0119, all of them
    served by bob; its readiness window is open."""
    sites = site_tree(provinces=1, communes=19)
    codes = sorted(code for code in sites if code != "TW")
    serve(bob, *codes)
    meeting = open_session(alice, sites=tuple(codes), host_code="T01", bridge_id=BridgeFactory().pk)
    by_code = dict(meeting.conference.legs.values_list("endpoint__code", "pk"))
    return [by_code[code] for code in codes]
