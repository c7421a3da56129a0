"""The people list: whom the user manages, searched ignoring case and marks, filtered."""

import pytest

from accounts.models import Person, Source
from accounts.roles import Role
from tests.factories import UserFactory, serve

LIST = "/people/"


def names(response) -> list[str]:
    return [row.user.person.full_name for row in response.context["rows"]]


def test_the_list_shows_each_person_as_written_with_role_offices_sites_and_source(
    client_as, alice, lan, hung
):
    response = client_as(alice).get(LIST)

    assert response.status_code == 200
    rows = {row.user.username: row for row in response.context["rows"]}
    assert (
        rows["lannt"].roles,
        [o.code for o in rows["lannt"].offices],
        rows["lannt"].sites_count,
    ) == (
        ["Kỹ thuật viên"],
        ["VP-HN"],
        1,
    )
    page = response.content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "Đặng Văn Hùng" in page
    assert "lannt@example.vn" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nguyen thi lan", ["Nguyễn Thị Lan"]),
        ("NGUYEN lan", ["Nguyễn Thị Lan"]),
        ("dang", ["Đặng Văn Hùng"]),
        ("hungdv", ["Đặng Văn Hùng"]),
        ("lannt@example", ["Nguyễn Thị Lan"]),
        ("Đặng Hùng", ["Đặng Văn Hùng"]),
        ("tran", []),
    ],
)
def test_search_ignores_case_marks_and_d_stroke(client_as, alice, lan, hung, query, found):
    response = client_as(alice).get(LIST, {"q": query})

    assert names(response) == found


def test_filters_by_role_office_and_site(client_as, alice, hana, lan, hung, hanoi):
    client = client_as(alice)

    by_role = names(client.get(LIST, {"role": Role.TECHNICIAN.value}))
    by_office = names(client.get(LIST, {"office": hanoi.pk}))
    by_site = names(client.get(LIST, {"site": "T02"}))

    assert by_role == ["Đặng Văn Hùng", "Nguyễn Thị Lan"]
    assert by_office == ["", "Nguyễn Thị Lan"]  # hana has no full name
    assert by_site == ["Đặng Văn Hùng"]


def test_an_unknown_site_filter_is_a_clear_error(client_as, alice, english):
    response = client_as(alice).get(LIST, {"site": "NOPE"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"site": ["No site has the code NOPE."]}


def test_a_province_office_lists_only_its_own_people(client_as, hana, lan, hung, olga):
    response = client_as(hana).get(LIST)

    assert sorted(row.user.username for row in response.context["rows"]) == ["hana", "lannt"]


def test_a_directory_person_is_shown_as_from_the_directory(client_as, alice, lan, english):
    Person.objects.filter(user=lan).update(source=Source.LDAP)

    response = client_as(alice).get(LIST, {"q": "lan"})

    assert "from the directory" in response.content.decode()


def test_technicians_and_attendees_are_refused(client_as, bob, carol):
    assert client_as(bob).get(LIST).status_code == 403
    assert client_as(carol).get(LIST).status_code == 403


@pytest.mark.parametrize("people", [1, 3])
def test_the_list_reads_the_same_number_of_queries_whatever_the_number_of_people(
    client_as, alice, hanoi, people, django_assert_num_queries
):
    for number in range(people):
        user = UserFactory(username=f"tech{number}", roles=[Role.TECHNICIAN], offices=[hanoi])
        serve(user, "X0101", "X0102")
    client = client_as(alice)

    with django_assert_num_queries(9):
        client.get(LIST, {"q": "tech", "role": Role.TECHNICIAN.value})


def test_the_header_offers_people_to_those_who_manage_people_only(client_as, alice, bob):
    assert 'id="nav-people"' in client_as(alice).get("/").content.decode()
    assert 'id="nav-people"' not in client_as(bob).get("/").content.decode()
