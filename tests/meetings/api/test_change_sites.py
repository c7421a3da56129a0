"""Changing a meeting's sites through the API: the exact selection, 400 and 409."""

import pytest

from tests.meetings.api.helpers import LIST_URL, at, booked, written
from tests.problems import field_errors


def test_change_sites_makes_the_sites_exactly_the_selection(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8), sites=("HN", "HCM"))

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/sites/", {"sites": {"subtrees": ["HCM"]}, "host": "HCM-01"}
    )

    assert response.status_code == 200
    assert response.json()["sites"] == [
        {"code": "HCM", "name": "Hồ Chí Minh", "level": "province", "role": "participant"},
        {"code": "HCM-01", "name": "Bến Nghé", "level": "commune", "role": "host"},
    ]
    assert response.json()["sequence"] == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"sites": {}, "host": "HN"}, "sites", "Choose at least one site."),
        (
            {"sites": {"sites": ["OLD"]}, "host": "OLD"},
            "sites",
            "Inactive sites cannot be booked: OLD.",
        ),
        (
            {"sites": {"sites": ["HN"]}, "host": "HCM"},
            "host",
            "The host site must be one of the chosen sites.",
        ),
        ({"host": "HN"}, "sites", "This field is required."),
    ],
)
def test_change_sites_bad_input_is_400(api_as, alice, tree, bridge, body, field, message):
    meeting = booked(alice, bridge, at(2, 8), sites=("HN", "HCM"))
    before = written()

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/sites/", body)

    assert response.status_code == 400
    assert field_errors(response) == {field: [message]}
    assert written() == before
    assert meeting.conference.legs.count() == 2


def test_change_sites_to_a_taken_site_is_409(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8), sites=("HN",))
    booked(alice, bridge, at(2, 8), sites=("HCM",), host="HCM")
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/sites/", {"sites": {"sites": ["HN", "HCM"]}, "host": "HN"}
    )

    assert response.status_code == 409
    assert [s["sites"] for s in response.json()["sessions"]] == [
        [{"code": "HCM", "name": "Hồ Chí Minh"}]
    ]
    assert written() == before
