"""Uploading a document from the meeting page in Chromium, the way recordings travel.

S3 mode: the page PUTs the whole document straight to SeaweedFS with a URL signed for its
exact size and type (a cross-origin request the bucket's CORS rules allow). Local disk:
the page sends 8 MiB parts to the application. Either way the page then waits for the
task worker (run here by the test) to verify the document, and after it reloads the
document is listed, available, with its SHA-256.
"""

import hashlib
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetings.records import storage
from meetings.records.models import RecordingUpload, RecordStatus, RecordVersion, UploadStatus
from tests.browser.test_recording_upload import page_at
from tests.factories import DEMO_PASSWORD
from tests.fixtures.services import configured_s3_server
from tests.meetings.records.helpers import PDF, run_records_worker, session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MiB = 1024 * 1024
DOCUMENT_SIZE = 9 * MiB + 4321  # two parts of 8 MiB on local disk
TIMEOUT_MS = 60_000


@pytest.fixture
def document(tmp_path) -> Path:
    path = tmp_path / "Tài liệu phiên họp.pdf"
    with path.open("wb") as file:
        file.write(PDF)
        file.write(os.urandom(DOCUMENT_SIZE - len(PDF)))
    return path


def wait_for_verifying(timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not RecordingUpload.objects.filter(status=UploadStatus.VERIFYING).exists():
        assert time.monotonic() < deadline, "the page never completed the upload"
        time.sleep(0.2)


def upload_through_the_page(page, meeting, document: Path) -> RecordVersion:
    page.goto("/login/")
    page.fill("#id_username", "thuky")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/")
    page.goto(f"/meetings/{meeting.pk}/")
    page.select_option("#id_kind", "agenda")
    page.fill("#id_title", "Tài liệu phiên họp")
    page.set_input_files("#id_file", str(document))
    page.click("#record-upload-submit")
    expect(page.locator("#record-upload-progress")).to_have_attribute(
        "value", "100", timeout=TIMEOUT_MS
    )
    wait_for_verifying()
    verifying = page.locator("#record-upload-form").get_attribute("data-text-verifying")
    expect(page.locator("#record-upload-status")).to_have_text(verifying, timeout=TIMEOUT_MS)
    run_records_worker()
    expect(page.locator("#record-upload-form")).to_have_attribute(
        "data-uploaded-version", re.compile(r"^\d+$"), timeout=TIMEOUT_MS
    )
    page.wait_for_load_state("load")
    version = RecordVersion.objects.get()
    expect(page.locator(f"#version-{version.pk}")).to_contain_text(
        document.name, timeout=TIMEOUT_MS
    )
    return version


def assert_stored(version: RecordVersion, document: Path) -> None:
    content = document.read_bytes()
    assert (version.status, version.size, version.sha256) == (
        RecordStatus.AVAILABLE,
        DOCUMENT_SIZE,
        hashlib.sha256(content).hexdigest(),
    )
    assert b"".join(storage.open_chunks(version.key)) == content
    assert RecordingUpload.objects.get().status == UploadStatus.COMPLETED


def test_document_goes_straight_to_s3_in_one_bounded_put(
    browser, s3_daphne, seaweedfs, secretary, document, settings
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
        version = upload_through_the_page(page, meeting, document)
    finally:
        context.close()

    assert s3_requests.count("PUT") == 1  # the whole document, straight to the bucket
    assert RecordingUpload.objects.get().mode == "s3"
    assert_stored(version, document)


def test_document_goes_through_the_app_in_parts_on_local_disk(
    browser, live_daphne, secretary, document
):
    if configured_s3_server() is not None:
        pytest.skip("S3_ENDPOINT_URL is set: the shared Daphne runs in S3 mode")
    meeting = session(secretary)
    context, page = page_at(browser, live_daphne)
    parts = []
    page.on(
        "request",
        lambda request: parts.append(request.url) if request.method == "PUT" else None,
    )
    try:
        version = upload_through_the_page(page, meeting, document)
    finally:
        context.close()

    assert [url.rsplit("/parts/", 1)[-1] for url in parts] == ["1/", "2/"]
    assert RecordingUpload.objects.get().mode == "app"
    assert_stored(version, document)
