"""Fixtures of the meeting API's tests: the site tree, a bridge, a second secretariat member."""

import pytest

from accounts.roles import Role
from conferencing.models import Level
from tests.factories import BridgeFactory, EndpointFactory, UserFactory


@pytest.fixture
def dave(db):
    """A second secretariat member: alice is not invited to his confidential sessions."""
    return UserFactory(username="dave", full_name="Dave", roles=[Role.SECRETARIAT])


@pytest.fixture
def tree(db, bob):
    """Central → two provinces with communes, plus an inactive province; bob serves Hà Nội."""
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    hanoi = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HN-01", name="Phúc Xá", level=Level.COMMUNE, parent=hanoi)
    EndpointFactory(code="HN-02", name="Trúc Bạch", level=Level.COMMUNE, parent=hanoi)
    saigon = EndpointFactory(code="HCM", name="Hồ Chí Minh", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HCM-01", name="Bến Nghé", level=Level.COMMUNE, parent=saigon)
    EndpointFactory(
        code="OLD", name="Hà Tây", level=Level.PROVINCE, parent=central, is_active=False
    )
    hanoi.technicians.add(bob)
    return {"central": central, "hanoi": hanoi, "saigon": saigon}


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Quốc gia", port_capacity=40)
