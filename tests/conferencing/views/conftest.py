"""The management pages' personas and tree.

TW (centre) → T01 (Hà Nội), T02 (Lào Cai); communes X0101, X0102, X0201, X0202.
alice: the central office's secretariat · lan: Hà Nội's office's · bob: a technician ·
root: the superuser (no office) · mallory: signed in, no role.
"""

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.factories import UserFactory, office_of, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def laocai(sites):
    return office_of(sites["T02"], "VP-LC", name="Văn phòng UBND Lào Cai")


@pytest.fixture
def lan(hanoi):
    return UserFactory(username="lan", full_name="Lan", roles=[Role.SECRETARIAT], offices=[hanoi])


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def english(client):
    """Text assertions are on the English msgids, whatever the .po says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
