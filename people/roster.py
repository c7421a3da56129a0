"""The people list of an office: whom the user manages (people.scope), searched and
filtered, read in a number of queries that does not grow with the people shown.

Search matches every word of the query, folded (accounts.folding.fold: case, marks and
đ ignored), against `Person.search_key` (the folded full name, username and e-mail),
through its index (accounts.folded_search, as sites and sessions are searched):
"nguyen lan" finds "Nguyễn Thị Lan", "dang" finds "Đặng Văn Hùng".
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts import folded_search
from accounts.roles import Role
from conferencing.models import Endpoint, Office
from people import scope
from people.scope import User

ROLE_NAMES = [role.value for role in Role]


def search(people: QuerySet, text: str) -> QuerySet:
    """The people whose name, username or e-mail holds every word of `text`, folded."""
    return folded_search.matching(people, text, path="person__")


def with_role(people: QuerySet, role: Role) -> QuerySet:
    return people.filter(
        Exists(
            Group.user_set.through.objects.filter(user_id=OuterRef("pk"), group__name=role.value)
        )
    )


def in_office(people: QuerySet, office: Office) -> QuerySet:
    return people.filter(
        Exists(Office.members.through.objects.filter(user_id=OuterRef("pk"), office=office))
    )


def serving_within(people: QuerySet, site: Endpoint) -> QuerySet:
    """People who serve this site or a site below it."""
    return people.filter(
        Exists(
            Endpoint.technicians.through.objects.filter(
                user_id=OuterRef("pk"), endpoint__path__startswith=site.path
            )
        )
    )


def roster(user: User) -> QuerySet:
    """The people the user manages, by folded name (the same order on SQLite and
    PostgreSQL, "Đặng" with the D's), each with its person, roles, offices and
    the number of sites it serves: three queries for a page, whatever its length (the
    page itself, then the roles and the offices of everyone on it)."""
    sites_count = (
        Endpoint.technicians.through.objects.filter(user_id=OuterRef("pk"))
        .order_by()
        .values("user_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        scope.managed_people(user)
        .select_related("person")
        .annotate(sites_count=Coalesce(Subquery(sites_count, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=Group.objects.filter(name__in=ROLE_NAMES).order_by("name"),
                to_attr="role_groups",
            ),
            Prefetch("offices", queryset=Office.objects.order_by("code"), to_attr="office_list"),
        )
        .order_by("person__search_key", "pk")
    )


@dataclass(frozen=True)
class Row:
    """One line of the list: what the template shows of a person, read already."""

    user: AbstractBaseUser
    roles: list[str]
    offices: list[Office]
    sites_count: int


def rows(people: list) -> list[Row]:
    """The lines of people read through `roster` (their prefetched roles and offices)."""
    return [
        Row(
            user=person,
            roles=[Role(group.name).label for group in person.role_groups],
            offices=person.office_list,
            sites_count=person.sites_count,
        )
        for person in people
    ]


def office_people(user: User, office: Office) -> QuerySet:
    """The members of `office` the user manages (all of them when the office is one of
    `scope.people_offices(user)`), with their person, roles and served sites ready: three
    queries for a page, whatever its length (the page, the roles, the sites)."""
    return (
        in_office(scope.managed_people(user), office)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=Group.objects.filter(name__in=ROLE_NAMES).order_by("name"),
                to_attr="role_groups",
            ),
            Prefetch(
                "served_endpoints",
                queryset=Endpoint.objects.order_by("code").only("pk", "code"),
                to_attr="served_sites",
            ),
        )
    )
