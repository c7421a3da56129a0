"""Bridge pages: an office's own bridges (editable) and those shared with it (read-only);
every bridge for the superuser; sharing only with offices below the owner."""

import pytest

from audit.models import AuditEntry
from conferencing.models import Bridge
from tests.factories import BridgeFactory, office_of


@pytest.fixture
def bridges(hanoi, laocai):
    """The centre's national MCU (shared with Hà Nội), Hà Nội's and Lào Cai's own."""
    national = BridgeFactory(name="MCU Quốc gia")
    national.shared_with.add(hanoi)
    return {
        "national": national,
        "hanoi": BridgeFactory(name="MCU Hà Nội", owner=hanoi),
        "laocai": BridgeFactory(name="MCU Lào Cai", owner=laocai),
    }


def bridge_data(**fields) -> dict:
    return {
        "name": "MCU Hà Nội 2",
        "dial_in": "sip:mcu2@hanoi.gov.vn",
        "port_capacity": "60",
        "is_active": "on",
        "shared_with": [],
    } | fields


@pytest.mark.parametrize("url", ["/bridges/", "/bridges/new/"])
@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_bridge_pages_refuse_other_roles(client_as, request, persona, url, db):
    response = client_as(request.getfixturevalue(persona)).get(url)

    assert response.status_code == 403


def test_office_lists_its_own_bridges_and_those_shared_with_it(client_as, lan, bridges):
    response = client_as(lan).get("/bridges/")

    assert [(bridge.name, editable) for bridge, editable in response.context["rows"]] == [
        ("MCU Hà Nội", True),
        ("MCU Quốc gia", False),
    ]


def test_superuser_lists_every_bridge(client_as, root, bridges):
    response = client_as(root).get("/bridges/")

    assert len(response.context["rows"]) == 3


@pytest.mark.parametrize("bridge", ["national", "laocai"])
def test_editing_a_shared_or_anothers_bridge_answers_as_a_missing_one(
    client_as, lan, bridges, bridge
):
    client = client_as(lan)

    response = client.post(f"/bridges/{bridges[bridge].pk}/edit/", bridge_data(name="Hijacked"))

    assert response.status_code == 404
    assert client.get("/bridges/999999/edit/").status_code == 404
    assert not Bridge.objects.filter(name="Hijacked").exists()


def test_office_creates_a_bridge_it_owns_shared_below(client_as, lan, hanoi, sites):
    commune = office_of(sites["X0101"], "VP-X0101")

    response = client_as(lan).post("/bridges/new/", bridge_data(shared_with=[commune.pk]))

    bridge = Bridge.objects.get(name="MCU Hà Nội 2")
    assert response.status_code == 302
    assert (bridge.owner, list(bridge.shared_with.all())) == (hanoi, [commune])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes["owner"], entry.changes["shared_with"]) == (
        "bridge.created",
        hanoi.pk,
        [commune.pk],
    )


def test_an_owner_field_sent_by_an_office_is_ignored(client_as, lan, hanoi, laocai):
    client_as(lan).post("/bridges/new/", bridge_data(owner=laocai.pk))

    assert Bridge.objects.get(name="MCU Hà Nội 2").owner == hanoi


def test_a_forged_office_not_below_is_a_form_error_naming_it(client_as, lan, laocai, english):
    response = client_as(lan).post("/bridges/new/", bridge_data(shared_with=[laocai.pk]))

    assert response.status_code == 200
    assert response.context["form"].errors["shared_with"] == [
        "A bridge of Văn phòng UBND Hà Nội can be shared only with the offices below it, "
        "not with: VP-LC."
    ]
    assert not Bridge.objects.filter(name="MCU Hà Nội 2").exists()
    assert AuditEntry.objects.count() == 0


def test_a_forged_office_is_refused_in_vietnamese(client_as, lan, laocai):
    response = client_as(lan).post("/bridges/new/", bridge_data(shared_with=[laocai.pk]))

    assert response.context["form"].errors["shared_with"] == [
        "Cầu nối của Văn phòng UBND Hà Nội chỉ được chia sẻ với các đơn vị cấp dưới, "
        "không được chia sẻ với: VP-LC."
    ]


def test_an_unknown_office_id_is_a_form_error(client_as, lan, hanoi, english):
    response = client_as(lan).post("/bridges/new/", bridge_data(shared_with=["999999"]))

    assert response.context["form"].errors["shared_with"] == [
        "Select a valid choice. 999999 is not one of the available choices."
    ]
    assert not Bridge.objects.filter(name="MCU Hà Nội 2").exists()


def test_the_form_offers_only_offices_below_the_owner(client_as, lan, hanoi, laocai, sites):
    commune = office_of(sites["X0101"], "VP-X0101")

    response = client_as(lan).get("/bridges/new/")

    offered = [pk for pk, _label in response.context["form"].fields["shared_with"].widget.choices]
    assert offered == [commune.pk]


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"port_capacity": "0"}, "port_capacity"), ({"dial_in": "not a dial"}, "dial_in")],
)
def test_bad_bridge_input_writes_nothing(client_as, lan, hanoi, fields, field):
    response = client_as(lan).post("/bridges/new/", bridge_data(**fields))

    assert field in response.context["form"].errors
    assert not Bridge.objects.filter(name="MCU Hà Nội 2").exists()


def test_office_edits_its_bridge(client_as, lan, bridges):
    bridge = bridges["hanoi"]

    response = client_as(lan).post(
        f"/bridges/{bridge.pk}/edit/",
        bridge_data(name="MCU Hà Nội", dial_in=bridge.dial_in, port_capacity="80"),
    )

    assert response.status_code == 302
    assert Bridge.objects.get(pk=bridge.pk).port_capacity == 80
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("bridge.updated", {"port_capacity": 80})


def test_superuser_chooses_the_owner(client_as, root, laocai):
    response = client_as(root).post("/bridges/new/", bridge_data(owner=laocai.pk))

    assert response.status_code == 302
    assert Bridge.objects.get(name="MCU Hà Nội 2").owner == laocai


def test_superuser_sharing_with_an_office_not_below_the_chosen_owner_is_refused(
    client_as, root, hanoi, laocai, english
):
    response = client_as(root).post(
        "/bridges/new/", bridge_data(owner=laocai.pk, shared_with=[hanoi.pk])
    )

    assert response.context["form"].errors["shared_with"] == [
        "A bridge of Văn phòng UBND Lào Cai can be shared only with the offices below it, "
        "not with: VP-HN."
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_bridge_list_queries_do_not_grow_with_bridges(
    client_as, lan, hanoi, sites, count, django_assert_num_queries
):
    commune = office_of(sites["X0101"], "VP-X0101")
    for n in range(count):
        BridgeFactory(name=f"MCU {n}", owner=hanoi).shared_with.add(commune)
    client = client_as(lan)

    with django_assert_num_queries(7):
        client.get("/bridges/")


def test_the_edit_page_of_an_own_bridge_opens(client_as, lan, bridges):
    response = client_as(lan).get(f"/bridges/{bridges['hanoi'].pk}/edit/")

    assert response.status_code == 200
