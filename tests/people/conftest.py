"""The world of the people import tests: TW → T01 (Hà Nội, office VP-HN) → X0101, X0102;
TW → T02 (the other province, office VP-T02) → X0201, X0202. hana is Hà Nội's secretariat."""

import pytest

from accounts.roles import Role
from people.people_import import import_people, scope_for
from tests.factories import UserFactory, site_tree

HEADER = "full_name,email,phone,username,role,office,sites\n"


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def olga(other):
    """The other province's secretariat."""
    return UserFactory(username="olga", roles=[Role.SECRETARIAT], offices=[other])


@pytest.fixture
def run_import(hana, hanoi):
    """Import text (or bytes) as hana acting for Hà Nội: `run_import(csv, skip_invalid=True)`."""

    def run(content: str | bytes, **options):
        data = content.encode() if isinstance(content, str) else content
        return import_people(data, actor=hana, scope=scope_for(hana, hanoi), **options)

    return run


def csv_of(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)
