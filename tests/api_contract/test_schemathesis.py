"""Every API operation, fed schemathesis' generated requests as four personas: no answer is
a server error, and every answer is one the schema documents (all of schemathesis' checks).

The application is the real ASGI one (config.asgi), called in process (from_asgi, no server);
its threads use their own database connections, so the world is committed (a transactional
test: built for each persona, flushed after it). Each operation and persona gets
MAX_EXAMPLES examples, derandomized so that a run can be replayed."""

import pytest
import schemathesis
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from config.asgi import application
from config.env import env_bool
from meetings.models import Classification
from meetings.records.models import RecordKind
from people import api_tokens
from people.models import ApiToken, TokenScope
from tests.factories import (
    BridgeFactory,
    DetailsFactory,
    OfficeFactory,
    RecordFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    serve,
    site_tree,
    stored_version,
)

# About three minutes on two cores: it runs on CI's PostgreSQL leg (leg 2, real services,
# the strictest database), and on SQLite only when asked (API_FUZZ=1 make test).
ON_THIS_LEG = "postgresql" in settings.DATABASES["default"]["ENGINE"] or env_bool("API_FUZZ", False)
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_THIS_LEG, reason="PostgreSQL leg only, or API_FUZZ=1"),
]

MAX_EXAMPLES = 20
# A request the schema accepts may still break a rule the schema cannot state (a bridge id
# that names no bridge, an end before the start): the domain refuses it with 400 or 422,
# documented on the operation. Every other check runs as schemathesis configures it.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                # 302: a download in S3 mode is a redirect to the presigned address.
                # 304: a generated If-None-Match of "*" names the current ETag.
                "expected-statuses": [
                    "2xx",
                    "302",
                    "304",
                    "400",
                    "401",
                    "403",
                    "404",
                    "409",
                    "422",
                ]
            }
        }
    }
)
PERSONAS = (
    "central",  # secretariat of the central office (VPCP, TW)
    "hanoi",  # secretariat of Hà Nội's office (T01)
    "technician",  # technician of X0101, a Hà Nội commune
    "attendee",  # invited to the national session and the confidential one
)


def build_world() -> dict[str, tuple[int, str]]:
    """Sites, offices, sessions with records; each persona's API token (id, key)."""
    sites = site_tree(provinces=2, communes=2)
    central = central_office()
    hanoi = OfficeFactory(code="VPUB-T01", name="Văn phòng UBND Hà Nội", jurisdiction=sites["T01"])
    users = {
        "central": UserFactory(username="s_central", roles=[Role.SECRETARIAT], offices=[central]),
        "hanoi": UserFactory(username="s_hanoi", roles=[Role.SECRETARIAT], offices=[hanoi]),
        "technician": UserFactory(username="s_technician", roles=[Role.TECHNICIAN]),
        "attendee": UserFactory(username="s_attendee", roles=[Role.ATTENDEE]),
    }
    serve(users["technician"], "X0101")
    central_bridge = BridgeFactory(name="MCU TW", owner=central)
    hanoi_bridge = BridgeFactory(name="MCU Hà Nội", owner=hanoi)
    invited = ((users["attendee"].pk, "member"),)
    meetings = [
        booked(
            users["central"],
            details=DetailsFactory(title="Phiên toàn quốc", attendees=invited),
            sites=SiteSelection(sites=("TW", "T01", "X0101", "T02", "X0201")),
            host_code="TW",
            slot__start=local_time(7, 8),
            bridge_id=central_bridge.pk,
        ),
        booked(
            users["hanoi"],
            details=DetailsFactory(
                title="Phiên mật", classification=Classification.CONFIDENTIAL, attendees=invited
            ),
            sites=SiteSelection(sites=("T01", "X0101")),
            host_code="T01",
            slot__start=local_time(9, 8),
            bridge_id=hanoi_bridge.pk,
        ),
    ]
    for meeting in meetings:
        record = RecordFactory(meeting=meeting, kind=RecordKind.AGENDA, title="Chương trình")
        stored_version(record=record, uploaded_by=meeting.organiser)
    offices = {"central": central.pk, "hanoi": hanoi.pk}
    return {name: new_token(user, offices.get(name)) for name, user in users.items()}


def new_token(user, office_id: int | None) -> tuple[int, str]:
    made = api_tokens.create(
        user, name="Schemathesis", scope=TokenScope.READ_WRITE, office_id=office_id
    )
    return made.token.pk, made.key


@pytest.fixture
def world(transactional_db) -> dict[str, tuple[int, str]]:
    """Committed, so that the application's threads see it; emptied after each persona."""
    return build_world()


@pytest.fixture
def api_schema(world) -> schemathesis.BaseSchema:
    """The schema as the application serves it (to a signed-in reader)."""
    _token_id, key = world["central"]
    return schemathesis.openapi.from_asgi(
        "/api/v1/schema/",
        application,
        config=CONFIG,
        headers={"Authorization": f"Bearer {key}"},
    )


def bearer(world: dict[str, tuple[int, str]], persona: str) -> dict[str, str]:
    """The persona's token; a new one if a generated DELETE /tokens/{id}/ revoked it."""
    token_id, key = world[persona]
    if not api_tokens.is_live(token_id):
        revoked = ApiToken.objects.get(pk=token_id)
        world[persona] = token_id, key = new_token(revoked.user, revoked.office_id)
    return {"Authorization": f"Bearer {key}"}


def examples_of(operation, world: dict[str, tuple[int, str]], persona: str):
    """A Hypothesis test of one operation: generated requests, every check on each answer."""

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(headers=bearer(world, persona))

    return run


# schemathesis' own pytest loader (schemathesis.pytest.from_fixture) renames pytest's nodes
# through an attribute pytest 9 no longer has: the operations run here as subtests instead.
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_answers_as_documented(api_schema, world, persona, subtests):
    for result in api_schema.get_all_operations():
        operation = result.ok()
        with subtests.test(operation=operation.label):
            examples_of(operation, world, persona)()
