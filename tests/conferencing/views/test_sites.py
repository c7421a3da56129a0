"""Site management pages: an office manages its jurisdiction's sites only; a site outside
answers 404 like a missing one; other roles get 403; bad input writes nothing."""

import re

import pytest

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.models import Endpoint, Level
from tests.factories import UserFactory

NEW_URL = "/endpoints/new/"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page_body(response, code: str) -> str:
    """The page without what differs by request only: its CSRF token and its own path."""
    return CSRF_TOKEN.sub("", response.content.decode()).replace(code, "…")


def site_data(**fields) -> dict:
    return {
        "code": "X0103",
        "name": "Xã mới",
        "level": Level.COMMUNE,
        "parent": "T01",
        "organisation": "",
        "address": "",
        "dial_string": "",
        "contact_phone": "",
        "contact_email": "",
    } | fields


# -- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [NEW_URL, "/endpoints/X0101/edit/", "/endpoints/X0101/technicians/"],
)
@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_site_pages_refuse_other_roles(client_as, sites, request, persona, url):
    response = client_as(request.getfixturevalue(persona)).get(url)

    assert response.status_code == 403


def test_site_pages_send_anonymous_to_sign_in(client, sites):
    response = client.get("/endpoints/X0101/edit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", ["edit/", "technicians/"])
def test_a_site_outside_the_jurisdiction_answers_as_a_missing_one(client_as, lan, sites, path):
    client = client_as(lan)

    outside = client.get(f"/endpoints/X0201/{path}")
    missing = client.get(f"/endpoints/NOPE/{path}")

    assert (outside.status_code, missing.status_code) == (404, 404)
    assert page_body(outside, "X0201") == page_body(missing, "NOPE")


def test_deactivating_a_site_outside_answers_404_and_changes_nothing(client_as, lan, sites):
    response = client_as(lan).post("/endpoints/X0201/active/", {"active": "0"})

    assert response.status_code == 404
    assert Endpoint.objects.get(code="X0201").is_active is True
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("persona", ["lan", "root"])
def test_site_pages_open_for_the_office_and_the_superuser(client_as, request, sites, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get(NEW_URL).status_code == 200
    assert client.get("/endpoints/X0101/edit/").status_code == 200
    assert client.get("/endpoints/X0101/technicians/").status_code == 200


def test_directory_detail_links_to_management_only_where_allowed(client_as, lan, bob, sites):
    inside = client_as(lan).get("/endpoints/X0101/").content.decode()
    outside = client_as(lan).get("/endpoints/X0201/").content.decode()
    technician = client_as(bob).get("/endpoints/X0101/").content.decode()

    assert 'id="site-edit"' in inside
    assert 'id="site-edit"' not in outside
    assert 'id="site-edit"' not in technician


# -- create, edit, deactivate ---------------------------------------------------------------------


def test_office_creates_a_site_under_its_jurisdiction(client_as, lan, sites):
    response = client_as(lan).post(NEW_URL, site_data())

    site = Endpoint.objects.get(code="X0103")
    assert response.status_code == 302
    assert response["Location"] == "/endpoints/X0103/"
    assert (site.parent.code, site.path) == ("T01", "/TW/T01/X0103/")
    assert list(AuditEntry.objects.values_list("action", "target_id", "actor__username")) == [
        ("site.created", str(site.pk), "lan")
    ]


def test_a_parent_outside_the_jurisdiction_is_a_form_error_naming_it(
    client_as, lan, sites, english
):
    response = client_as(lan).post(NEW_URL, site_data(parent="T02"))

    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "Outside the jurisdiction of Văn phòng UBND Hà Nội (Điểm cầu T01): T02."
    ]
    assert not Endpoint.objects.filter(code="X0103").exists()
    assert AuditEntry.objects.count() == 0


