"""Bookings and feeds with the cache (Redis) unreachable, and feed validators kept in
the database so that a change made by any process reaches conditional requests at once.

The unreachable cache is a real Redis client pointed at a loopback port nobody listens
on: every cache call fails as it does when Redis is down.
"""

import pytest
from django.core.cache import cache

from conferencing.site_selection import SiteSelection
from meetings.booking import Slot, reschedule
from meetings.models import Meeting
from tests.factories import BridgeFactory, booked, local_time, serve
from tests.fixtures.services import free_ports
from tests.meetings.calendar.helpers import feed_url, new_feed, parse, vevents

LOCAL = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "tests-local",
}


def locmem(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": location,
        },
        "local": LOCAL,
    }


@pytest.fixture
def cache_down(settings):
    """The cache is Redis on a closed port (Redis down)."""
    (closed_port,) = free_ports(1)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "local": {**LOCAL, "LOCATION": f"tests-local-{closed_port}"},
    }


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


@pytest.fixture
def technician(bob, sites):
    serve(bob, "T01")
    return bob


def book_at(alice, bridge, start):
    return booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=start,
    )


def test_booking_succeeds_when_the_cache_is_unreachable(alice, sites, bridge, cache_down):
    meeting = book_at(alice, bridge, local_time(3, 8))

    assert Meeting.objects.filter(pk=meeting.pk).count() == 1


def test_reschedule_succeeds_when_the_cache_is_unreachable(alice, sites, bridge, cache_down):
    meeting = book_at(alice, bridge, local_time(3, 8))

    moved = reschedule(meeting, Slot(local_time(3, 11), local_time(3, 13), 60), alice)

    assert moved.sequence == 1


def test_feed_answers_200_when_the_cache_is_unreachable(
    client, alice, technician, bridge, cache_down
):
    book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)

    first = client.get(feed_url(token))
    second = client.get(feed_url(token), headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert len(vevents(parse(first.content))) == 1
    assert second.status_code == 304


def test_feed_rate_limit_counts_in_the_process_when_the_cache_is_unreachable(
    client, settings, technician, cache_down
):
    settings.CALENDAR_FEED_RATE_LIMIT = 2
    _feed, token = new_feed(technician)

    statuses = [client.get(feed_url(token)).status_code for _n in range(3)]

    assert statuses == [200, 200, 429]


def test_etag_changes_after_a_booking_made_by_another_process(
    client, settings, alice, technician, bridge
):
    settings.CACHES = locmem("serving-process")
    meeting = book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    etag = client.get(feed_url(token))["ETag"]
    # Another Daphne, a worker or a shell: same database, a cache of its own.
    settings.CACHES = locmem("another-process")
    reschedule(meeting, Slot(local_time(3, 11), local_time(3, 13), 60), alice)
    settings.CACHES = locmem("serving-process")

    response = client.get(feed_url(token), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_etag_changes_after_a_booking_made_while_the_cache_was_down(
    client, settings, alice, technician, bridge
):
    meeting = book_at(alice, bridge, local_time(3, 8))
    _feed, token = new_feed(technician)
    etag = client.get(feed_url(token))["ETag"]
    serving = settings.CACHES
    (closed_port,) = free_ports(1)
    settings.CACHES = {
        **serving,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        },
    }
    reschedule(meeting, Slot(local_time(3, 11), local_time(3, 13), 60), alice)
    settings.CACHES = serving

    response = client.get(feed_url(token), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()
