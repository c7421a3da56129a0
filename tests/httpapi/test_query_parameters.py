"""A request naming a query parameter its operation does not read (a write included), or a
bad pagination value, is 400 naming the parameter (httpapi.query_parameters), not silently
ignored."""

import pytest

from meetings.models import Meeting
from tests.problems import field_errors

MEETINGS = "/api/v1/meetings/"


def test_an_unknown_parameter_of_a_list_is_400_naming_it(api_as, alice):
    response = api_as(alice).get(MEETINGS, {"stauts": "cancelled", "limit": "5"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "stauts",
            "code": "unknown_parameter",
            "detail": "Unknown query parameter: stauts.",
        }
    ]


@pytest.mark.parametrize(
    ("query", "field"), [({"limit": "abc"}, "limit"), ({"offset": "-1"}, "offset")]
)
def test_a_bad_pagination_value_is_400(api_as, alice, query, field):
    response = api_as(alice).get(MEETINGS, query)

    assert (response.status_code, list(field_errors(response))) == (400, [field])


def test_pagination_and_filters_are_accepted(api_as, alice):
    response = api_as(alice).get(MEETINGS, {"limit": "5", "offset": "0", "status": "scheduled"})

    assert response.status_code == 200


def test_a_retrieve_reads_no_parameter(api_as, alice):
    response = api_as(alice).get(f"{MEETINGS}999999/", {"expand": "sites"})

    assert (response.status_code, list(field_errors(response))) == (400, ["expand"])


def test_a_write_reads_no_parameter_and_writes_nothing(api_as, alice):
    response = api_as(alice).post(f"{MEETINGS}?dry_run=1", {}, format="json")

    assert (response.status_code, list(field_errors(response))) == (400, ["dry_run"])
    assert not Meeting.objects.exists()


def test_other_lists_declare_their_parameters_too(api_as, carol):
    client = api_as(carol)

    answers = [
        client.get("/api/v1/endpoints/", {"q": "Hà", "levle": "province"}),
        client.get("/api/v1/bridges/", {"page": "2"}),
        client.get("/api/v1/tokens/", {"all": "1"}),
    ]

    assert [(a.status_code, list(field_errors(a))) for a in answers] == [
        (400, ["levle"]),
        (400, ["page"]),
        (400, ["all"]),
    ]


@pytest.mark.django_db
def test_a_stranger_hears_401_before_any_parameter_is_read(api):
    response = api.get(MEETINGS, {"nonsense": "1"})

    assert response.status_code == 401
