"""Whose people an office manages: its own and those of the offices and sites inside its
jurisdiction; another province's people are as if they did not exist."""

import pytest

from accounts.roles import Role
from conferencing.jurisdiction import OutsideJurisdiction
from people import scope
from tests.factories import UserFactory, central_office, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sites, hanoi, other):
    central = central_office()
    people = {
        "centre_staff": UserFactory(username="c", roles=[Role.SECRETARIAT], offices=[central]),
        "hanoi_staff": UserFactory(username="h", roles=[Role.SECRETARIAT], offices=[hanoi]),
        "other_staff": UserFactory(username="o", roles=[Role.SECRETARIAT], offices=[other]),
        "hanoi_attendee": UserFactory(username="ha", roles=[Role.ATTENDEE], offices=[hanoi]),
        "hanoi_tech": UserFactory(username="ht", roles=[Role.TECHNICIAN]),
        "other_tech": UserFactory(username="ot", roles=[Role.TECHNICIAN]),
        "root": UserFactory(username="root", is_superuser=True),
    }
    serve(people["hanoi_tech"], "X0101")
    serve(people["other_tech"], "X0201")
    return people


def usernames(queryset) -> set[str]:
    return set(queryset.values_list("username", flat=True))


def test_a_province_office_manages_its_people_and_its_sites_technicians(world):
    assert usernames(scope.managed_people(world["hanoi_staff"])) == {"h", "ha", "ht"}


def test_the_centre_manages_everyone_but_the_superuser(world):
    assert usernames(scope.managed_people(world["centre_staff"])) == {
        "c",
        "h",
        "o",
        "ha",
        "ht",
        "ot",
    }


def test_the_superuser_manages_everyone(world):
    assert "root" in usernames(scope.managed_people(world["root"]))


@pytest.mark.parametrize("who", ["hanoi_attendee", "hanoi_tech"])
def test_people_without_an_office_to_act_for_manage_no_one(world, who):
    assert not scope.may_manage_people(world[who])
    assert usernames(scope.managed_people(world[who])) == set()


def test_another_provinces_person_answers_as_a_missing_one(world):
    with pytest.raises(scope.NotManaged):
        scope.managed_person(world["hanoi_staff"], world["other_tech"].pk)
    with pytest.raises(scope.NotManaged):
        scope.managed_person(world["hanoi_staff"], 987654)
    with pytest.raises(scope.NotManaged):
        scope.managed_person(world["hanoi_staff"], "not a number")
    assert scope.managed_person(world["hanoi_staff"], world["hanoi_tech"].pk).username == "ht"


def test_a_province_gives_only_its_offices_and_sites(world, sites, hanoi, other):
    staff = world["hanoi_staff"]
    scope.require_assignable(staff, [hanoi], [sites["X0101"], sites["T01"]])

    with pytest.raises(OutsideJurisdiction) as refused:
        scope.require_assignable(staff, [hanoi, other], [])
    assert "VP-T02" in refused.value.message
    with pytest.raises(OutsideJurisdiction) as refused:
        scope.require_assignable(staff, [], [sites["X0201"]])
    assert refused.value.field == "sites"


def test_a_person_is_wholly_an_offices_only_if_all_their_offices_and_sites_are(world, other, sites):
    staff, tech = world["hanoi_staff"], world["hanoi_tech"]
    assert scope.wholly_managed(staff, tech)

    sites["X0201"].technicians.add(tech)
    assert not scope.wholly_managed(staff, tech)
    assert scope.wholly_managed(world["centre_staff"], tech)

    attendee = world["hanoi_attendee"]
    other.members.add(attendee)
    assert not scope.wholly_managed(staff, attendee)
    assert scope.wholly_managed(world["root"], attendee)
