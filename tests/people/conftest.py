import pytest

from tests.factories import site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)
