"""What the calendar tests share: the site tree (TW; T01, T02; communes X0101, X0102,
X0201, X0202) and a test client reading English."""

import pytest
from django.conf import settings

from tests.factories import site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
