"""Personas (one per role, plus an outsider) and the shared fixtures of the suite.

alice: secretariat (of the central office) · bob: technician · carol: attendee ·
mallory: signed in, no role. Offices of a module's `sites` tree (site_tree): hanoi
(VP-HN, jurisdiction T01) and other (VP-T02, T02); hana: Hà Nội's secretariat.
"""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, connections
from django.utils import translation
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.factories import UserFactory, office_of

pytest_plugins = [
    "tests.calendar_bodies",
    "tests.api_statuses",
    "tests.fixtures.services",
    "tests.fixtures.browser",
    "tests.fixtures.oidc_provider",
    "tests.fixtures.slapd",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix() -> None:
    """pytest-django's own: it would suffix each worker's test database name in the worker
    only; config/test_settings.py names it so that the Daphne children open it too."""


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", full_name="Alice", roles=[Role.SECRETARIAT])


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", full_name="Bob", roles=[Role.TECHNICIAN])


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", full_name="Carol", roles=[Role.ATTENDEE])


@pytest.fixture
def mallory(db):
    return UserFactory(username="mallory", full_name="Mallory")


@pytest.fixture
def hanoi(sites):
    """Needs the module's `sites` (site_tree)."""
    return office_of(sites["T01"], "VP-HN", name="Văn phòng UBND Hà Nội")


@pytest.fixture
def other(sites):
    return office_of(sites["T02"], "VP-T02", name="Văn phòng UBND T02")


@pytest.fixture
def hana(hanoi):
    return UserFactory(username="hana", roles=[Role.SECRETARIAT], offices=[hanoi])


@pytest.fixture
def client_as(client):
    """Sign the test client in as a persona: `client_as(alice)`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def default_language():
    """A request in English must not leave English active for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api():
    """An API client whose text assertions are on the English msgids, whatever the .po says."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api_as(api):
    """Sign the API client in as a persona: `api_as(alice)`."""

    def sign_in(user):
        api.force_login(user)
        return api

    return sign_in


@pytest.fixture
async def released_connections():
    """Give back every connection the consumers' database threads used.

    On PostgreSQL the consumers run their calls on a pool of threads
    (conferencing.sync_calls), and connections handed back to the pool stay open
    in it: at the end of the run they kept the test database from being dropped.
    Closing the pool closes them; the next test opens a new one.
    """
    yield
    await sync_to_async(close_connections_and_pool)()


def close_connections_and_pool() -> None:
    connections.close_all()
    if connection.vendor == "postgresql":
        connection.close_pool()
