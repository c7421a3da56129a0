"""The offices whose people the caller manages, and their people, through the API:
GET /api/v1/offices/ and GET /api/v1/offices/{id}/people/ (people.scope's rule)."""

import pytest

from accounts.roles import Role
from people import api_tokens
from tests.factories import UserFactory, office_of, serve
from tests.problems import field_errors, members

OFFICES = "/api/v1/offices/"


def people_url(office) -> str:
    return f"{OFFICES}{office.pk}/people/"


@pytest.fixture
def commune(sites, hanoi):
    """An office below Hà Nội's: inside its jurisdiction."""
    return office_of(sites["X0101"], "VP-X0101", name="Văn phòng xã X0101")


@pytest.fixture
def lan(hanoi, sites):
    lan = UserFactory(
        username="lan",
        full_name="Nguyễn Thị Lan",
        roles=[Role.SECRETARIAT, Role.TECHNICIAN],
        offices=[hanoi],
    )
    lan.person.phone = "0912345678"
    lan.person.save()
    serve(lan, "X0102", "X0101")
    return lan


def test_a_secretariat_sees_its_office_and_those_below_it(api_as, hana, commune, other):
    response = api_as(hana).get(OFFICES)

    assert response.status_code == 200
    assert [office["code"] for office in response.json()["results"]] == ["VP-HN", "VP-X0101"]
    assert response.json()["results"][0] == {
        "id": hana.offices.get().pk,
        "code": "VP-HN",
        "name": "Văn phòng UBND Hà Nội",
        "jurisdiction": "T01",
        "is_active": True,
    }


def test_the_central_office_sees_every_office(api_as, alice, hanoi, other, commune):
    codes = [office["code"] for office in api_as(alice).get(OFFICES).json()["results"]]

    assert codes == ["VP-HN", "VP-T02", "VP-X0101", "VPCP"]


def test_the_people_of_an_office_with_what_the_people_pages_show(api_as, hana, hanoi, lan):
    response = api_as(hana).get(people_url(hanoi))

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": hana.pk,
            "username": "hana",
            "full_name": "",
            "roles": ["secretariat"],
            "sites": [],
            "is_active": True,
            "email": "hana@example.vn",
            "phone": "",
        },
        {
            "id": lan.pk,
            "username": "lan",
            "full_name": "Nguyễn Thị Lan",
            "roles": ["secretariat", "technician"],
            "sites": ["X0101", "X0102"],
            "is_active": True,
            "email": "lan@example.vn",
            "phone": "0912345678",
        },
    ]


def test_the_search_ignores_diacritics(api_as, hana, hanoi, lan):
    response = api_as(hana).get(people_url(hanoi), {"q": "nguyen lan"})

    assert [person["username"] for person in response.json()["results"]] == ["lan"]


def test_an_office_below_is_readable_from_above(api_as, hana, commune):
    xa = UserFactory(username="xa", roles=[Role.SECRETARIAT], offices=[commune])

    response = api_as(hana).get(people_url(commune))

    assert [person["id"] for person in response.json()["results"]] == [xa.pk]


def test_an_office_outside_is_a_404_like_a_missing_one(api_as, hana, other, olga):
    client = api_as(hana)

    outside = client.get(people_url(other))

    assert outside.status_code == 404
    assert members(outside) == members(client.get(f"{OFFICES}999999/people/"))


def test_the_pages_follow_a_cursor_in_name_order(api_as, hana, hanoi):
    for name in ("Đặng Văn Hùng", "Bùi Thị Mai", "Cao Văn An"):
        UserFactory(username=name.split()[-1].lower(), full_name=name, offices=[hanoi])
    client = api_as(hana)

    first = client.get(people_url(hanoi), {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    names = [p["full_name"] for p in first["results"] + second["results"]]
    # Folded: "Đặng" with the D's; hana, who has no full name, by her username.
    assert names == ["Bùi Thị Mai", "Cao Văn An", "Đặng Văn Hùng", ""]
    assert second["next"] is None


def test_a_token_acts_for_its_office(api, hana, hanoi, commune, other):
    made = api_tokens.create(hana, name="Danh bạ", scope="read", office_id=hanoi.pk)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    codes = [office["code"] for office in api.get(OFFICES).json()["results"]]

    assert codes == ["VP-HN", "VP-X0101"]


def test_who_manages_no_people_is_refused(api, api_as, bob, hanoi):
    assert api.get(OFFICES).status_code == 401
    assert api.get(people_url(hanoi)).status_code == 401
    assert api_as(bob).get(OFFICES).status_code == 403
    assert api_as(bob).get(people_url(hanoi)).status_code == 403


def test_a_query_too_long_is_a_400(api_as, hana, hanoi):
    response = api_as(hana).get(people_url(hanoi), {"q": "x" * 101})

    assert response.status_code == 400
    assert list(field_errors(response)) == ["q"]


def test_a_cursor_not_understood_is_a_400_naming_it(api_as, hana, hanoi):
    response = api_as(hana).get(people_url(hanoi), {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert field_errors(response) == {"cursor": ["Invalid cursor."]}


@pytest.mark.parametrize("count", [1, 3])
def test_the_people_list_costs_the_same_whatever_its_length(
    api_as, hana, hanoi, sites, count, django_assert_num_queries
):
    for n in range(count):
        person = UserFactory(username=f"p{n}", roles=[Role.TECHNICIAN], offices=[hanoi])
        serve(person, "X0101", "X0102")
    client = api_as(hana)

    with django_assert_num_queries(8):
        assert len(client.get(people_url(hanoi)).json()["results"]) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_office_list_costs_the_same_whatever_its_length(
    api_as, alice, sites, count, django_assert_num_queries
):
    for n in range(count):
        office_of(sites[f"T0{n % 2 + 1}"], f"VP-{n}", name=f"Văn phòng {n}")
    client = api_as(alice)

    with django_assert_num_queries(5):
        assert len(client.get(OFFICES).json()["results"]) == count + 1
