"""Uploading a recording from the meeting page in Chromium.

S3 mode: the page (Daphne on 127.0.0.1:PORT) PUTs the parts straight to SeaweedFS on
another port: a cross-origin request that works only because the bucket's CORS rules
allow the page's origin and expose ETag. App mode: the same page sends the parts to
the application. Either way the progress bar reaches 100% and, after the page reloads,
the recording is listed, waiting for verification.
"""

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetings.records import storage, storage_multipart
from meetings.records.models import RecordingUpload, RecordStatus, RecordVersion, UploadStatus
from tests.factories import DEMO_PASSWORD
from tests.fixtures.services import configured_s3_server
from tests.meetings.records.helpers import session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MiB = 1024 * 1024
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
VIDEO_SIZE = 11 * MiB + 12345  # two parts of 8 MiB and the rest
UPLOAD_TIMEOUT_MS = 60_000


@pytest.fixture
def recording(tmp_path) -> Path:
    """An ~11 MiB "MP4": a valid ftyp box, then padding."""
    path = tmp_path / "Ghi hình giao ban.mp4"
    with path.open("wb") as file:
        file.write(MP4_HEAD)
        file.write(os.urandom(VIDEO_SIZE - len(MP4_HEAD)))
    return path


def page_at(browser, base_url: str):
    context = browser.new_context(base_url=base_url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def start_upload(page, meeting, recording: Path) -> None:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")
    page.goto(f"/meetings/{meeting.pk}/")
    page.fill("#recording-title", "Ghi hình phiên giao ban")
    page.set_input_files("#recording-file", str(recording))
    page.click("#recording-upload-submit")


def upload_through_the_page(page, meeting, recording: Path) -> None:
    start_upload(page, meeting, recording)
    expect(page.locator("#recording-upload-progress")).to_have_attribute(
        "value", "100", timeout=UPLOAD_TIMEOUT_MS
    )
    expect(page.locator("#recording-upload-form")).to_have_attribute(
        "data-uploaded-version", re.compile(r"^\d+$"), timeout=UPLOAD_TIMEOUT_MS
    )
    page.wait_for_load_state("load")


def assert_recording_listed(page, recording: Path) -> RecordVersion:
    version = RecordVersion.objects.get()
    expect(page.locator(f"#version-{version.pk}")).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)
    expect(page.locator(f"#version-{version.pk}")).to_contain_text(recording.name)
    assert (version.size, version.status) == (VIDEO_SIZE, RecordStatus.VERIFYING)
    assert RecordingUpload.objects.get().status == UploadStatus.COMPLETED
    return version


def test_recording_goes_straight_to_s3_across_origins(
    browser, s3_daphne, seaweedfs, secretary, recording, settings
):
    seaweedfs.allow_cors(s3_daphne)
    settings.STORAGES = seaweedfs.storages_setting(settings.STORAGES)
    meeting = session(secretary)
    context, page = page_at(browser, s3_daphne)
    s3_requests = []
    page.on(
        "request",
        lambda request: (
            s3_requests.append(request.method)
            if request.url.startswith(seaweedfs.endpoint_url)
            else None
        ),
    )
    try:
        upload_through_the_page(page, meeting, recording)
        version = assert_recording_listed(page, recording)
    finally:
        context.close()

    assert s3_requests.count("PUT") == 2  # two parts, straight to the bucket
    assert RecordingUpload.objects.get().mode == "s3"
    assert storage.size_of(version.key) == VIDEO_SIZE
    assert b"".join(storage.open_chunks(version.key)) == recording.read_bytes()


def test_recording_goes_through_the_app_on_local_disk(browser, live_daphne, secretary, recording):
    if configured_s3_server() is not None:
        pytest.skip("S3_ENDPOINT_URL is set: the shared Daphne runs in S3 mode")
    meeting = session(secretary)
    context, page = page_at(browser, live_daphne)
    try:
        upload_through_the_page(page, meeting, recording)
        version = assert_recording_listed(page, recording)
    finally:
        context.close()

    assert RecordingUpload.objects.get().mode == "app"
    assert b"".join(storage.open_chunks(version.key)) == recording.read_bytes()


