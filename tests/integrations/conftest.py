import pytest

from accounts.roles import Role
from tests.factories import BridgeFactory, UserFactory, site_tree
from tests.integrations.receiver import Receiver


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def bridge(hanoi):
    return BridgeFactory(name="MCU Hà Nội", owner=hanoi)


@pytest.fixture
def hana(hanoi):
    return UserFactory(
        username="hana", email="hana@hanoi.gov.vn", roles=[Role.SECRETARIAT], offices=[hanoi]
    )


@pytest.fixture
def receiver():
    started = Receiver().start()
    yield started
    started.stop()
