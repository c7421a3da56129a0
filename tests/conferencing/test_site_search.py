"""Searching the site directory and the sites API ignores case, marks and đ (issue 15, 4),
on SQLite and PostgreSQL alike, through the search index (accounts.folded_search)."""

import pytest
from django.conf import settings

from conferencing.models import Endpoint, Level
from tests.factories import EndpointFactory, bulk_communes, centre

LIST_URL = "/endpoints/"
API_URL = "/api/v1/endpoints/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def sites():
    root = centre()
    hanoi = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=root)
    EndpointFactory(code="HK", name="Phường Hoàn Kiếm", level=Level.COMMUNE, parent=hanoi)
    EndpointFactory(code="DN", name="Đà Nẵng", level=Level.PROVINCE, parent=root)
    return hanoi


def listed(response) -> list[str]:
    return [endpoint.code for endpoint, _indent in response.context["rows"]]


@pytest.mark.parametrize("typed", ["hoan kiem", "HOÀN KIẾM", "Hoàn Kiếm"])
def test_the_directory_finds_a_site_however_its_name_is_typed(client_as, bob, sites, typed):
    response = client_as(bob).get(LIST_URL, {"q": typed})

    assert listed(response) == ["HK"]


def test_the_directory_finds_d_with_stroke_as_d(client_as, bob, sites):
    response = client_as(bob).get(LIST_URL, {"q": "da nang"})

    assert listed(response) == ["DN"]


def test_the_directory_says_when_nothing_is_found(client_as, bob, sites, english):
    response = client_as(bob).get(LIST_URL, {"q": "hoan nang"})

    assert listed(response) == []
    assert "No site found for “hoan nang”." in response.content.decode()


def test_the_directory_finds_sites_created_in_bulk(client_as, bob, sites):
    bulk_communes(sites, 3, prefix="Z")
    Endpoint.objects.bulk_create(
        [Endpoint(code="QN", name="Quảng Ninh", level=Level.PROVINCE, path="/QN/")]
    )

    response = client_as(bob).get(LIST_URL, {"q": "quang ninh"})

    assert listed(response) == ["QN"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_directory_search_costs_the_same_queries_whatever_it_finds(
    client_as, bob, sites, count, django_assert_num_queries
):
    for number in range(count):
        EndpointFactory(code=f"HK{number}", name=f"Hoàn Kiếm {number}", parent=sites)
    client = client_as(bob)

    # session, user, roles, levels present, count, page, acting office
    with django_assert_num_queries(7):
        response = client.get(LIST_URL, {"q": "hoan kiem"})

    assert len(listed(response)) == count + 1


@pytest.mark.parametrize("typed", ["hoan kiem", "HOÀN KIẾM", "Hoàn Kiếm"])
def test_the_api_finds_a_site_however_its_name_is_typed(api_as, carol, sites, typed):
    response = api_as(carol).get(API_URL, {"q": typed})

    assert [site["code"] for site in response.json()["results"]] == ["HK"]


def test_the_api_finds_d_with_stroke_as_d(api_as, carol, sites):
    response = api_as(carol).get(API_URL, {"q": "da nang"})

    assert [site["code"] for site in response.json()["results"]] == ["DN"]
