"""The refusals every operation documents by rule (httpapi.problem_schema), asked of each
operation of the schema: 403 for a write sent with a read-only API token and for a read
by someone without a role; 400 for any operation naming a query parameter it does not
know, with nothing written."""

import pytest

from httpapi.problems import CONTENT_TYPE
from people import api_tokens
from people.models import TokenScope
from tests.factories import stored_counts
from tests.httpapi.operations import build_world, operations
from tests.meetings.records.helpers import local_storage

OPERATIONS = operations()
WRITES_REFUSED = [o for o in OPERATIONS if 403 in o.documented and o.method != "GET"]
READS_REFUSED = [o for o in OPERATIONS if 403 in o.documented and o.method == "GET"]


@pytest.fixture
def world(settings, tmp_path, alice, bob, carol, api_as):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)
    return build_world(alice, bob, carol, api_as(alice))


def problem_code(response) -> tuple[int, str, str]:
    problem = response["Content-Type"] == CONTENT_TYPE
    code = response.json()["code"] if problem else ""
    return response.status_code, response["Content-Type"], code


@pytest.mark.parametrize("operation", WRITES_REFUSED, ids=str)
def test_a_write_with_a_read_only_token_is_403(operation, world, api, alice):
    secret = api_tokens.create(alice, name="Chỉ đọc", scope=TokenScope.READ).key
    before = stored_counts()

    response = api.generic(
        operation.method,
        world.path(operation.path),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert problem_code(response) == (403, CONTENT_TYPE, "token_read_only")
    assert stored_counts() == before


@pytest.mark.parametrize("operation", READS_REFUSED, ids=str)
def test_a_read_by_someone_without_a_role_is_403(operation, world, api_as, mallory):
    response = api_as(mallory).get(world.path(operation.path))

    assert problem_code(response) == (403, CONTENT_TYPE, "permission_denied")


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_an_unknown_query_parameter_is_400_naming_it_and_writes_nothing(
    operation, world, api_as, alice, bob
):
    persona = bob if "/legs/" in operation.path else alice
    before = stored_counts()

    response = api_as(persona).generic(
        operation.method,
        f"{world.path(operation.path)}?no_such_parameter=1",
        "{}" if operation.method != "GET" else "",
        content_type="application/json",
    )

    assert 400 in operation.documented
    assert problem_code(response) == (400, CONTENT_TYPE, "invalid")
    assert [error["field"] for error in response.json()["errors"]] == ["no_such_parameter"]
    assert stored_counts() == before
