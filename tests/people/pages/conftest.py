"""The people pages' personas and tree.

TW (centre) → T01 (Hà Nội), T02 (the other province); communes X0101, X0102, X0103
under T01 and X0201… under T02. Offices: VPCP (central, TW), VP-HN (T01), VP-T02 (T02).
alice: the central office's secretariat · hana: Hà Nội's · olga: the other province's ·
lan ("Nguyễn Thị Lan"), a technician of X0101 and member of VP-HN · hung ("Đặng Văn
Hùng"), a technician of X0201 · root: the superuser · bob: a technician, no office.
"""

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.factories import UserFactory, serve, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def olga(other):
    return UserFactory(
        username="olga", full_name="Ôn Thị Ga", roles=[Role.SECRETARIAT], offices=[other]
    )


@pytest.fixture
def lan(hanoi):
    user = UserFactory(
        username="lannt", full_name="Nguyễn Thị Lan", roles=[Role.TECHNICIAN], offices=[hanoi]
    )
    serve(user, "X0101")
    return user


@pytest.fixture
def hung(sites):
    user = UserFactory(username="hungdv", full_name="Đặng Văn Hùng", roles=[Role.TECHNICIAN])
    serve(user, "X0201")
    return user


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def english(client):
    """Text assertions are on the English msgids, whatever the .po says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
