"""GET /api/v1/record-versions/{id}/download/ answers what its schema documents: a range
of the file (206), a range past its end (416, no body), and in S3 mode a redirect to a
presigned URL that serves the file (302)."""

import pytest

from tests.fixtures.services import http_get
from tests.meetings.records.helpers import local_storage, s3_storage, session
from tests.meetings.records.test_downloads import VIDEO, body, recording


@pytest.fixture
def meeting(alice, carol):
    return session(alice, attendees=[carol])


def download_url(version) -> str:
    return f"/api/v1/record-versions/{version.pk}/download/"


def test_a_range_is_206_with_the_slice(settings, tmp_path, meeting, alice, api_as):
    local_storage(settings, tmp_path)
    version = recording(meeting, alice)

    response = api_as(alice).get(download_url(version), HTTP_RANGE="bytes=100-199")

    assert response.status_code == 206
    assert body(response) == VIDEO[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"


def test_a_range_past_the_end_is_416_without_a_body(settings, tmp_path, meeting, alice, api_as):
    local_storage(settings, tmp_path)
    version = recording(meeting, alice)

    response = api_as(alice).get(download_url(version), HTTP_RANGE=f"bytes={len(VIDEO)}-")

    assert (response.status_code, response.content) == (416, b"")
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_s3_mode_is_302_to_a_presigned_url_serving_the_file(
    settings, seaweedfs, meeting, alice, api_as
):
    s3_storage(settings, seaweedfs)
    version = recording(meeting, alice)

    response = api_as(alice).get(download_url(version))
    status, _headers, content = http_get(response["Location"])

    assert response.status_code == 302
    assert (status, content) == (200, VIDEO)
