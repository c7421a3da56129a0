"""A client generated from the schema books, reads, reschedules, re-sites and cancels a
session: if the schema and the answers drift apart, the typed models stop parsing them.

The client is generated during the run (openapi-python-client, offline, into a temporary
directory; nothing is committed) and talks to Django through its WSGI application, in this
thread and this test's transaction: no server."""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from accounts.roles import Role
from meetings.models import Meeting, MeetingStatus
from people import api_tokens
from people.models import TokenScope
from tests.factories import BridgeFactory, UserFactory, central_office, local_time, site_tree

PACKAGE = "giaoban_client"
# The generator's own config: no post hooks (they would run ruff on the generated code).
GENERATOR_CONFIG = "post_hooks: []\n"


@pytest.fixture(scope="module")
def generated(schema_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package, importable for this module's tests only."""
    where = tmp_path_factory.mktemp("client")
    config = where / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    generator = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema_file),
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(where / PACKAGE),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def module(package: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.{name}")


@pytest.fixture
def wsgi_in_this_transaction() -> Iterator[None]:
    """Requests keep the test's connection (and its transaction), as Django's test client does:
    the handler would close it at each request's start and end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def client(generated: ModuleType, db, wsgi_in_this_transaction):
    """The generated client as the central office's secretariat, through an API token (read
    and write) made for the office; sites TW → T01, T02 → X0101, X0201 around it."""
    site_tree(provinces=2, communes=1)
    office = central_office()
    secretariat = UserFactory(username="thuky", roles=[Role.SECRETARIAT], offices=[office])
    key = api_tokens.create(
        secretariat, name="Tích hợp", scope=TokenScope.READ_WRITE, office_id=office.pk
    ).key
    transport = httpx.WSGITransport(app=get_wsgi_application())
    return generated.AuthenticatedClient(
        base_url="http://localhost",
        token=key,
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )


def test_the_generated_client_books_reads_moves_resites_and_cancels_a_session(generated, client):
    bridge = BridgeFactory(name="MCU Quốc gia", port_capacity=40)
    models = module(generated, "models")
    meetings = "api.meetings."
    start = local_time(3, 8)

    booked = module(generated, meetings + "meetings_create").sync(
        client=client,
        body=models.BookRequest(
            title="Giao ban tuần",
            bridge=bridge.pk,
            start=start,
            end=start + timedelta(hours=2),
            sites=models.SiteSelectionRequest(sites=["T01", "X0101"]),
            host="T01",
        ),
    )
    assert isinstance(booked, models.MeetingDetail)
    assert [(site.code, site.role) for site in booked.sites] == [
        ("T01", models.LegRoleEnum.HOST),
        ("X0101", models.LegRoleEnum.PARTICIPANT),
    ]

    moved = module(generated, meetings + "meetings_reschedule_create").sync(
        booked.id,
        client=client,
        body=models.RescheduleRequest(
            start=start + timedelta(days=1), end=start + timedelta(days=1, hours=2)
        ),
    )
    assert isinstance(moved, models.MeetingsChanged)
    assert [(item.id, item.start) for item in moved.meetings] == [
        (booked.id, start + timedelta(days=1))
    ]

    resited = module(generated, meetings + "meetings_sites_create").sync(
        booked.id,
        client=client,
        body=models.ChangeSitesRequest(
            sites=models.SiteSelectionRequest(sites=["T01", "T02"]), host="T02"
        ),
    )
    assert isinstance(resited, models.MeetingDetail)
    assert sorted((site.code, site.role) for site in resited.sites) == [
        ("T01", models.LegRoleEnum.PARTICIPANT),
        ("T02", models.LegRoleEnum.HOST),
    ]

    cancelled = module(generated, meetings + "meetings_cancel_create").sync(
        booked.id, client=client, body=models.CancelRequest(reason="Hoãn")
    )
    assert [item.status for item in cancelled.meetings] == [models.MeetingStatusEnum.CANCELLED]

    read = module(generated, meetings + "meetings_retrieve").sync(booked.id, client=client)
    assert isinstance(read, models.MeetingDetail)
    assert (read.status, read.cancel_reason, read.host.code) == (
        models.MeetingStatusEnum.CANCELLED,
        "Hoãn",
        "T02",
    )
    assert sorted(site.code for site in read.sites) == ["T01", "T02"]
    assert Meeting.objects.get(pk=booked.id).status == MeetingStatus.CANCELLED


def test_the_generated_client_reads_a_list_of_summaries(generated, client):
    bridge = BridgeFactory(name="MCU Quốc gia", port_capacity=40)
    models = module(generated, "models")
    start = local_time(3, 8)
    module(generated, "api.meetings.meetings_create").sync(
        client=client,
        body=models.BookRequest(
            title="Giao ban tuần",
            bridge=bridge.pk,
            start=start,
            end=start + timedelta(hours=2),
            sites=models.SiteSelectionRequest(sites=["T01"]),
            host="T01",
        ),
    )

    page = module(generated, "api.meetings.meetings_list").sync(client=client)

    assert [(type(item), item.title) for item in page.results] == [
        (models.MeetingSummary, "Giao ban tuần")
    ]
