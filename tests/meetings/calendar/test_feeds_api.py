"""The caller's calendar feeds through the API: GET/POST /api/v1/calendar/feeds/,
POST /api/v1/calendar/feeds/{id}/rotate/, DELETE /api/v1/calendar/feeds/{id}/."""

import pytest

from audit.models import AuditEntry
from meetings.calendar import feed_tokens
from meetings.calendar.models import FeedKind, FeedToken
from tests.factories import serve
from tests.meetings.calendar.helpers import new_feed
from tests.problems import field_errors, members

URL = "/api/v1/calendar/feeds/"


def feed_path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_personal_feed_is_made_and_its_address_shown_once(api_as, carol, client):
    created = api_as(carol).post(URL, {"kind": "personal"}, format="json", secure=True)

    assert created.status_code == 201
    body = created.json()
    feed = FeedToken.objects.get()
    assert (body["id"], body["kind"], body["site"], body["office"]) == (
        feed.pk,
        "personal",
        None,
        None,
    )
    assert body["url"].startswith("https://testserver/calendar/feed/")
    assert body["webcal_url"] == "webcal://" + body["url"].removeprefix("https://")
    assert client.get(feed_path(body["url"])).status_code == 200
    listed = api_as(carol).get(URL).json()
    assert [item["id"] for item in listed] == [feed.pk]
    assert "url" not in listed[0]
    assert AuditEntry.objects.filter(action="calendar.feed_created").count() == 1


def test_a_technician_makes_a_feed_of_the_site_they_serve(api_as, bob, sites):
    serve(bob, "T01")

    created = api_as(bob).post(URL, {"kind": "site", "site": "T01"}, format="json")

    assert created.status_code == 201
    assert created.json()["site"] == "T01"


def test_a_secretariat_makes_the_organisation_feed_of_its_office(api_as, hana, hanoi):
    created = api_as(hana).post(URL, {"kind": "organisation", "level": "commune"}, format="json")

    assert created.status_code == 201
    assert (created.json()["office"], created.json()["level"]) == (hanoi.pk, "commune")


def test_a_kind_not_yours_to_make_is_a_403(api_as, carol):
    response = api_as(carol).post(URL, {"kind": "organisation"}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert FeedToken.objects.count() == 0


def test_a_site_outside_what_you_serve_or_manage_is_a_400(api_as, hana, sites):
    response = api_as(hana).post(URL, {"kind": "site", "site": "T02"}, format="json")

    assert response.status_code == 400
    assert list(field_errors(response)) == ["site"]


def test_an_unknown_site_and_an_unknown_kind_are_400s(api_as, hana, sites):
    client = api_as(hana)

    unknown_site = client.post(URL, {"kind": "site", "site": "NOPE"}, format="json")
    unknown_kind = client.post(URL, {"kind": "weekly"}, format="json")

    assert (unknown_site.status_code, unknown_kind.status_code) == (400, 400)
    assert field_errors(unknown_site) == {"site": ["Choose an existing site."]}
    assert list(field_errors(unknown_kind)) == ["kind"]


def test_more_feeds_than_allowed_is_a_400(api_as, carol):
    for _ in range(feed_tokens.MAX_ACTIVE_FEEDS):
        new_feed(carol)

    response = api_as(carol).post(URL, {"kind": "personal"}, format="json")

    assert response.status_code == 400
    # The request as a whole, not one of its fields.
    assert list(field_errors(response)) == [""]


def test_a_feed_rotated_gets_a_new_address_and_the_old_one_stops(api_as, carol, client):
    feed, old_token = new_feed(carol)

    rotated = api_as(carol).post(f"{URL}{feed.pk}/rotate/")

    assert rotated.status_code == 201
    assert client.get(f"/calendar/feed/{old_token}.ics").status_code == 404
    assert client.get(feed_path(rotated.json()["url"])).status_code == 200
    assert [item["id"] for item in api_as(carol).get(URL).json()] == [rotated.json()["id"]]


def test_a_feed_revoked_stops_at_once(api_as, carol, client):
    feed, token = new_feed(carol)

    response = api_as(carol).delete(f"{URL}{feed.pk}/")

    assert response.status_code == 204
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert api_as(carol).get(URL).json() == []


def test_another_persons_feed_is_a_404_like_a_missing_one(api_as, carol, bob):
    feed, _token = new_feed(carol)
    client = api_as(bob)

    for method, suffix in (("delete", ""), ("post", "rotate/")):
        theirs = getattr(client, method)(f"{URL}{feed.pk}/{suffix}")
        missing = getattr(client, method)(f"{URL}999999/{suffix}")
        assert (theirs.status_code, members(theirs)) == (404, members(missing))
    assert FeedToken.objects.active().get() == feed


def test_a_revoked_feed_is_a_404(api_as, carol):
    feed, _token = new_feed(carol)
    feed_tokens.revoke(feed, carol)

    assert api_as(carol).delete(f"{URL}{feed.pk}/").status_code == 404


def test_anonymous_is_a_401_and_no_role_a_403(api, api_as, mallory):
    assert api.get(URL).status_code == 401
    assert api_as(mallory).get(URL).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_whatever_its_length(
    api_as, hana, hanoi, sites, count, django_assert_num_queries
):
    for _ in range(count):
        feed_tokens.create(hana, feed_tokens.FeedScope(kind=FeedKind.ORGANISATION))
        feed_tokens.create(hana, feed_tokens.FeedScope(kind=FeedKind.SITE, site_code="T01"))
    client = api_as(hana)

    with django_assert_num_queries(4):
        assert len(client.get(URL).json()) == 2 * count
