"""Downloads: a presigned, expiring redirect in S3 mode; a stream with Range in local mode;
every download of a confidential session's record audited."""

import asyncio
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.test import AsyncRequestFactory
from django.urls import reverse
from django.utils.http import content_disposition_header
from rest_framework.request import Request

from audit.models import AuditEntry
from meetings.models import Classification
from meetings.records import downloads
from meetings.records.downloads import RangeNotSatisfiable, byte_range
from meetings.records.models import RecordKind
from tests.factories import RecordFactory, stored_version
from tests.fixtures.services import http_get
from tests.meetings.records.helpers import WEBM, local_storage, s3_storage, session

VIDEO = WEBM + bytes(range(256)) * 40  # 10,304 bytes
NAME = "Ghi hình phiên họp ngày 21.webm"
BASE_DIR = Path(__file__).resolve().parents[3]


@pytest.fixture
def meeting(alice, carol):
    return session(alice, attendees=[carol])


def recording(meeting, alice, **fields):
    return stored_version(
        VIDEO,
        record=RecordFactory(meeting=meeting, kind=RecordKind.RECORDING, title="Ghi hình"),
        original_name=NAME,
        content_type="video/webm",
        uploaded_by=alice,
        **fields,
    )


def file_url(version, **query) -> str:
    url = reverse(
        "meetings:record-download",
        kwargs={"meeting_id": version.record.meeting_id, "version_id": version.pk},
    )
    return url + ("?" + urllib.parse.urlencode(query) if query else "")


def body(response) -> bytes:
    """Read a streamed answer through; the test client closes it then, as a server would."""
    return b"".join(response.streaming_content)


# --- Range, as a player asks for it --------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-9", (0, 10)),
        ("bytes=10-", (10, 100)),
        ("bytes=-5", (95, 100)),
        ("bytes=-500", (0, 100)),
        ("bytes=90-500", (90, 100)),
        ("bytes=0-0", (0, 1)),
        ("bytes=0-9,20-29", None),  # several ranges: the whole file
        ("bytes=9-0", None),
        ("items=0-9", None),
        ("bytes=-", None),
    ],
)
def test_byte_range_reads_one_range(header, expected):
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=200-300", "bytes=-0"])
def test_byte_range_past_the_end_is_not_satisfiable(header):
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 100)


# --- local mode: the app streams -----------------------------------------------------------------


@pytest.fixture
def local(settings, tmp_path):
    local_storage(settings, tmp_path)


def test_local_download_streams_the_whole_file_with_its_vietnamese_name(
    local, meeting, alice, client_as
):
    version = recording(meeting, alice)

    response = client_as(alice).get(file_url(version))

    assert response.status_code == 200
    assert body(response) == VIDEO
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Length"] == str(len(VIDEO))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"] == content_disposition_header(True, NAME)


def test_local_range_request_gets_206_with_the_slice(local, meeting, alice, client_as):
    version = recording(meeting, alice)

    response = client_as(alice).get(file_url(version), HTTP_RANGE="bytes=100-199")

    assert response.status_code == 206
    assert body(response) == VIDEO[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"
    assert response["Content-Length"] == "100"


def test_local_seek_to_the_end_gets_the_tail(local, meeting, alice, client_as):
    version = recording(meeting, alice)

    response = client_as(alice).get(file_url(version), HTTP_RANGE="bytes=10000-")

    assert response.status_code == 206
    assert body(response) == VIDEO[10000:]


def test_local_range_past_the_end_is_416(local, meeting, alice, client_as):
    version = recording(meeting, alice)

    response = client_as(alice).get(file_url(version), HTTP_RANGE=f"bytes={len(VIDEO)}-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_local_if_range_for_another_file_gets_the_whole_file(local, meeting, alice, client_as):
    version = recording(meeting, alice)

    response = client_as(alice).get(
        file_url(version), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"another-etag"'
    )

    assert response.status_code == 200
    assert body(response) == VIDEO


def test_local_if_range_for_this_file_gets_the_range(local, meeting, alice, client_as):
    version = recording(meeting, alice)

    response = client_as(alice).get(
        file_url(version), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{version.sha256}"'
    )

    assert (response.status_code, body(response)) == (206, VIDEO[:10])


def test_local_inline_download_is_shown_in_the_browser(local, meeting, alice, client_as):
    version = recording(meeting, alice)

    response = client_as(alice).get(file_url(version, inline=1))
    body(response)

    assert response["Content-Disposition"] == content_disposition_header(False, NAME)


def test_local_download_of_a_missing_object_is_404(local, meeting, alice, client_as):
    version = recording(meeting, alice)
    from meetings.records import storage

    storage.delete(version.key)

    response = client_as(alice).get(file_url(version))

    assert response.status_code == 404


def test_under_asgi_the_file_is_read_chunk_by_chunk_through_an_async_iterator(
    local, meeting, alice, monkeypatch
):
    version = recording(meeting, alice)
    monkeypatch.setattr(downloads, "CHUNK_BYTES", 1000)
    request = AsyncRequestFactory().get("/", headers={"Range": "bytes=0-4999"})

    response = downloads.stream(request, version, inline=True)

    async def collect() -> list[bytes]:
        return [chunk async for chunk in response.streaming_content]

    assert response.is_async is True
    assert [len(chunk) for chunk in asyncio.run(collect())] == [1000] * 5


def test_an_api_request_under_asgi_is_read_through_an_async_iterator_too(local, meeting, alice):
    version = recording(meeting, alice)
    request = Request(AsyncRequestFactory().get("/"))

    response = downloads.stream(request, version, inline=False)

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in response.streaming_content])

    assert response.is_async is True
    assert asyncio.run(collect()) == VIDEO


