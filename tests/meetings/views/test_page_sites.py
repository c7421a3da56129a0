"""The sites of a session on its page: listed when few, counted by level and province
when many, and listed on demand a page at a time (the site list).

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02; bulk
communes B00000… under T01 where a test adds them.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re

import pytest

from accounts.roles import Role
from conferencing.session_sites import LISTED_INLINE, SITES_PER_PAGE
from conferencing.site_selection import SiteSelection
from meetings.models import Attendee, Classification
from tests.factories import BridgeFactory, UserFactory, booked, bulk_communes, local_time
from tests.meetings.views.pages import DAY, book_province, url_for


def book_national(user, bridge):
    """Every site, on a bridge of its own with ports for them all."""
    start = local_time(DAY, 14)
    return booked(
        user,
        bridge_id=BridgeFactory(name="MCU Quốc gia", port_capacity=4000).pk,
        sites=SiteSelection(subtrees=("TW",)),
        host_code="TW",
        slot__start=start,
        slot__end=start.replace(hour=16),
    )


def site_list_url(meeting, query: str = "") -> str:
    return f"/meetings/{meeting.pk}/site-list/{query}"


@pytest.mark.parametrize("extra_communes", [0, LISTED_INLINE, 600])
def test_meeting_page_queries_are_constant_in_the_number_of_sites(
    client_as, alice, sites, bridge, django_assert_num_queries, extra_communes
):
    bulk_communes(sites["T01"], extra_communes)
    meeting = book_national(alice, bridge)
    client = client_as(alice)

    # As tests/meetings/views/test_page.py counts them: the same for 9 sites or 609.
    # 16 since the conclusion notice's card (meetings.conclusions: one query).
    with django_assert_num_queries(16):
        response = client.get(url_for("detail", meeting))

    assert response.status_code == 200


def test_meeting_page_of_a_large_session_counts_its_sites_instead_of_listing_them(
    client_as, alice, sites, bridge, english
):
    bulk_communes(sites["T01"], LISTED_INLINE)
    meeting = book_national(alice, bridge)

    response = client_as(alice).get(url_for("detail", meeting))

    html = response.content.decode()
    assert f"{1 + 2 + 6 + LISTED_INLINE} sites" in html
    assert "B00000" not in html
    by_level = re.search(r'<table class="data-table" id="sites-by-level">(.*?)</table>', html, re.S)
    assert re.findall(r"level=(\w+)\">(\w+)</a></th><td[^>]*>(\d+)<", by_level.group(1)) == [
        ("central", "Central", "1"),
        ("province", "Province", "2"),
        ("commune", "Commune", str(6 + LISTED_INLINE)),
    ]
    by_province = re.search(r'id="sites-by-province">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r"province=(\w+)\">[^<]*</a></th><td[^>]*>(\d+)<", by_province) == [
        ("T01", str(4 + LISTED_INLINE)),
        ("T02", "4"),
    ]
    assert f'href="{site_list_url(meeting)}" id="site-list-link"' in html
    assert response.context["host"].code == "TW"


def test_site_list_pages_and_filters_the_sites(client_as, alice, sites, bridge, english):
    bulk_communes(sites["T01"], SITES_PER_PAGE)
    meeting = book_national(alice, bridge)
    client = client_as(alice)

    first = client.get(site_list_url(meeting, "?province=T01"))
    second = client.get(site_list_url(meeting, "?province=T01&page=2"))
    communes = client.get(site_list_url(meeting, "?province=T02&level=commune"))

    assert f"{4 + SITES_PER_PAGE} sites" in first.content.decode()
    assert len(first.context["page"].object_list) == SITES_PER_PAGE
    assert [site.code for site in second.context["page"].object_list] == [
        "B00099",
        "X0101",
        "X0102",
        "X0103",
    ]
    assert 'rel="prev" href="?province=T01&amp;page=1"' in second.content.decode()
    assert [site.code for site in communes.context["page"].object_list] == [
        "X0201",
        "X0202",
        "X0203",
    ]


def test_site_list_marks_the_host_and_says_when_nothing_matches(
    client_as, alice, sites, bridge, english
):
    meeting = book_national(alice, bridge)
    client = client_as(alice)

    listed = client.get(site_list_url(meeting, "?level=central")).content.decode()
    nothing = client.get(site_list_url(meeting, "?q=no+such+site")).content.decode()
    nowhere = client.get(site_list_url(meeting, "?province=NOPE")).content.decode()

    assert re.search(r'<tr class="site-row-host">.*?TW.*?host</span>', listed, re.S)
    assert "No site found for “no such site”." in nothing
    assert "No site matches these filters." in nowhere


@pytest.mark.parametrize("extra_communes", [0, 300])
def test_site_list_queries_are_constant_in_the_number_of_sites(
    client_as, alice, sites, bridge, django_assert_num_queries, extra_communes
):
    bulk_communes(sites["T02"], extra_communes)
    meeting = book_national(alice, bridge)
    client = client_as(alice)

    # session, user, roles, meeting, details visible, offices acted for, the summary (3),
    # the count and the page of sites
    with django_assert_num_queries(11):
        response = client.get(site_list_url(meeting, "?province=T02"))

    assert response.status_code == 200


def test_site_list_of_an_unknown_level_lists_every_level(client_as, alice, meeting):
    response = client_as(alice).get(site_list_url(meeting, "?level=galaxy"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4


def test_site_list_is_refused_to_who_may_not_read_the_session(
    client_as, alice, carol, sites, bridge
):
    confidential = book_province(
        alice,
        bridge,
        "T01",
        local_time(DAY, 14),
        title="Họp mật",
        classification=Classification.CONFIDENTIAL,
    )
    technician = UserFactory(username="kythuat", roles=[Role.TECHNICIAN])
    sites["X0101"].technicians.add(technician)

    busy_only = client_as(technician).get(site_list_url(confidential))
    uninvited = client_as(carol).get(site_list_url(confidential))
    Attendee.objects.create(meeting=confidential, user=carol)
    invited = client_as(carol).get(site_list_url(confidential))

    assert busy_only.status_code == 404
    assert uninvited.status_code == 404
    assert invited.status_code == 200
