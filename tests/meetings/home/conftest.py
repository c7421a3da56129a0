"""The home page's world (tests/meetings/home/helpers.py): two provinces of two communes
each, and bob serving X0101 and X0102."""

import pytest

from tests.factories import serve, site_tree


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def serving(bob, sites):
    serve(bob, "X0101", "X0102")
    return bob
