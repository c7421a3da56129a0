"""people.scope.assignable_technicians: whom a bulk site assignment may give sites."""

from accounts.roles import Role
from people import scope
from tests.factories import UserFactory


def test_assignable_technicians_are_the_active_technicians_the_user_manages(
    hana, lan, hung, hanoi, olga, root
):
    UserFactory(username="gone", roles=[Role.TECHNICIAN], offices=[hanoi], is_active=False)
    UserFactory(username="attendee", roles=[Role.ATTENDEE], offices=[hanoi])

    def names(user) -> list[str]:
        return sorted(scope.assignable_technicians(user).values_list("username", flat=True))

    assert names(hana) == ["lannt"]
    assert names(olga) == ["hungdv"]
    assert names(root) == ["hungdv", "lannt"]
    assert names(lan) == []
