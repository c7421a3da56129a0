"""Every operation of the schema that takes a body answers a body it does not read
(`text/plain`) with 415 problem+json `unsupported_media_type`, and stores nothing."""

import pytest

from httpapi.problems import CONTENT_TYPE
from meetings.records.models import RecordingUpload
from tests.factories import stored_counts
from tests.httpapi.operations import build_world, operations
from tests.meetings.records.helpers import local_storage

WITH_BODY = [operation for operation in operations() if operation.has_body]
# A leg's report is a technician's; every other operation the secretariat's.
TECHNICIANS = {"/api/v1/legs/{leg_id}/reports/"}


@pytest.fixture
def world(settings, tmp_path, alice, bob, carol, api_as):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)
    return build_world(alice, bob, carol, api_as(alice))


def test_the_schema_has_operations_with_a_body():
    assert len(WITH_BODY) >= 25


@pytest.mark.parametrize("operation", WITH_BODY, ids=str)
def test_a_text_body_is_415(operation, world, api_as, alice, bob):
    api = api_as(bob if operation.path in TECHNICIANS else alice)
    before = (stored_counts(), RecordingUpload.objects.count())

    response = api.generic(
        operation.method, world.path(operation.path), "state=ready", content_type="text/plain"
    )

    assert 415 in operation.documented
    assert (response.status_code, response["Content-Type"]) == (415, CONTENT_TYPE)
    assert response.json()["code"] == "unsupported_media_type"
    assert (stored_counts(), RecordingUpload.objects.count()) == before
