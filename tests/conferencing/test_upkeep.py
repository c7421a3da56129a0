"""conferencing.upkeep checks the scope again, whatever the caller: nothing is written
past it, and every change it makes has its audit entry."""

import pytest

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing import upkeep
from conferencing.jurisdiction import OutsideJurisdiction
from conferencing.models import Bridge, Endpoint, Level, Office
from tests.factories import BridgeFactory, UserFactory, office_of, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def lan(hanoi):
    return UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[hanoi])


def test_create_site_under_a_parent_outside_writes_nothing(lan, sites):
    site = Endpoint(code="X0299", name="Xã", level=Level.COMMUNE, parent=sites["T02"])

    with pytest.raises(OutsideJurisdiction):
        upkeep.create_site(lan, site)

    assert not Endpoint.objects.filter(code="X0299").exists()
    assert AuditEntry.objects.count() == 0


def test_update_of_a_site_outside_writes_nothing(lan, sites):
    site = sites["X0201"]
    site.name = "Đổi tên"

    with pytest.raises(OutsideJurisdiction):
        upkeep.update_site(lan, site, ["name"], site.parent_id)

    assert Endpoint.objects.get(code="X0201").name != "Đổi tên"


def test_moving_a_managed_site_under_a_parent_outside_writes_nothing(lan, sites):
    site = sites["X0101"]
    old_parent = site.parent_id
    site.parent = sites["T02"]

    with pytest.raises(OutsideJurisdiction):
        upkeep.update_site(lan, site, ["parent"], old_parent)

    assert Endpoint.objects.get(code="X0101").parent.code == "T01"


def test_staffing_or_deactivating_a_site_outside_writes_nothing(lan, sites):
    technician = UserFactory(username="tu", roles=[Role.TECHNICIAN])

    with pytest.raises(OutsideJurisdiction):
        upkeep.set_technicians(lan, sites["X0201"], [technician])
    with pytest.raises(OutsideJurisdiction):
        upkeep.set_site_active(lan, sites["X0201"], False)

    assert sites["X0201"].technicians.count() == 0
    assert Endpoint.objects.get(code="X0201").is_active is True


def test_a_province_may_not_save_an_office(lan, hanoi):
    hanoi.name = "Đổi tên"

    with pytest.raises(OutsideJurisdiction):
        upkeep.save_office(lan, hanoi, [], ["name"], created=False)
    with pytest.raises(OutsideJurisdiction):
        upkeep.deactivate_office(lan, hanoi)

    assert Office.objects.get(pk=hanoi.pk).name == "Văn phòng UBND Hà Nội"


def test_save_bridge_shared_with_an_office_not_below_writes_nothing(lan, hanoi, sites):
    laocai = office_of(sites["T02"], "VP-LC")
    bridge = Bridge(name="MCU mới", dial_in="sip:m@hanoi.gov.vn", port_capacity=10, owner=hanoi)

    with pytest.raises(OutsideJurisdiction):
        upkeep.save_bridge(lan, bridge, [laocai], [], created=True)

    assert not Bridge.objects.filter(name="MCU mới").exists()


def test_save_bridge_of_another_owner_writes_nothing(lan, sites):
    laocai = office_of(sites["T02"], "VP-LC")
    bridge = BridgeFactory(name="MCU Lào Cai", owner=laocai, port_capacity=10)
    bridge.port_capacity = 999

    with pytest.raises(OutsideJurisdiction):
        upkeep.save_bridge(lan, bridge, [], ["port_capacity"], created=False)

    assert Bridge.objects.get(pk=bridge.pk).port_capacity == 10


def test_an_unchanged_edit_writes_no_audit_entry(lan, sites):
    site = sites["X0101"]

    upkeep.update_site(lan, site, [], site.parent_id)
    upkeep.set_site_active(lan, site, True)

    assert AuditEntry.objects.count() == 0
