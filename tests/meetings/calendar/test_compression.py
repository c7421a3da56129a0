"""The feed and the .ics download compressed for clients that accept gzip, with
conditional requests answered 304 whichever ETag the client kept.

Sites: TW; T01, T02 and their communes. bob serves T01; carol is invited by name.
"""

import gzip

import pytest
from django.core.cache import cache

from conferencing.site_selection import SiteSelection
from meetings.models import Attendee, AttendeeRole
from tests.factories import BridgeFactory, booked, local_time, serve, site_tree
from tests.meetings.calendar.helpers import feed_url, new_feed, parse, vevents

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting(alice, bob, carol, db):
    site_tree(provinces=2, communes=2)
    serve(bob, "T01")
    session = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(3, 8),
        details__title="Giao ban tỉnh",
    )
    Attendee.objects.create(meeting=session, user=carol, role=AttendeeRole.MEMBER)
    return session


def varies_on_encoding(response) -> bool:
    return "accept-encoding" in response["Vary"].lower()


def test_feed_is_compressed_for_a_client_that_accepts_gzip(client, bob, meeting):
    _feed, token = new_feed(bob)

    plain = client.get(feed_url(token))
    compressed = client.get(feed_url(token), headers=GZIP)

    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Content-Type"] == "text/calendar; charset=utf-8"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    assert varies_on_encoding(compressed)
    assert compressed["ETag"] == "W/" + plain["ETag"]  # gzip_page weakens it


def test_feed_is_plain_for_a_client_that_does_not_accept_gzip(client, bob, meeting):
    _feed, token = new_feed(bob)

    response = client.get(feed_url(token), headers={"accept-encoding": "identity"})

    assert not response.has_header("Content-Encoding")
    assert varies_on_encoding(response)
    assert [str(event["UID"]) for event in vevents(parse(response.content))] == [meeting.uid]


@pytest.mark.parametrize("compressed_first", [True, False])
@pytest.mark.parametrize("compressed_now", [True, False])
def test_feed_answers_304_to_the_etag_the_client_got(
    client, bob, meeting, compressed_first, compressed_now
):
    """The ETag the client kept is the compressed answer's (weak) or the plain one's
    (strong); either way the feed is current, and the 304 repeats the ETag this request's
    full answer would carry."""
    _feed, token = new_feed(bob)
    first = client.get(feed_url(token), headers=GZIP if compressed_first else {})
    full = client.get(feed_url(token), headers=GZIP if compressed_now else {})

    response = client.get(
        feed_url(token),
        headers={**(GZIP if compressed_now else {}), "if-none-match": first["ETag"]},
    )

    assert (response.status_code, response.content) == (304, b"")
    assert response["ETag"] == full["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]
    assert varies_on_encoding(response)


def test_download_is_compressed_for_a_client_that_accepts_gzip(client_as, carol, meeting):
    client = client_as(carol)
    url = f"/calendar/meetings/{meeting.pk}.ics"

    plain = client.get(url)
    compressed = client.get(url, headers=GZIP)

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Content-Disposition"] == plain["Content-Disposition"]
    assert varies_on_encoding(compressed)
    # DTSTAMP may be the moment of the download (content.download_calendar): the rest
    # is the same.
    assert without_stamps(gzip.decompress(compressed.content)) == without_stamps(plain.content)


def without_stamps(text: bytes) -> list[bytes]:
    return [line for line in text.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]
