"""Calendar feeds follow the office (issue #13): an organisation feed is made for the
office its owner acts for and holds what that office sees; a site feed of the
secretariat only for a site of its jurisdiction; a feed stops when its owner leaves
the office or the secretariat.

Sites: TW; T01 (Hà Nội) with X0101, X0102; T02 with X0201, X0202. Offices: VPCP (TW),
VP-HN (T01), VP-T02 (T02). alice: central secretariat; hana: Hà Nội secretariat;
tam: the other province's secretariat; bob: technician of X0101.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.roles import Role
from conferencing import jurisdiction
from conferencing.site_selection import SiteSelection
from meetings.calendar import feed_tokens
from meetings.calendar.feed_tokens import FeedTokenError
from meetings.calendar.models import FeedKind, FeedToken
from meetings.models import Classification
from tests.factories import (
    BridgeFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    serve,
)
from tests.meetings.calendar.helpers import feed_url, new_feed, parse, vevents


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tam(other):
    return UserFactory(username="tam", roles=[Role.SECRETARIAT], offices=[other])


@pytest.fixture
def sessions(alice, hana, hanoi, sites):
    """A national session touching X0101, Hà Nội's own, one of T02 only, and a
    confidential national one touching X0101 to which hana is not invited."""
    central = BridgeFactory(name="MCU Trung ương", owner=central_office())
    provincial = BridgeFactory(name="MCU Hà Nội", owner=hanoi)

    def book(user, bridge, day, codes, host, **details):
        return booked(
            user,
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=codes),
            host_code=host,
            slot__start=local_time(day, 8),
            **{f"details__{name}": value for name, value in details.items()},
        )

    return {
        "national": book(alice, central, 3, ("TW", "X0101", "X0201"), "TW", title="Toàn quốc"),
        "hanoi": book(hana, provincial, 4, ("T01", "X0102"), "T01", title="Giao ban Hà Nội"),
        "t02": book(alice, central, 5, ("T02", "X0201"), "T02", title="Riêng T02"),
        "secret": book(
            alice,
            central,
            6,
            ("TW", "X0101"),
            "TW",
            title="Họp mật XYZ",
            classification=Classification.CONFIDENTIAL,
        ),
    }


def summaries(client, token) -> list[str]:
    response = client.get(feed_url(token))
    assert response.status_code == 200
    return sorted(str(event["SUMMARY"]) for event in vevents(parse(response.content)))


def test_organisation_feed_is_made_for_the_acting_office(hana, hanoi, sites):
    feed, _token = new_feed(hana, FeedKind.ORGANISATION)

    assert (feed.kind, feed.office) == (FeedKind.ORGANISATION, hanoi)


def test_organisation_feed_holds_what_its_office_sees(client, hana, sessions):
    _feed, token = new_feed(hana, FeedKind.ORGANISATION)

    with translation.override("en"):
        seen = summaries(client, token)

    assert seen == ["Cuộc họp mật", "Giao ban Hà Nội", "Toàn quốc"]


def test_central_organisation_feed_holds_every_session(client, alice, sessions):
    _feed, token = new_feed(alice, FeedKind.ORGANISATION)

    seen = summaries(client, token)

    assert seen == ["Giao ban Hà Nội", "Họp mật XYZ", "Riêng T02", "Toàn quốc"]


def test_other_province_feed_does_not_hold_hanoi_sessions(client, tam, sessions):
    _feed, token = new_feed(tam, FeedKind.ORGANISATION)

    seen = summaries(client, token)

    assert seen == ["Riêng T02", "Toàn quốc"]


def test_member_of_two_offices_gets_the_feed_of_the_office_acted_for(
    client, hanoi, other, sessions
):
    both = UserFactory(username="both", roles=[Role.SECRETARIAT], offices=[hanoi, other])
    jurisdiction.choose(both, other.pk)  # as the header's switch does

    feed, token = new_feed(both, FeedKind.ORGANISATION)

    assert feed.office == other
    assert summaries(client, token) == ["Riêng T02", "Toàn quốc"]


def test_feed_stops_when_its_owner_leaves_the_office(client, hana, hanoi, sessions):
    _feed, token = new_feed(hana, FeedKind.ORGANISATION)
    hanoi.members.remove(hana)

    response = client.get(feed_url(token))

    assert response.status_code == 404
    assert response.content == b"Not Found\n"


def test_feed_stops_when_its_owner_leaves_the_secretariat(client, hana, sessions):
    _feed, token = new_feed(hana, FeedKind.ORGANISATION)
    hana.groups.clear()

    assert client.get(feed_url(token)).status_code == 404


def test_feed_stops_when_its_office_is_deactivated(client, hana, hanoi, sessions):
    _feed, token = new_feed(hana, FeedKind.ORGANISATION)
    hanoi.is_active = False
    hanoi.save()

    assert client.get(feed_url(token)).status_code == 404


def test_organisation_feed_refuses_a_province_outside_the_jurisdiction(hana, sites):
    with pytest.raises(FeedTokenError) as refused:
        new_feed(hana, FeedKind.ORGANISATION, province_code="T02")

    assert refused.value.field == "province"
    assert "T02" in refused.value.message


def test_organisation_feed_of_a_province_may_filter_by_its_province(hana, sites):
    feed, _token = new_feed(hana, FeedKind.ORGANISATION, province_code="T01")

    assert feed.province == sites["T01"]


def test_secretariat_site_feed_only_within_its_jurisdiction(hana, sites):
    feed, _token = new_feed(hana, FeedKind.SITE, site_code="X0101")
    with pytest.raises(FeedTokenError) as refused:
        new_feed(hana, FeedKind.SITE, site_code="X0201")

    assert feed.endpoint == sites["X0101"]
    assert (refused.value.field, "X0201" in refused.value.message) == ("site", True)


def test_technician_site_feed_for_their_site_only(bob, sites):
    serve(bob, "X0101")
    feed, _token = new_feed(bob, FeedKind.SITE, site_code="X0101")
    with pytest.raises(PermissionDenied):
        new_feed(bob, FeedKind.SITE, site_code="X0201")

    assert feed.endpoint == sites["X0101"]


def test_secretariat_site_feed_stops_when_the_site_leaves_its_offices(
    client, hana, hanoi, sites, sessions
):
    _feed, token = new_feed(hana, FeedKind.SITE, site_code="X0101")
    hanoi.members.remove(hana)

    assert client.get(feed_url(token)).status_code == 404


def test_rotated_organisation_feed_keeps_its_office(hana, hanoi, sites):
    feed, _token = new_feed(hana, FeedKind.ORGANISATION)

    rotated, _new_token = feed_tokens.rotate(feed, hana)

    assert rotated.office == hanoi


def test_secretariat_without_an_office_has_no_organisation_feed(sites):
    loner = UserFactory(username="loner", roles=[Role.SECRETARIAT], offices=[])

    assert feed_tokens.may_create_kind(loner, FeedKind.ORGANISATION) is False
    with pytest.raises(PermissionDenied):
        new_feed(loner, FeedKind.ORGANISATION)


def test_calendar_page_offers_the_provinces_of_the_acting_office(client_as, hana, alice, sites):
    hana_page = client_as(hana).get("/calendar/")
    alice_page = client_as(alice).get("/calendar/")

    def offered(response):
        return [site.code for site in response.context["form"].fields["province"].queryset]

    assert (offered(hana_page), offered(alice_page)) == (["T01"], ["T01", "T02"])


def test_calendar_page_refuses_a_forged_province(client_as, hana, sites):
    response = client_as(hana).post(
        "/calendar/subscriptions/new/", {"kind": FeedKind.ORGANISATION, "province": "T02"}
    )

    assert response.status_code == 400
    assert "province" in response.context["form"].errors
    assert FeedToken.objects.count() == 0
