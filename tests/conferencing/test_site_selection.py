"""How a secretariat names sites, resolved on the server in a constant number of queries."""

import pytest
from django.utils import translation

from conferencing.models import Endpoint, Level
from conferencing.site_selection import SiteSelection, SiteSelectionError, resolve_sites
from tests.factories import EndpointFactory, bulk_communes, site_tree


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    """TW; T01, T02, T03; communes X0101…X0302 (two per province)."""
    return site_tree(provinces=3, communes=2)


def codes(selection: SiteSelection) -> list[str]:
    resolved = resolve_sites(selection)
    by_id = {pk: code for code, pk in resolved.id_by_code.items()}
    return [by_id[pk] for pk in resolved.ids]


def refusal(selection: SiteSelection) -> str:
    with pytest.raises(SiteSelectionError) as refused:
        resolve_sites(selection)
    return str(refused.value)


def test_resolve_all_provinces(sites):
    assert codes(SiteSelection(levels=(Level.PROVINCE,))) == ["T01", "T02", "T03"]


def test_resolve_a_province_and_all_its_communes(sites):
    assert codes(SiteSelection(subtrees=("T02",))) == ["T02", "X0201", "X0202"]


def test_resolve_named_sites_in_tree_order(sites):
    assert codes(SiteSelection(sites=("X0302", "TW", "T01"))) == ["TW", "T01", "X0302"]


def test_resolve_the_whole_nation_by_levels(sites):
    selection = SiteSelection(levels=(Level.CENTRAL, Level.PROVINCE, Level.COMMUNE))

    assert len(codes(selection)) == Endpoint.objects.count() == 10


def test_resolve_overlapping_parts_names_each_site_once(sites):
    selection = SiteSelection(levels=(Level.PROVINCE,), subtrees=("T01",), sites=("T01", "TW"))

    assert codes(selection) == ["TW", "T01", "X0101", "X0102", "T02", "T03"]


def test_resolve_excludes_named_sites_and_subtrees(sites):
    selection = SiteSelection(
        levels=(Level.PROVINCE, Level.COMMUNE),
        exclude_sites=("X0101",),
        exclude_subtrees=("T03",),
    )

    assert codes(selection) == ["T01", "X0102", "T02", "X0201", "X0202"]


def test_resolve_gives_each_code_its_id(sites):
    resolved = resolve_sites(SiteSelection(subtrees=("T01",)))

    assert resolved.id_of("T01") == sites["T01"].pk
    assert resolved.id_of("T02") is None


def test_resolve_leaves_out_an_inactive_site_inside_a_subtree(sites):
    Endpoint.objects.filter(code="X0101").update(is_active=False)

    assert codes(SiteSelection(subtrees=("T01",))) == ["T01", "X0102"]


def test_resolve_refuses_an_inactive_site_named_one_by_one(sites):
    Endpoint.objects.filter(code__in=["X0101", "X0201"]).update(is_active=False)

    assert refusal(SiteSelection(sites=("T01", "X0201", "X0101"))) == (
        "Inactive sites cannot be booked: X0101, X0201."
    )


def test_resolve_an_inactive_named_site_that_is_also_excluded_is_no_error(sites):
    Endpoint.objects.filter(code="X0101").update(is_active=False)

    assert codes(SiteSelection(sites=("T01", "X0101"), exclude_sites=("X0101",))) == ["T01"]


def test_resolve_refuses_unknown_site_codes_listing_them(sites):
    assert refusal(SiteSelection(sites=("T01", "ZZ9", "AA1"))) == "Unknown sites: AA1, ZZ9."


def test_resolve_refuses_an_unknown_subtree(sites):
    assert refusal(SiteSelection(subtrees=("T99",))) == "Unknown sites: T99."


def test_resolve_refuses_an_unknown_excluded_subtree(sites):
    selection = SiteSelection(subtrees=("T01",), exclude_subtrees=("T99",))

    assert refusal(selection) == "Unknown sites: T99."


def test_resolve_refuses_an_unknown_level(sites):
    assert refusal(SiteSelection(levels=(7,))) == "Unknown level: 7."


@pytest.mark.parametrize(
    "selection",
    [SiteSelection(), SiteSelection(exclude_sites=("T01",), exclude_subtrees=("T02",))],
    ids=["nothing", "only exclusions"],
)
def test_resolve_refuses_an_empty_selection(sites, selection):
    assert refusal(selection) == "Choose at least one site."


def test_resolve_refuses_a_selection_that_excludes_everything(sites):
    selection = SiteSelection(subtrees=("T01",), exclude_subtrees=("T01",))

    assert refusal(selection) == "The selection contains no active site."


def test_resolve_refuses_a_subtree_whose_sites_are_all_inactive(sites):
    Endpoint.objects.filter(path__startswith=sites["T02"].path).update(is_active=False)

    assert refusal(SiteSelection(subtrees=("T02",))) == "The selection contains no active site."


def test_resolve_subtree_codes_with_like_wildcards_match_literally(sites):
    underscore = EndpointFactory(code="T_9", level=Level.PROVINCE, parent=sites["TW"])
    EndpointFactory(code="TA9", level=Level.PROVINCE, parent=sites["TW"])
    EndpointFactory(code="XA901", level=Level.COMMUNE, parent=underscore)

    assert codes(SiteSelection(subtrees=("T_9",))) == ["T_9", "XA901"]


@pytest.mark.parametrize("communes", [10, 1000])
def test_resolve_a_subtree_costs_two_queries_for_10_or_1000_sites(
    sites, communes, django_assert_num_queries
):
    bulk_communes(sites["T01"], communes)

    with django_assert_num_queries(2):
        resolved = resolve_sites(
            SiteSelection(subtrees=("T01",), exclude_subtrees=("T02",), exclude_sites=("X0101",))
        )

    assert len(resolved.ids) == communes + 2


@pytest.mark.parametrize("communes", [10, 1000])
def test_resolve_levels_and_named_sites_cost_one_query_for_10_or_1000_sites(
    sites, communes, django_assert_num_queries
):
    bulk_communes(sites["T01"], communes)

    with django_assert_num_queries(1):
        resolved = resolve_sites(
            SiteSelection(levels=(Level.COMMUNE,), sites=("TW",), exclude_sites=("X0101",))
        )

    assert len(resolved.ids) == communes + 6
