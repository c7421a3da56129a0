"""Bulk site assignment: "all communes of this province get these two technicians" in one
action, one transaction, one audit entry per technician, queries not growing with sites."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.jurisdiction import OutsideJurisdiction
from conferencing.models import Level
from people import changes
from people.changes import Reach
from people.scope import NotManaged
from tests.factories import EndpointFactory, UserFactory, bulk_communes

ASSIGN = "/people/assign-sites/"


@pytest.fixture
def technicians(hanoi):
    return [
        UserFactory(username=name, roles=[Role.TECHNICIAN], offices=[hanoi])
        for name in ("minhpt", "anhlv")
    ]


def served(user) -> list[str]:
    return sorted(user.served_endpoints.values_list("code", flat=True))


def test_all_communes_of_the_province_get_the_two_technicians(client_as, hana, technicians):
    response = client_as(hana).post(
        ASSIGN,
        {"site": "T01", "reach": Reach.CHILDREN, "technicians": [t.pk for t in technicians]},
    )

    assert response.status_code == 302
    assert [served(t) for t in technicians] == [["X0101", "X0102", "X0103"]] * 2
    assert sorted(
        AuditEntry.objects.filter(action="person.sites_assigned").values_list(
            "target_id", "changes"
        )
    ) == sorted(
        (
            str(t.pk),
            {"site": "T01", "reach": "children", "level": "", "added": ["X0101", "X0102", "X0103"]},
        )
        for t in technicians
    )


def test_assigning_again_adds_nothing_and_audits_nothing(hana, technicians, sites):
    changes.assign_sites(hana, sites["T01"], Reach.CHILDREN, technicians)

    added = changes.assign_sites(hana, sites["T01"], Reach.CHILDREN, technicians)

    assert added == 0
    assert AuditEntry.objects.filter(action="person.sites_assigned").count() == 2


def test_the_whole_subtree_at_one_level(hana, technicians, sites):
    district = EndpointFactory(code="H01", level=Level.DISTRICT, parent=sites["T01"])
    EndpointFactory(code="X0199", level=Level.COMMUNE, parent=district)

    changes.assign_sites(
        hana, sites["T01"], Reach.SUBTREE, technicians[:1], level=str(Level.COMMUNE)
    )

    assert served(technicians[0]) == ["X0101", "X0102", "X0103", "X0199"]


def test_taking_the_sites_away(hana, technicians, sites):
    changes.assign_sites(hana, sites["T01"], Reach.CHILDREN, technicians)

    removed = changes.assign_sites(hana, sites["X0102"], Reach.SITE, technicians, remove=True)

    assert removed == 2
    assert [served(t) for t in technicians] == [["X0101", "X0103"]] * 2
    assert AuditEntry.objects.filter(action="person.sites_unassigned").count() == 2


def test_a_site_of_another_province_is_refused(hana, technicians, sites):
    with pytest.raises(OutsideJurisdiction):
        changes.assign_sites(hana, sites["T02"], Reach.CHILDREN, technicians)

    assert [served(t) for t in technicians] == [[], []]


def test_a_technician_of_another_province_is_refused(hana, technicians, hung, sites):
    with pytest.raises(NotManaged):
        changes.assign_sites(hana, sites["T01"], Reach.CHILDREN, [technicians[0], hung])

    assert served(technicians[0]) == []


def test_the_page_names_a_site_outside_as_an_unknown_one(client_as, hana, technicians, english):
    response = client_as(hana).post(
        ASSIGN, {"site": "T02", "reach": Reach.CHILDREN, "technicians": [technicians[0].pk]}
    )

    assert response.context["form"].errors == {"site": ["No site you manage has the code T02."]}


def test_the_page_offers_only_technicians_the_office_manages(client_as, hana, technicians, hung):
    form = client_as(hana).get(ASSIGN).context["form"]

    assert sorted(form.fields["technicians"].queryset.values_list("username", flat=True)) == [
        "anhlv",
        "minhpt",
    ]


@pytest.mark.parametrize("communes", [3, 60])
def test_the_queries_do_not_grow_with_the_sites(hana, technicians, sites, communes):
    bulk_communes(sites["T02"], communes)
    province = sites["T02"]
    root = UserFactory(username="root", is_superuser=True)

    with CaptureQueriesContext(connection) as queries:
        added = changes.assign_sites(root, province, Reach.CHILDREN, technicians)

    assert added == 2 * (communes + 3)
    assert len(queries) == 8