# --- S3 mode: a presigned redirect, never the bytes ----------------------------------------------


@pytest.fixture
def s3(settings, seaweedfs):
    s3_storage(settings, seaweedfs)


def test_s3_download_redirects_to_a_presigned_url_with_the_vietnamese_name(
    s3, meeting, alice, client_as
):
    version = recording(meeting, alice)

    response = client_as(alice).get(file_url(version))
    status, headers, content = http_get(response["Location"])

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert (status, content) == (200, VIDEO)
    assert headers["Content-Disposition"] == content_disposition_header(True, NAME)


def test_s3_link_expires_after_records_link_seconds(s3, meeting, alice, client_as, settings):
    settings.RECORDS_LINK_SECONDS = 1
    version = recording(meeting, alice)
    location = client_as(alice).get(file_url(version))["Location"]

    time.sleep(2.5)
    status, _headers, content = http_get(location)

    assert "X-Amz-Expires=1&" in location
    assert status == 403
    assert content != VIDEO


def test_s3_link_with_a_longer_expiry_written_in_is_refused(s3, meeting, alice, client_as):
    version = recording(meeting, alice)
    location = client_as(alice).get(file_url(version))["Location"]

    status, _headers, _content = http_get(
        location.replace("X-Amz-Expires=300", "X-Amz-Expires=604800")
    )

    assert status == 403


def test_s3_watching_gets_an_inline_link_that_lives_for_playback(
    s3, meeting, alice, client_as, settings
):
    settings.RECORDS_PLAYBACK_LINK_SECONDS = 7200
    version = recording(meeting, alice)

    location = client_as(alice).get(file_url(version, inline=1))["Location"]
    status, headers, _content = http_get(location)

    assert "X-Amz-Expires=7200&" in location
    assert status == 200
    assert headers["Content-Disposition"] == content_disposition_header(False, NAME)


def test_s3_range_requests_reach_storage_directly(s3, meeting, alice, client_as):
    version = recording(meeting, alice)
    location = client_as(alice).get(file_url(version, inline=1))["Location"]
    request = urllib.request.Request(location, headers={"Range": "bytes=100-199"})

    with urllib.request.urlopen(request, timeout=10) as response:
        assert (response.status, response.read()) == (206, VIDEO[100:200])


# --- audit ---------------------------------------------------------------------------------------


def test_every_download_of_a_confidential_record_is_audited(local, alice, carol, client_as):
    meeting = session(alice, Classification.CONFIDENTIAL, attendees=[carol])
    version = recording(meeting, alice)

    body(client_as(carol).get(file_url(version)))
    body(client_as(carol).get(file_url(version, inline=1), HTTP_RANGE="bytes=10-"))

    entries = AuditEntry.objects.filter(action="record.downloaded").order_by("pk")
    assert [(e.actor, e.target_id, e.changes) for e in entries] == [
        (carol, str(version.pk), {"meeting": meeting.pk, "inline": False, "range": ""}),
        (carol, str(version.pk), {"meeting": meeting.pk, "inline": True, "range": "bytes=10-"}),
    ]


def test_a_confidential_redirect_is_audited_too(s3, alice, carol, client_as):
    meeting = session(alice, Classification.CONFIDENTIAL, attendees=[carol])
    version = recording(meeting, alice)

    client_as(carol).get(file_url(version))

    assert AuditEntry.objects.filter(action="record.downloaded", actor=carol).count() == 1


def test_downloads_of_internal_records_are_not_audited(local, meeting, alice, carol, client_as):
    version = recording(meeting, alice)

    body(client_as(carol).get(file_url(version)))

    assert AuditEntry.objects.filter(action="record.downloaded").count() == 0


def test_in_s3_mode_the_player_may_load_media_from_the_public_s3_host():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        S3_ENDPOINT_URL="http://seaweedfs:8333",
        S3_PUBLIC_ENDPOINT_URL="https://s3.giaoban.gov.vn/",
        S3_BUCKET="giaoban",
        S3_ACCESS_KEY="key",
        S3_SECRET_KEY="secret",
    )
    code = "from django.conf import settings; print(*settings.SECURE_CSP['media-src'])"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip

    assert result.stdout.strip() == "'self' https://s3.giaoban.gov.vn"
