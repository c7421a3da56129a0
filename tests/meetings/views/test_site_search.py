"""The site pickers' suggestions (/meetings/sites/search/?q=): a few active sites of the
acting office's jurisdiction found by name or code however they are typed, for the host
combobox and the code adders of the booking and change-sites forms.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02; below,
"Phường Hoàn Kiếm" (HK) under T01 and "Xã Hoàn Kiếm" (HK2) under T02.
"""

import pytest

from conferencing.models import Endpoint, Level
from tests.factories import EndpointFactory, bulk_communes

SEARCH_URL = "/meetings/sites/search/"


@pytest.fixture
def hoan_kiem(sites):
    EndpointFactory(code="HK", name="Phường Hoàn Kiếm", level=Level.COMMUNE, parent=sites["T01"])
    EndpointFactory(code="HK2", name="Xã Hoàn Kiếm", level=Level.COMMUNE, parent=sites["T02"])


def codes(response) -> list[str]:
    return [site["code"] for site in response.json()["sites"]]


@pytest.mark.parametrize("typed", ["hoan kiem", "HOÀN KIẾM", "Hoàn Kiếm", "kiem"])
def test_sites_are_found_however_their_name_is_typed(client_as, alice, hoan_kiem, typed):
    response = client_as(alice).get(SEARCH_URL, {"q": typed})

    assert codes(response) == ["HK", "HK2"]


def test_a_suggestion_has_the_name_code_and_level(client_as, alice, hoan_kiem, english):
    response = client_as(alice).get(SEARCH_URL, {"q": "phuong hoan kiem"})

    assert response.json() == {
        "sites": [{"code": "HK", "name": "Phường Hoàn Kiếm", "level": "Commune"}],
        "text": "1 site found.",
    }


def test_another_offices_sites_are_not_suggested(client_as, hana, hoan_kiem):
    response = client_as(hana).get(SEARCH_URL, {"q": "hoan kiem"})

    assert codes(response) == ["HK"]


def test_a_site_whose_code_is_typed_comes_first(client_as, alice, hoan_kiem):
    response = client_as(alice).get(SEARCH_URL, {"q": "hk2"})

    assert codes(response) == ["HK2"]
    assert codes(client_as(alice).get(SEARCH_URL, {"q": "HK"}))[:2] == ["HK", "HK2"]


def test_inactive_sites_are_not_suggested(client_as, alice, hoan_kiem):
    Endpoint.objects.filter(code="HK").update(is_active=False)

    response = client_as(alice).get(SEARCH_URL, {"q": "hoan kiem"})

    assert codes(response) == ["HK2"]


def test_nothing_found_says_so(client_as, alice, hoan_kiem, english):
    response = client_as(alice).get(SEARCH_URL, {"q": "can tho"})

    assert response.json() == {"sites": [], "text": "No site found for “can tho”."}


def test_nothing_typed_suggests_nothing(client_as, alice, hoan_kiem):
    response = client_as(alice).get(SEARCH_URL, {"q": "  "})

    assert response.json() == {"sites": [], "text": ""}


def test_at_most_twenty_are_suggested_and_the_text_says_there_are_more(
    client_as, alice, sites, english
):
    bulk_communes(sites["T01"], 25, prefix="Z")

    response = client_as(alice).get(SEARCH_URL, {"q": "xa z"})

    assert codes(response) == [f"Z{n:05d}" for n in range(20)]
    assert response.json()["text"] == "The first 20 sites found; type more to narrow them down."


@pytest.mark.parametrize("count", [1, 3])
def test_a_search_costs_the_same_queries_whatever_it_finds(
    client_as, alice, sites, count, django_assert_num_queries
):
    bulk_communes(sites["T01"], count, prefix="Z")
    client = client_as(alice)

    # session, user, roles, acting office, the sites found
    with django_assert_num_queries(5):
        response = client.get(SEARCH_URL, {"q": "xa z"})

    assert len(codes(response)) == count


def test_the_search_is_refused_to_a_technician(client_as, bob, sites):
    assert client_as(bob).get(SEARCH_URL, {"q": "t01"}).status_code == 403
