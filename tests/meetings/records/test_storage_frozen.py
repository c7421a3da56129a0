"""Uploads against a real SeaweedFS frozen with SIGSTOP (it accepts connections and
answers nothing): the upload answers a timeout within the configured timeouts, stores
nothing, and a retry once the store is back creates exactly one version."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from meetings.records.models import Record, RecordVersion
from tests.fixtures.services import frozen
from tests.meetings.records.helpers import PDF, session

TIMEOUT_S = 1


@pytest.fixture
def meeting(alice, bob, carol):
    return session(alice, attendees=[carol], technicians=[bob])


@pytest.fixture
def frozen_able_storage(settings, private_seaweedfs):
    settings.S3_CONNECT_TIMEOUT = TIMEOUT_S
    settings.S3_READ_TIMEOUT = TIMEOUT_S
    settings.S3_MAX_ATTEMPTS = 1
    settings.STORAGES = private_seaweedfs.storages_setting(settings.STORAGES)
    return private_seaweedfs


def upload(api, meeting):
    return api.post(
        f"/api/v1/meetings/{meeting.pk}/records/",
        {"kind": "minutes", "title": "Biên bản phiên họp",
         "file": SimpleUploadedFile("Biên bản họp.pdf", PDF)},
        format="multipart",
    )  # fmt: skip


def stored_keys(server, meeting) -> list[str]:
    answer = server.client().list_objects_v2(Bucket=server.bucket, Prefix=f"records/{meeting.uid}/")
    return [item["Key"] for item in answer.get("Contents", [])]


def test_upload_with_s3_frozen_is_a_timeout_that_stores_nothing(
    meeting, alice, api_as, frozen_able_storage
):
    api = api_as(alice)

    with frozen(frozen_able_storage):
        started = time.monotonic()
        response = upload(api, meeting)
        elapsed = time.monotonic() - started

    assert (response.status_code, response.json()["code"]) == (504, "storage_timeout")
    # The write, then the removal of whatever it left, each bounded by the test's timeouts
    # (1 s here): well under the 30 s read timeout a deployment has by default, with room
    # for a loaded machine.
    assert elapsed < 15
    assert (Record.objects.count(), RecordVersion.objects.count()) == (0, 0)


def test_upload_retried_after_a_frozen_s3_creates_exactly_one_version(
    meeting, alice, api_as, frozen_able_storage
):
    api = api_as(alice)
    with frozen(frozen_able_storage):
        failed = upload(api, meeting)
    time.sleep(2)  # the thawed store works through what it was sent while frozen
    retried = upload(api, meeting)

    # The removal scheduled by the failed upload, run as the records worker would.
    (stray,) = DBTaskResult.objects.filter(task_path__endswith=".remove_stray_object_task")
    outcome = stray.task.call(*stray.args_kwargs["args"])

    assert (failed.status_code, retried.status_code, outcome) == (504, 201, "removed")
    assert RecordVersion.objects.count() == 1
    assert stored_keys(frozen_able_storage, meeting) == [RecordVersion.objects.get().key]


def test_web_upload_with_s3_frozen_is_a_504_page_in_vietnamese(
    meeting, alice, client_as, frozen_able_storage
):
    client = client_as(alice)

    with frozen(frozen_able_storage):
        response = client.post(
            reverse("meetings:record-upload", kwargs={"meeting_id": meeting.pk}),
            {"kind": "agenda", "title": "Tài liệu phiên họp",
             "file": SimpleUploadedFile("Tài liệu.pdf", PDF)},
        )  # fmt: skip

    assert response.status_code == 504
    assert "Kho lưu trữ tài liệu không phản hồi kịp thời" in response.content.decode()
    assert (Record.objects.count(), RecordVersion.objects.count()) == (0, 0)
