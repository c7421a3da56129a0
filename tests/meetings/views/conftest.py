"""Fixtures of the session pages' tests: the site tree, a bridge, a booked session.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.factories import BridgeFactory, UserFactory, local_time, site_tree
from tests.meetings.views.pages import DAY, book_province


@pytest.fixture
def english(client):
    """Text assertions below are on the English msgids, whatever the .po files say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


@pytest.fixture
def meeting(alice, sites, bridge):
    """T01 with its communes, 08:00 to 10:00 local, a week ahead."""
    return book_province(alice, bridge, "T01", local_time(DAY, 8), title="Giao ban T01")


@pytest.fixture
def dung(db):
    """A second secretariat member, not invited to alice's sessions."""
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])