def test_a_reloaded_page_resumes_and_sends_only_the_missing_parts(
    browser, live_daphne, secretary, recording
):
    if configured_s3_server() is not None:
        pytest.skip("S3_ENDPOINT_URL is set: the shared Daphne runs in S3 mode")
    meeting = session(secretary)
    context, page = page_at(browser, live_daphne)
    sent_parts = []
    page.on(
        "requestfinished",
        lambda request: (
            sent_parts.append(request.url.rstrip("/").rsplit("/", 1)[-1])
            if request.method == "PUT"
            else None
        ),
    )
    try:
        # The first attempt: part 2 hangs (a connection that went away) and the
        # page is reloaded once part 1 has arrived.
        page.route(re.compile(r".*/parts/2/$"), lambda route: None)
        with page.expect_response(re.compile(r".*/parts/1/$")):
            start_upload(page, meeting, recording)
        page.reload()
        page.unroute_all(behavior="ignoreErrors")
        first_attempt = list(sent_parts)

        page.fill("#recording-title", "Ghi hình phiên giao ban")
        page.set_input_files("#recording-file", str(recording))
        page.click("#recording-upload-submit")
        expect(page.locator("#recording-upload-form")).to_have_attribute(
            "data-uploaded-version", re.compile(r"^\d+$"), timeout=UPLOAD_TIMEOUT_MS
        )
        version = assert_recording_listed(page, recording)
    finally:
        context.close()

    assert first_attempt == ["1"]
    assert sent_parts == ["1", "2"]  # part 1 was not sent again
    assert RecordingUpload.objects.count() == 1  # the same upload, resumed
    assert b"".join(storage.open_chunks(version.key)) == recording.read_bytes()


def test_cancel_is_hidden_while_completing_and_errors_are_translated(
    browser, live_daphne, secretary, recording
):
    if configured_s3_server() is not None:
        pytest.skip("S3_ENDPOINT_URL is set: the shared Daphne runs in S3 mode")
    meeting = session(secretary)
    context, page = page_at(browser, live_daphne)
    held = []
    try:
        page.route(
            re.compile(r".*/complete/$"), lambda route: held.append(route)
        )  # the server is completing
        start_upload(page, meeting, recording)
        expect(page.locator("#recording-upload-progress")).to_have_attribute(
            "value", "100", timeout=UPLOAD_TIMEOUT_MS
        )
        completing = page.locator("#recording-upload-form").get_attribute("data-text-completing")
        expect(page.locator("#recording-upload-status")).to_have_text(completing)
        cancel = page.locator("#recording-upload-cancel")
        # Disabled, and marked hidden (static/css/app.css's `.button { display:
        # inline-block }` overrides the attribute: not this page's to fix).
        cancel_state = (cancel.is_disabled(), cancel.get_attribute("hidden") is not None)
        # A proxy answers the completion with an error page, not JSON.
        held[0].fulfill(status=502, content_type="text/html", body="<h1>Bad gateway</h1>")
        generic = page.locator("#recording-upload-form").get_attribute("data-text-http")
        expect(page.locator("#recording-upload-status")).to_contain_text(
            generic.replace("{status}", "502")
        )
        shown = page.locator("#recording-upload-status").text_content()
    finally:
        context.close()

    assert cancel_state == (True, True)
    assert "HTTP 502" not in shown
    assert RecordingUpload.objects.get().status == UploadStatus.OPEN


def test_a_resumed_upload_the_store_forgot_starts_again(
    browser, s3_daphne, seaweedfs, secretary, recording, settings
):
    seaweedfs.allow_cors(s3_daphne)
    settings.STORAGES = seaweedfs.storages_setting(settings.STORAGES)
    meeting = session(secretary)
    context, page = page_at(browser, s3_daphne)
    try:
        page.route(re.compile(r".*[?&]partNumber=2(&|$).*"), lambda route: None)  # hangs
        with page.expect_response(re.compile(r".*[?&]partNumber=1(&|$).*")):
            start_upload(page, meeting, recording)
        page.reload()
        page.unroute_all(behavior="ignoreErrors")
        forgotten = RecordingUpload.objects.get()
        storage_multipart.abort_multipart(forgotten.key, forgotten.upload_id)  # the store forgot

        page.fill("#recording-title", "Ghi hình phiên giao ban")
        page.set_input_files("#recording-file", str(recording))
        page.click("#recording-upload-submit")
        expect(page.locator("#recording-upload-form")).to_have_attribute(
            "data-uploaded-version", re.compile(r"^\d+$"), timeout=UPLOAD_TIMEOUT_MS
        )
    finally:
        context.close()

    version = RecordVersion.objects.get()
    assert RecordingUpload.objects.get(status=UploadStatus.COMPLETED).pk != forgotten.pk
    deadline = time.monotonic() + 10
    while RecordingUpload.objects.get(pk=forgotten.pk).status != UploadStatus.ABORTED:
        assert time.monotonic() < deadline, "the page did not drop the forgotten upload"
        time.sleep(0.1)
    assert b"".join(storage.open_chunks(version.key)) == recording.read_bytes()
