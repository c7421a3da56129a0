"""A person's page: role, offices and sites changed within the manager's scope, audited."""

import re

import pytest

from accounts.models import Person, Source
from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.models import Endpoint
from people import changes
from tests.factories import UserFactory, serve


def detail(person) -> str:
    return f"/people/{person.pk}/"


CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def told(response, path: str) -> bytes:
    """What a page tells, its CSRF token and the asked path set aside."""
    return CSRF_VALUE.sub(b"", response.content).replace(path.encode(), b"PATH")


def served(user) -> list[str]:
    return sorted(user.served_endpoints.values_list("code", flat=True))


def entries(person, action: str = "person.changed") -> list[dict]:
    return list(
        AuditEntry.objects.filter(action=action, target_id=str(person.pk)).values_list(
            "changes", flat=True
        )
    )


def test_changing_role_offices_and_sites_is_saved_and_audited_with_before_and_after(
    client_as, hana, lan, hanoi
):
    response = client_as(hana).post(
        detail(lan),
        {
            "roles": [Role.TECHNICIAN.value, Role.ATTENDEE.value],
            "offices": [],
            "sites": "X0102, X0103",
        },
    )

    assert response.status_code == 302
    assert served(lan) == ["X0102", "X0103"]
    assert list(lan.offices.all()) == []
    assert entries(lan) == [
        {
            "before": {"roles": ["Technician"], "offices": ["VP-HN"], "sites": ["X0101"]},
            "after": {
                "roles": ["Attendee", "Technician"],
                "offices": [],
                "sites": ["X0102", "X0103"],
            },
        }
    ]


def test_saving_without_a_change_writes_no_audit_entry(client_as, hana, lan, hanoi):
    client_as(hana).post(
        detail(lan), {"roles": [Role.TECHNICIAN.value], "offices": [hanoi.pk], "sites": "X0101"}
    )

    assert entries(lan) == []


def test_a_site_outside_the_office_is_refused_and_nothing_is_written(client_as, hana, lan, english):
    response = client_as(hana).post(
        detail(lan), {"roles": [Role.TECHNICIAN.value], "sites": "X0101 X0201"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["sites"] == [
        "These sites are outside what you manage: X0201"
    ]
    assert served(lan) == ["X0101"]
    assert entries(lan) == []


def test_an_unknown_site_code_is_named(client_as, hana, lan, english):
    response = client_as(hana).post(
        detail(lan), {"roles": [Role.TECHNICIAN.value], "sites": "NOPE"}
    )

    assert response.context["form"].errors["sites"] == ["No site has these codes: NOPE."]


def test_offices_and_sites_outside_the_managers_scope_are_kept(
    client_as, hana, hanoi, other, sites
):
    both = UserFactory(username="both", roles=[Role.TECHNICIAN], offices=[hanoi, other])
    serve(both, "X0101", "X0201")

    client_as(hana).post(
        detail(both), {"roles": [Role.TECHNICIAN.value], "offices": [hanoi.pk], "sites": ""}
    )

    assert sorted(both.offices.values_list("code", flat=True)) == ["VP-HN", "VP-T02"]
    assert served(both) == ["X0201"]


def test_a_person_of_another_province_answers_as_a_missing_one(client_as, hana, hung):
    client = client_as(hana)

    outside = client.get(detail(hung))
    missing = client.get("/people/999999/")
    posted = client.post(detail(hung), {"roles": [], "sites": ""})

    assert (outside.status_code, posted.status_code) == (404, 404)
    assert told(outside, detail(hung)) == told(missing, "/people/999999/")
    assert served(hung) == ["X0201"]


def test_the_superuser_is_nobodys_person(client_as, alice, root):
    assert client_as(alice).get(detail(root)).status_code == 404


def test_a_directory_persons_role_and_offices_are_the_directorys(
    client_as, hana, lan, hanoi, english
):
    Person.objects.filter(user=lan).update(source=Source.LDAP)
    client = client_as(hana)

    page = client.get(detail(lan))
    client.post(detail(lan), {"roles": [Role.SECRETARIAT.value], "offices": [], "sites": "X0102"})

    assert "set from it at the next sign-in" in page.content.decode()
    assert page.context["form"].fields["roles"].disabled is True
    assert sorted(lan.groups.values_list("name", flat=True)) == ["Technician"]
    assert list(lan.offices.values_list("code", flat=True)) == ["VP-HN"]
    assert served(lan) == ["X0102"]


def test_a_directory_persons_role_is_refused_by_the_domain_too(hana, lan, hanoi):
    Person.objects.filter(user=lan).update(source=Source.OIDC)
    lan.refresh_from_db()

    with pytest.raises(changes.ChangeRefused):
        changes.change_person(hana, lan, {Role.SECRETARIAT}, [hanoi], [])

    assert sorted(lan.groups.values_list("name", flat=True)) == ["Technician"]


def test_a_manager_cannot_change_their_own_role(client_as, hana, hanoi, english):
    response = client_as(hana).post(detail(hana), {"roles": [], "offices": [hanoi.pk], "sites": ""})

    assert "You cannot change your own role or offices" in response.content.decode()
    assert list(hana.groups.values_list("name", flat=True)) == ["Secretariat"]


def test_the_page_shows_the_person_and_the_actions(client_as, hana, lan):
    page = client_as(hana).get(detail(lan)).content.decode()

    assert "Nguyễn Thị Lan" in page
    for action in ("person-invite", "person-deactivate", "lockout-state"):
        assert f'id="{action}"' in page


def test_every_site_code_in_the_form_is_one_the_manager_manages(client_as, hana, hanoi, sites):
    both = UserFactory(username="both2", roles=[Role.TECHNICIAN], offices=[hanoi])
    serve(both, "X0101", "X0201")

    form = client_as(hana).get(detail(both)).context["form"]

    assert form.initial["sites"] == "X0101"
    assert Endpoint.objects.count() == 9


def test_a_role_another_province_also_relies_on_is_not_one_provinces_to_change(
    hana, lan, hanoi, other
):
    other.members.add(lan)

    with pytest.raises(changes.ChangeRefused):
        changes.change_person(hana, lan, {Role.SECRETARIAT}, [hanoi], [])

    assert sorted(lan.groups.values_list("name", flat=True)) == ["Technician"]
    # Its own part of the person stays the province's: sites within it.
    changes.change_person(
        hana, lan, {Role.TECHNICIAN}, [hanoi], [Endpoint.objects.get(code="X0102")]
    )
    assert set(lan.served_endpoints.values_list("code", flat=True)) == {"X0102"}