def test_a_parent_outside_is_refused_in_vietnamese(client_as, lan, sites):
    response = client_as(lan).post(NEW_URL, site_data(parent="T02"))

    assert response.context["form"].errors["parent"] == [
        "Ngoài phạm vi quản lý của Văn phòng UBND Hà Nội (Điểm cầu T01): T02."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"parent": "NOPE"}, "parent", "No site has the code NOPE."),
        ({"parent": ""}, "parent", "Only the administrator creates a site at the top of the tree."),
        (
            {"level": Level.PROVINCE},
            "parent",
            "A Province site cannot be under a Province site: its level must be below its "
            "parent's.",
        ),
        (
            {"code": "bad code!"},
            "code",
            "Use 1-32 letters, digits, dots, dashes or underscores, starting with a letter or "
            "digit.",
        ),
        ({"code": "X0101"}, "code", "Conference site with this Code already exists."),
    ],
)
def test_bad_site_input_is_a_form_error_and_writes_nothing(
    client_as, lan, sites, english, fields, field, message
):
    before = Endpoint.objects.count()

    response = client_as(lan).post(NEW_URL, site_data(**fields))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Endpoint.objects.count() == before
    assert AuditEntry.objects.count() == 0


def test_the_superuser_creates_a_site_at_the_top(client_as, root, sites):
    response = client_as(root).post(NEW_URL, site_data(code="TW2", level=Level.CENTRAL, parent=""))

    assert response.status_code == 302
    assert Endpoint.objects.get(code="TW2").path == "/TW2/"


def test_office_edits_a_site_and_the_audit_names_the_changes(client_as, lan, sites):
    data = site_data(name="Phường Phúc Xá", parent="T01", contact_phone="024 3823 0000")
    del data["code"], data["level"]

    response = client_as(lan).post("/endpoints/X0101/edit/", data)

    site = Endpoint.objects.get(code="X0101")
    assert response.status_code == 302
    assert (site.name, site.contact_phone) == ("Phường Phúc Xá", "024 3823 0000")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "site.updated",
        {"name": "Phường Phúc Xá", "contact_phone": "024 3823 0000"},
    )


def test_office_edits_its_own_root_keeping_its_parent_above(client_as, lan, sites):
    data = site_data(name="Thủ đô Hà Nội", parent="TW")
    del data["code"], data["level"]

    response = client_as(lan).post("/endpoints/T01/edit/", data)

    assert response.status_code == 302
    assert Endpoint.objects.get(code="T01").name == "Thủ đô Hà Nội"


def test_moving_a_site_out_of_the_jurisdiction_is_refused(client_as, lan, sites, english):
    data = site_data(name="Xã", parent="T02")
    del data["code"], data["level"]

    response = client_as(lan).post("/endpoints/X0101/edit/", data)

    assert response.context["form"].errors["parent"] == [
        "Outside the jurisdiction of Văn phòng UBND Hà Nội (Điểm cầu T01): T02."
    ]
    assert Endpoint.objects.get(code="X0101").parent.code == "T01"


def test_office_deactivates_and_reactivates_a_site(client_as, lan, sites):
    client = client_as(lan)

    client.post("/endpoints/X0101/active/", {"active": "0"})
    deactivated = Endpoint.objects.get(code="X0101").is_active
    client.post("/endpoints/X0101/active/", {"active": "1"})

    assert deactivated is False
    assert Endpoint.objects.get(code="X0101").is_active is True
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "site.deactivated",
        "site.reactivated",
    ]


# -- technicians ----------------------------------------------------------------------------------


def test_office_assigns_technicians_of_the_technician_role(client_as, lan, bob, sites):
    response = client_as(lan).post("/endpoints/X0101/technicians/", {"technicians": [bob.pk]})

    assert response.status_code == 302
    assert list(Endpoint.objects.get(code="X0101").technicians.all()) == [bob]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "site.technicians_set",
        {"added": [bob.pk], "removed": []},
    )


def test_a_forged_technician_id_is_a_form_error_and_writes_nothing(
    client_as, lan, carol, sites, english
):
    response = client_as(lan).post("/endpoints/X0101/technicians/", {"technicians": [carol.pk]})

    assert response.status_code == 200
    assert response.context["form"].errors["technicians"] == [
        f"Select a valid choice. {carol.pk} is not one of the available choices."
    ]
    assert Endpoint.objects.get(code="X0101").technicians.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_technician_of_another_office_may_serve_the_site(client_as, lan, sites):
    tech = UserFactory(username="tu", roles=[Role.TECHNICIAN])

    client_as(lan).post("/endpoints/X0101/technicians/", {"technicians": [tech.pk]})

    assert list(Endpoint.objects.get(code="X0101").technicians.all()) == [tech]
