"""The working-days page's personas: alice (the central office's secretariat), lan
(Hà Nội's), root (the superuser), bob (a technician), mallory (no role)."""

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.factories import UserFactory, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=1, communes=1)


@pytest.fixture
def lan(hanoi):
    return UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[hanoi])


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def english(client):
    """Text assertions are on the English msgids, whatever the .po says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
