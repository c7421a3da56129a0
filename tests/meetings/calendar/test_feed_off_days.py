"""A series' occurrences on a day off in calendar feeds: a skipped one is an EXDATE of the
recurring event, a moved one an override of its instance (RECURRENCE-ID) at its new time."""

from datetime import timedelta

import pytest
from django.core.cache import cache

from conferencing.site_selection import SiteSelection
from meetings.models import OffDayPolicy
from meetings.series import book_series
from tests.factories import BookingRequestFactory, BridgeFactory, serve
from tests.meetings.calendar.helpers import by_uid, feed_url, master, new_feed, parse
from tests.meetings.off_day_helpers import announced_day_off_ahead, at_eight

WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def technician(bob, sites):
    serve(bob, "T01")
    return bob


def weekly_over_a_day_off(alice, off_days: str):
    first = at_eight(announced_day_off_ahead())
    request = BookingRequestFactory(
        bridge_id=BridgeFactory(name="MCU Trung ương", port_capacity=40).pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=first,
        details__title="Giao ban tuần",
    )
    return first, book_series(request, "FREQ=WEEKLY;COUNT=3", alice, off_days=off_days)


def feed_of(client, user):
    _feed, token = new_feed(user)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    return parse(response.content)


def test_skipped_occurrence_is_an_exdate(client, alice, technician):
    first, outcome = weekly_over_a_day_off(alice, OffDayPolicy.SKIP)

    calendar = feed_of(client, technician)

    event = master(calendar, outcome.series.uid)
    assert event["DTSTART"].dt == first
    assert [when.dt for when in event["EXDATE"].dts] == [first]
    assert [e for e in by_uid(calendar, outcome.series.uid) if "RECURRENCE-ID" in e] == []


def test_moved_occurrence_overrides_its_instance(client, alice, technician):
    first, outcome = weekly_over_a_day_off(alice, OffDayPolicy.MOVE)

    calendar = feed_of(client, technician)

    event = master(calendar, outcome.series.uid)
    assert "EXDATE" not in event
    (override,) = [e for e in by_uid(calendar, outcome.series.uid) if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt == first
    assert override["DTSTART"].dt == first + timedelta(days=1)
    assert override["DTEND"].dt == first + timedelta(days=1) + 2 * HOUR
