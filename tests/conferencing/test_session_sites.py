"""The sites of one session as its page reads them: counts by level and by province,
the host, the sites listed when few, and a page of them on demand.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02; a
district D01 under T02 with communes of its own where a test adds it.
"""

import pytest

from conferencing import session_sites
from conferencing.models import Level
from conferencing.session_sites import LISTED_INLINE, SITES_PER_PAGE, SessionSite
from conferencing.site_selection import SiteSelection
from tests.factories import BridgeFactory, EndpointFactory, booked, bulk_communes, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def bridge(db):
    return BridgeFactory(port_capacity=4000)


def book(alice, bridge, selection: SiteSelection, host: str):
    return booked(alice, bridge_id=bridge.pk, sites=selection, host_code=host)


def test_summarise_counts_by_level_and_province_and_names_the_host(alice, sites, bridge):
    district = EndpointFactory(code="D01", level=Level.DISTRICT, parent=sites["T02"])
    EndpointFactory(code="X0299", level=Level.COMMUNE, parent=district)
    bulk_communes(sites["T01"], LISTED_INLINE)
    meeting = book(alice, bridge, SiteSelection(subtrees=("TW",)), "TW")

    summary = session_sites.summarise(meeting.conference_id)

    assert summary.total == 1 + 2 + 3 + LISTED_INLINE + 3 + 1 + 1
    assert [(row.level, row.count) for row in summary.by_level] == [
        (Level.CENTRAL, 1),
        (Level.PROVINCE, 2),
        (Level.DISTRICT, 1),
        (Level.COMMUNE, 3 + LISTED_INLINE + 3 + 1),
    ]
    assert [(row.code, row.count) for row in summary.by_province] == [
        ("T01", 1 + 3 + LISTED_INLINE),
        ("T02", 1 + 3 + 1 + 1),
    ]
    assert summary.host == SessionSite("TW", sites["TW"].name, Level.CENTRAL, True)
    assert summary.listed is None


def test_summarise_lists_the_sites_of_a_small_session_in_tree_order(alice, sites, bridge):
    meeting = book(alice, bridge, SiteSelection(subtrees=("T01",)), "X0102")

    summary = session_sites.summarise(meeting.conference_id)

    assert [(site.code, site.is_host) for site in summary.listed] == [
        ("T01", False),
        ("X0101", False),
        ("X0102", True),
        ("X0103", False),
    ]
    assert summary.host.code == "X0102"
    assert [(row.code, row.count) for row in summary.by_province] == [("T01", 4)]


@pytest.mark.parametrize("communes", [3, LISTED_INLINE + 5, 400])
def test_summarise_takes_three_queries_whatever_the_number_of_sites(
    alice, sites, bridge, django_assert_num_queries, communes
):
    bulk_communes(sites["T02"], communes)
    meeting = book(alice, bridge, SiteSelection(subtrees=("TW",)), "TW")

    # the counts by level and parent, the provinces' names, the host (or the small list)
    with django_assert_num_queries(3):
        session_sites.summarise(meeting.conference_id)


def test_sites_page_filters_by_province_level_and_search(alice, sites, bridge):
    sites["X0101"].name = "Phường Hoàn Kiếm, Hà Nội"
    sites["X0101"].save()
    meeting = book(alice, bridge, SiteSelection(subtrees=("TW",)), "TW")

    def codes(**filters):
        page = session_sites.sites_page(meeting.conference_id, **filters)
        return [site.code for site in page.object_list]

    assert codes(province="T02") == ["T02", "X0201", "X0202", "X0203"]
    assert codes(province="T02", level=Level.COMMUNE) == ["X0201", "X0202", "X0203"]
    assert codes(level=Level.PROVINCE) == ["T01", "T02"]
    assert codes(search="x0102") == ["X0102"]
    assert codes(search="HA NOI x0101") == ["X0101"]
    assert codes(province="NOSUCH") == []
    assert codes(province="X0101") == []  # a commune is no province


def test_sites_page_pages_through_a_large_session(alice, sites, bridge, django_assert_num_queries):
    bulk_communes(sites["T01"], SITES_PER_PAGE + 20)
    meeting = book(alice, bridge, SiteSelection(subtrees=("T01",)), "T01")

    with django_assert_num_queries(2):
        second = session_sites.sites_page(meeting.conference_id, number=2)

    assert second.paginator.count == 1 + 3 + SITES_PER_PAGE + 20
    assert len(second.object_list) == 24
    assert second.object_list[-1].code == "X0103"
