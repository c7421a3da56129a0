"""The pickers' live count (/meetings/sites/count/): how many sites the selection names
within the acting office's jurisdiction, written as the language writes numbers.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
"""

import pytest

from conferencing.models import Level
from tests.factories import bulk_communes

COUNT_URL = "/meetings/sites/count/"


def test_count_of_a_province_with_its_communes(client_as, alice, sites):
    response = client_as(alice).post(COUNT_URL, {"subtrees": ["T01"], "host": "ignored"})

    assert response.json() == {"count": 4, "text": "4 điểm cầu"}


def test_count_in_english_groups_thousands_with_a_comma(client_as, alice, sites, english):
    bulk_communes(sites["T02"], 1000)
    data = {"levels": [str(Level.PROVINCE.value), str(Level.COMMUNE.value)]}

    response = client_as(alice).post(COUNT_URL, data)

    assert response.json() == {"count": 1008, "text": "1,008 sites"}


def test_count_in_vietnamese_groups_thousands_with_a_dot(client_as, alice, sites):
    bulk_communes(sites["T02"], 3350)

    response = client_as(alice).post(COUNT_URL, {"levels": [str(Level.COMMUNE.value)]})

    assert response.json() == {"count": 3356, "text": "3.356 điểm cầu"}


def test_count_of_nothing_is_zero(client_as, alice, sites):
    response = client_as(alice).post(COUNT_URL, {})

    assert response.json() == {"count": 0, "text": "0 điểm cầu"}


def test_count_of_an_unknown_site_says_so(client_as, alice, sites, english):
    response = client_as(alice).post(COUNT_URL, {"sites": "T01, NOPE"})

    assert response.json() == {"count": None, "text": "Unknown sites: NOPE."}


def test_count_outside_the_jurisdiction_says_so(client_as, hana, sites, english):
    response = client_as(hana).post(COUNT_URL, {"subtrees": ["T01"], "sites": "X0201"})

    answer = response.json()
    assert answer["count"] is None
    assert "X0201" in answer["text"]


def test_count_is_refused_to_a_technician(client_as, bob, sites):
    response = client_as(bob).post(COUNT_URL, {"subtrees": ["T01"]})

    assert response.status_code == 403


@pytest.mark.parametrize("communes", [1, 500])
def test_count_queries_do_not_grow_with_the_sites(
    client_as, alice, sites, communes, django_assert_num_queries
):
    bulk_communes(sites["T02"], communes)
    client = client_as(alice)

    # The session, the user, their roles, the acting office, the provinces and levels the
    # picker offers, then the selection's two.
    with django_assert_num_queries(8):
        response = client.post(COUNT_URL, {"subtrees": ["T02"]})

    assert response.json()["count"] == communes + 4
