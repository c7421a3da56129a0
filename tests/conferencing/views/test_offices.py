"""Office pages: the superuser's and the central office's; everyone else 403."""

import pytest
from django.urls import resolve

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.models import Office
from tests.factories import UserFactory, office_of


def office_data(**fields) -> dict:
    return {
        "code": "VP-TU-HN",
        "name": "Văn phòng Tỉnh ủy Hà Nội",
        "jurisdiction": "T01",
        "is_active": "on",
        "members": [],
    } | fields


@pytest.mark.parametrize("url", ["/offices/", "/offices/new/", "/offices/1/edit/"])
@pytest.mark.parametrize("persona", ["lan", "bob", "carol", "mallory"])
def test_office_pages_refuse_everyone_but_the_centre_and_the_superuser(
    client_as, request, hanoi, persona, url
):
    response = client_as(request.getfixturevalue(persona)).get(url)

    assert response.status_code == 403


def test_deactivating_an_office_as_a_province_is_refused(client_as, lan, hanoi):
    response = client_as(lan).post(f"/offices/{hanoi.pk}/deactivate/")

    assert response.status_code == 403
    assert Office.objects.get(pk=hanoi.pk).is_active is True


@pytest.mark.parametrize("persona", ["alice", "root"])
def test_office_list_opens_for_the_centre_and_the_superuser(client_as, request, hanoi, persona):
    response = client_as(request.getfixturevalue(persona)).get("/offices/")

    assert response.status_code == 200
    assert hanoi in list(response.context["offices"])


def test_unknown_office_is_not_found(client_as, alice, hanoi):
    assert client_as(alice).get("/offices/999/edit/").status_code == 404


def test_central_office_creates_an_office_with_its_staff(client_as, alice, sites):
    staff = UserFactory(username="minh", roles=[Role.SECRETARIAT], offices=[])

    response = client_as(alice).post("/offices/new/", office_data(members=[staff.pk]))

    office = Office.objects.get(code="VP-TU-HN")
    assert response.status_code == 302
    assert (office.jurisdiction.code, list(office.members.all())) == ("T01", [staff])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.changes) == (
        "office.created",
        alice,
        {
            "code": "VP-TU-HN",
            "name": "Văn phòng Tỉnh ủy Hà Nội",
            "jurisdiction": office.jurisdiction_id,
            "is_active": True,
            "single_secretary": False,
            "members": [staff.pk],
        },
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"jurisdiction": "NOPE"}, "jurisdiction", "No site has the code NOPE."),
        (
            {"code": "bad code"},
            "code",
            "Use 1-32 letters, digits, dots, dashes or underscores, starting with a letter or "
            "digit.",
        ),
        ({"code": "VP-HN"}, "code", "Office with this Short code already exists."),
    ],
)
def test_bad_office_input_is_a_form_error_and_writes_nothing(
    client_as, alice, hanoi, english, fields, field, message
):
    before = Office.objects.count()

    response = client_as(alice).post("/offices/new/", office_data(**fields))

    assert response.context["form"].errors[field] == [message]
    assert Office.objects.count() == before
    assert AuditEntry.objects.count() == 0


def test_a_forged_member_id_is_a_form_error(client_as, alice, bob, sites, english):
    response = client_as(alice).post("/offices/new/", office_data(members=[bob.pk]))

    assert response.context["form"].errors["members"] == [
        f"Select a valid choice. {bob.pk} is not one of the available choices."
    ]
    assert not Office.objects.filter(code="VP-TU-HN").exists()


def test_superuser_edits_an_office_and_the_audit_names_the_changes(client_as, root, hanoi, lan):
    response = client_as(root).post(
        f"/offices/{hanoi.pk}/edit/",
        office_data(code="VP-HN", name="Văn phòng UBND TP Hà Nội", members=[lan.pk]),
    )

    assert response.status_code == 302
    assert Office.objects.get(pk=hanoi.pk).name == "Văn phòng UBND TP Hà Nội"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("office.updated", {"name": "Văn phòng UBND TP Hà Nội"})


def test_central_office_deactivates_an_office(client_as, alice, hanoi):
    response = client_as(alice).post(f"/offices/{hanoi.pk}/deactivate/")

    assert response.status_code == 302
    assert Office.objects.get(pk=hanoi.pk).is_active is False
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["office.deactivated"]


def test_the_office_switch_keeps_its_path_before_the_office_pages():
    assert resolve("/offices/act/").view_name == "act-for-office"


@pytest.mark.parametrize("count", [1, 3])
def test_office_list_queries_do_not_grow_with_offices(
    client_as, root, sites, count, django_assert_num_queries
):
    for n in range(count):
        office = office_of(sites["T01"], f"VP-{n}", name=f"Văn phòng {n}")
        office.members.add(UserFactory(username=f"staff{n}", roles=[Role.SECRETARIAT]))
    client = client_as(root)

    with django_assert_num_queries(6):
        client.get("/offices/")


def test_the_header_offers_offices_to_the_centre_only(client_as, alice, lan):
    central = client_as(alice).get("/endpoints/").content.decode()
    province = client_as(lan).get("/endpoints/").content.decode()

    assert 'id="nav-offices"' in central
    assert 'id="nav-offices"' not in province
    assert 'id="nav-bridges"' in province


def test_the_edit_page_shows_the_jurisdiction_by_code(client_as, alice, hanoi):
    response = client_as(alice).get(f"/offices/{hanoi.pk}/edit/")

    assert response.status_code == 200
    assert response.context["form"]["jurisdiction"].value() == "T01"


def test_the_office_says_it_has_a_single_secretary_and_the_audit_records_it(
    client_as, alice, hanoi, lan, english
):
    page = client_as(alice).get(f"/offices/{hanoi.pk}/edit/")
    response = client_as(alice).post(
        f"/offices/{hanoi.pk}/edit/",
        office_data(code="VP-HN", name=hanoi.name, members=[lan.pk], single_secretary="on"),
    )

    content = page.content.decode()
    assert 'name="single_secretary"' in content
    assert page.context["form"]["single_secretary"].help_text.startswith(
        "Tick only if the office has one secretary."
    )
    assert response.status_code == 302
    assert Office.objects.get(pk=hanoi.pk).single_secretary is True
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("office.updated", {"single_secretary": True})
