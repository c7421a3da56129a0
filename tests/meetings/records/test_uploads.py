"""Recording uploads through the API, from Python: S3 mode against SeaweedFS with an
identity file (parts PUT to presigned URLs) and app mode on local disk (parts PUT to
the application), the same checks in both."""

import hashlib
import io
import os
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from meetings.models import Classification
from meetings.records import archive, storage, storage_multipart, upload_parts
from meetings.records import uploads as recording_uploads
from meetings.records.models import (
    RecordingUpload,
    RecordKind,
    RecordStatus,
    RecordVersion,
    UploadStatus,
)
from meetings.records.upload_cleanup import abort_abandoned
from meetings.records.upload_parts import parts_dir, receive_part
from meetings.records.uploads import plan_parts
from meetings.records.verification import verify_recording
from tests.factories import UserFactory
from tests.fixtures.services import free_ports
from tests.meetings.records.helpers import (
    dead_s3_storage,
    local_storage,
    run_records_worker,
    s3_storage,
    session,
)

MiB = 1024 * 1024
GiB = 1024 * MiB
PART = 8 * MiB
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


def video(size: int = PART + 1000) -> bytes:
    """An "MP4": a valid ftyp box, then padding; two parts by default."""
    return MP4_HEAD + bytes(size - len(MP4_HEAD))


def http_put(url: str, data: bytes) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, ""


@pytest.fixture(params=["s3", "app"])
def mode(request, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    if request.param == "s3":
        s3_storage(settings, request.getfixturevalue("seaweedfs"))
    else:
        local_storage(settings, tmp_path)
    return request.param


@pytest.fixture
def s3_mode(settings, seaweedfs, tmp_path):
    settings.VAR_DIR = tmp_path
    s3_storage(settings, seaweedfs)
    return seaweedfs


@pytest.fixture
def meeting(alice):
    return session(alice)


@pytest.fixture
def lan(db):
    """Another secretariat member."""
    return UserFactory(username="lan", full_name="Lan", roles=[Role.SECRETARIAT])


def create(api, meeting, size: int = PART + 1000, **fields):
    body = {"title": "Ghi hình phiên họp", "file_name": "ghi-hình.mp4", "size": size}
    body.update({"content_type": "video/mp4", **fields})
    return api.post(
        reverse("meetings-api:recording-uploads", kwargs={"meeting_id": meeting.pk}),
        body,
        format="json",
    )


def upload_url(upload: dict, suffix: str = "") -> str:
    return reverse("meetings-api:recording-upload", kwargs={"pk": upload["id"]}) + suffix


def send(api, upload: dict, payload: bytes, numbers=None, sizes=None) -> dict[int, str]:
    """Send parts (all by default) the way the browser does; returns {number: etag}."""
    numbers = numbers or list(range(1, upload["part_count"] + 1))
    sizes = sizes or {}
    chunks = {}
    for number in numbers:
        start = (number - 1) * upload["part_size"]
        end = start + sizes.get(number, upload["part_size"])
        chunks[number] = payload[start:end]
    etags = {}
    if upload["mode"] == "s3":
        signed = api.post(upload_url(upload, "sign/"), {"parts": numbers}, format="json")
        assert signed.status_code == 200, signed.content
        for number in numbers:
            status, etag = http_put(signed.json()["urls"][str(number)], chunks[number])
            assert status == 200
            etags[number] = etag.strip('"')
    else:
        for number in numbers:
            response = api.put(
                upload_url(upload, f"parts/{number}/"),
                chunks[number],
                content_type="application/octet-stream",
            )
            assert response.status_code == 200, response.content
            etags[number] = response.json()["etag"]
    return etags


def complete(api, upload: dict, etags: dict[int, str], order=None):
    numbers = order or sorted(etags)
    parts = [{"number": n, "etag": etags.get(n, "0" * 32)} for n in numbers]
    return api.post(upload_url(upload, "complete/"), {"parts": parts}, format="json")


def nothing_left(upload: RecordingUpload) -> bool:
    """No object, no multipart upload, no part files for this upload."""
    in_store = storage.exists(upload.key)
    open_uploads = []
    if storage.is_s3():
        open_uploads = [
            u for u in storage_multipart.open_multipart_uploads() if u.key == upload.key
        ]
    return not in_store and not open_uploads and not parts_dir(upload).exists()


# -- The happy path ------------------------------------------------------------------------------


def test_upload_in_parts_becomes_a_verifying_recording(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()

    created = create(api, meeting, size=len(payload))
    upload = created.json()
    etags = send(api, upload, payload)
    resumed = api.get(upload_url(upload)).json()
    completed = complete(api, upload, etags)

    assert created.status_code == 201
    assert (upload["mode"], upload["part_size"], upload["part_count"]) == (mode, PART, 2)
    assert [(p["number"], p["size"]) for p in resumed["parts"]] == [(1, PART), (2, 1000)]
    assert completed.status_code == 202, completed.content
    version = RecordVersion.objects.get(pk=completed.json()["record_version"]["id"])
    assert (version.status, version.size, version.sha256) == (
        RecordStatus.VERIFYING,
        len(payload),
        "",
    )
    assert (version.record.kind, version.record.title) == (
        RecordKind.RECORDING,
        "Ghi hình phiên họp",
    )
    assert version.original_name == "ghi-hình.mp4"
    assert b"".join(storage.open_chunks(version.key)) == payload
    assert RecordingUpload.objects.get().status == UploadStatus.COMPLETED
    assert not parts_dir(RecordingUpload.objects.get()).exists()


def test_verification_makes_the_recording_available_with_its_sha256(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    completed = complete(api, upload, send(api, upload, payload))
    version = RecordVersion.objects.get(pk=completed.json()["record_version"]["id"])

    verify_recording(version)

    version.refresh_from_db()
    assert version.status == RecordStatus.AVAILABLE
    assert version.sha256 == hashlib.sha256(payload).hexdigest()


def test_verification_fails_bytes_that_are_not_video(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = b"MZ\x90\x00" + bytes(PART)  # a Windows program named .mp4
    upload = create(api, meeting, size=len(payload)).json()
    completed = complete(api, upload, send(api, upload, payload))
    version = RecordVersion.objects.get(pk=completed.json()["record_version"]["id"])

    verify_recording(version)

    version.refresh_from_db()
    assert (version.status, version.sha256) == (RecordStatus.FAILED, "")


def test_verification_takes_the_sniffed_type(api_as, alice, meeting, s3_mode):
    api = api_as(alice)
    payload = b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm" + bytes(100)  # WebM inside an .mkv
    upload = create(api, meeting, size=len(payload), file_name="họp.mkv", content_type="").json()
    completed = complete(api, upload, send(api, upload, payload))
    version = RecordVersion.objects.get(pk=completed.json()["record_version"]["id"])

    verify_recording(version)

    version.refresh_from_db()
    assert (upload["content_type"], version.content_type) == ("video/x-matroska", "video/webm")
    assert version.status == RecordStatus.AVAILABLE


def test_a_new_version_of_a_recording(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video(1000)
    first = create(api, meeting, size=len(payload)).json()
    done = complete(api, first, send(api, first, payload)).json()["record_version"]

    second = create(api, meeting, size=len(payload), record=done["record"], title="").json()
    again = complete(api, second, send(api, second, payload))

    assert again.status_code == 202
    assert (again.json()["record_version"]["record"], again.json()["record_version"]["number"]) == (
        done["record"],
        2,
    )


# -- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"size": 0}, "empty_file"),
        ({"size": 50 * GiB + 1}, "too_large"),
        ({"file_name": "bien-ban.pdf", "content_type": "application/pdf"}, "wrong_type"),
        ({"file_name": "video.exe", "content_type": ""}, "wrong_type"),
        ({"file_name": "video.mp4", "content_type": "video/webm"}, "wrong_type"),
        ({"title": " "}, "title_required"),
    ],
)
def test_create_refuses(api_as, alice, meeting, mode, fields, code):
    response = create(api_as(alice), meeting, **fields)

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert RecordingUpload.objects.count() == 0


def test_create_honours_the_size_setting(api_as, alice, meeting, mode, settings):
    settings.RECORDS_MAX_RECORDING_BYTES = 10 * MiB

    response = create(api_as(alice), meeting, size=10 * MiB + 1)

    assert (response.status_code, response.json()["code"]) == (400, "too_large")


@pytest.mark.parametrize(
    ("size", "part_size", "part_count"),
    [
        (1, 8 * MiB, 1),
        (8 * MiB, 8 * MiB, 1),
        (8 * MiB + 1, 8 * MiB, 2),
        (2 * GiB, 8 * MiB, 256),
        (50 * GiB, 8 * MiB, 6400),
        (100 * GiB, 11 * MiB, 9310),
    ],
)
def test_part_plan(size, part_size, part_count):
    assert plan_parts(size) == (part_size, part_count)


def test_parts_missing_are_refused(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload, numbers=[1])

    only_first = complete(api, upload, etags)
    claimed_second = complete(api, upload, {**etags, 2: "0" * 32})

    assert (only_first.status_code, only_first.json()["code"]) == (400, "part_missing")
    assert (claimed_second.status_code, claimed_second.json()["code"]) == (400, "part_missing")
    assert RecordVersion.objects.count() == 0
    assert RecordingUpload.objects.get().status == UploadStatus.OPEN


def test_parts_out_of_order_are_refused(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)

    reversed_order = complete(api, upload, etags, order=[2, 1])
    twice = complete(api, upload, etags, order=[1, 1, 2])

    assert (reversed_order.status_code, reversed_order.json()["code"]) == (
        400,
        "parts_out_of_order",
    )
    assert (twice.status_code, twice.json()["code"]) == (400, "parts_out_of_order")
    assert RecordVersion.objects.count() == 0


def test_wrong_etag_is_refused(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)

    response = complete(api, upload, {**etags, 2: hashlib.md5(b"other").hexdigest()})

    assert (response.status_code, response.json()["code"]) == (400, "wrong_etag")
    assert RecordVersion.objects.count() == 0
    assert complete(api, upload, etags).status_code == 202  # still open: the right list works


def test_wrong_part_size_is_refused(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video(2 * PART + 10)
    upload = create(api, meeting, size=len(payload)).json()
    short = 6 * MiB  # S3 takes a 6 MiB part 1; the app refuses it at once

    if mode == "s3":
        etags = send(api, upload, payload, sizes={1: short})
        response = complete(api, upload, etags)
    else:
        response = api.put(
            upload_url(upload, "parts/1/"), payload[:short], content_type="application/octet-stream"
        )

    assert (response.status_code, response.json()["code"]) == (400, "wrong_size")
    assert RecordVersion.objects.count() == 0


def test_sign_refuses_bad_numbers(api_as, alice, meeting, s3_mode):
    api = api_as(alice)
    upload = create(api, meeting).json()

    out_of_range = api.post(upload_url(upload, "sign/"), {"parts": [3]}, format="json")
    too_many = api.post(upload_url(upload, "sign/"), {"parts": [1] * 1001}, format="json")

    assert (out_of_range.status_code, out_of_range.json()["code"]) == (400, "part_out_of_range")
    assert too_many.status_code == 400


def test_app_mode_has_no_signed_urls(api_as, alice, meeting, settings, tmp_path):
    local_storage(settings, tmp_path)
    settings.VAR_DIR = tmp_path
    api = api_as(alice)
    upload = create(api, meeting).json()

    response = api.post(upload_url(upload, "sign/"), {"parts": [1]}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "wrong_mode")


def test_completing_twice_is_refused(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video(1000)
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    complete(api, upload, etags)

    again = complete(api, upload, etags)

    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")
    assert RecordVersion.objects.count() == 1


# -- Who may ---------------------------------------------------------------------------------


def test_someone_elses_upload_is_not_found(api_as, alice, lan, meeting, mode):
    payload = video(1000)
    upload = create(api_as(alice), meeting, size=len(payload)).json()
    etags = send(api_as(alice), upload, payload)
    other = api_as(lan)

    answers = [
        other.get(upload_url(upload)).status_code,
        other.post(upload_url(upload, "sign/"), {"parts": [1]}, format="json").status_code,
        other.put(
            upload_url(upload, "parts/1/"), payload, content_type="application/octet-stream"
        ).status_code,
        complete(other, upload, etags).status_code,
        other.delete(upload_url(upload)).status_code,
    ]

    assert answers == [404] * 5
    assert RecordingUpload.objects.get().status == UploadStatus.OPEN


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_only_the_secretariat_uploads(api_as, request, meeting, mode, persona):
    response = create(api_as(request.getfixturevalue(persona)), meeting)

    assert response.status_code == 403


def test_anonymous_gets_401(api, meeting, mode):
    assert create(api, meeting).status_code == 401


def test_a_confidential_meeting_i_am_not_invited_to_is_not_found(api_as, alice, lan, mode):
    secret = session(lan, classification=Classification.CONFIDENTIAL)

    response = create(api_as(alice), secret)

    assert response.status_code == 404


# -- Abort and abandoned uploads ------------------------------------------------------------


def test_abort_leaves_nothing(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    send(api, upload, payload, numbers=[1])

    response = api.delete(upload_url(upload))

    row = RecordingUpload.objects.get()
    assert response.status_code == 204
    assert row.status == UploadStatus.ABORTED
    assert nothing_left(row)
    assert RecordVersion.objects.count() == 0
    assert complete(api, upload, {1: "x"}).json()["code"] == "wrong_state"


def test_abandoned_uploads_are_swept_away(api_as, alice, meeting, mode, settings):
    api = api_as(alice)
    payload = video()
    abandoned = create(api, meeting, size=len(payload)).json()
    send(api, abandoned, payload, numbers=[1])
    finished = create(api, meeting, size=1000).json()
    complete(api, finished, send(api, finished, video(1000)))
    orphan_key = f"records/{meeting.uid}/orphan"
    orphan_id = (
        storage_multipart.start_multipart(orphan_key, content_type="video/mp4")
        if mode == "s3"
        else ""
    )
    stray_dir = settings.VAR_DIR / "uploads" / "999999"
    stray_dir.mkdir(parents=True)
    row = RecordingUpload.objects.get(pk=abandoned["id"])

    fresh = abort_abandoned()
    report = abort_abandoned(now=timezone.now() + timedelta(hours=25))

    assert (fresh.sessions_aborted, fresh.orphan_uploads_aborted) == (0, 0)
    assert report.sessions_aborted == 1
    # S3: at least the orphan; earlier tests' open uploads in the shared bucket go too.
    assert (report.orphan_uploads_aborted >= 1) is (mode == "s3")
    assert report.sessions_deleted == 2  # the aborted one and the completed one
    assert RecordingUpload.objects.count() == 0
    assert nothing_left(row)
    assert not stray_dir.exists()
    if mode == "s3":
        assert [
            u for u in storage_multipart.open_multipart_uploads() if u.upload_id == orphan_id
        ] == []
    assert RecordVersion.objects.count() == 1  # the completed recording is untouched


def test_abort_abandoned_uploads_command(api_as, alice, meeting, mode, settings, capsys):
    settings.RECORDS_UPLOAD_ABANDON_HOURS = 1
    upload = create(api_as(alice), meeting).json()
    RecordingUpload.objects.filter(pk=upload["id"]).update(
        updated_at=timezone.now() - timedelta(hours=2)
    )

    call_command("abort_abandoned_uploads")

    assert RecordingUpload.objects.get().status == UploadStatus.ABORTED


# -- Storage outage --------------------------------------------------------------------------


def test_storage_outage_mid_upload_is_503_and_the_upload_resumes(
    api_as, alice, meeting, settings, seaweedfs, tmp_path
):
    settings.VAR_DIR = tmp_path
    s3_storage(settings, seaweedfs)
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload, numbers=[1])
    (port,) = free_ports(1)

    dead_s3_storage(settings, seaweedfs, port)
    status_down = api.get(upload_url(upload))
    complete_down = complete(api, upload, {**etags, 2: "0" * 32})
    abort_down = api.delete(upload_url(upload))
    s3_storage(settings, seaweedfs)
    resumed = api.get(upload_url(upload)).json()
    etags.update(send(api, upload, payload, numbers=[2]))
    completed = complete(api, upload, etags)

    assert [status_down.status_code, complete_down.status_code, abort_down.status_code] == [503] * 3
    assert complete_down.json()["code"] == "storage_unavailable"
    assert [p["number"] for p in resumed["parts"]] == [1]
    assert completed.status_code == 202


def test_storage_outage_when_assembling_in_app_mode_keeps_the_parts(
    api_as, alice, meeting, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    blocked = tmp_path / "not-a-directory"
    blocked.write_bytes(b"")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocked / "media"},
        },
    }
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)

    down = complete(api, upload, etags)
    local_storage(settings, tmp_path)
    up = complete(api, upload, etags)

    assert (down.status_code, down.json()["code"]) == (503, "storage_unavailable")
    assert up.status_code == 202
    version = RecordVersion.objects.get()
    assert b"".join(storage.open_chunks(version.key)) == payload


# -- The verification task, run by the real worker -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_completion_enqueues_the_verification(api_as, mode):
    alice = UserFactory(username="alice", roles=[Role.SECRETARIAT])
    meeting = session(alice)
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    complete(api, upload, send(api, upload, payload))

    run_records_worker()

    version = RecordVersion.objects.get()
    assert version.status == RecordStatus.AVAILABLE
    assert version.sha256 == hashlib.sha256(payload).hexdigest()


# -- Failures while completing, aborting and sweeping ---------------------------------------------


def test_a_database_error_while_recording_leaves_the_upload_open(
    api_as, alice, meeting, mode, monkeypatch
):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    real = archive.add_recording_version

    def failing(**fields):  # the database fails once the object is assembled
        monkeypatch.setattr(archive, "add_recording_version", real)
        raise DatabaseError("connection lost")

    monkeypatch.setattr(archive, "add_recording_version", failing)
    failed = complete(api, upload, etags)  # a JSON 500 (config/api_errors.py), logged
    after_failure = RecordingUpload.objects.get().status
    again = complete(api, upload, etags)

    assert (failed.status_code, failed.json()["code"]) == (500, "server_error")
    assert after_failure == UploadStatus.OPEN
    assert again.status_code == 202, again.content
    version = RecordVersion.objects.get()
    assert b"".join(storage.open_chunks(version.key)) == payload


def test_the_store_forgetting_the_upload_while_completing_is_409_and_leaves_it_open(
    api_as, alice, meeting, s3_mode, monkeypatch
):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    real = storage_multipart.complete_multipart

    def forgotten(key, upload_id, parts):  # the store drops it between checks and assembly
        storage_multipart.abort_multipart(key, upload_id)
        return real(key, upload_id, parts)

    monkeypatch.setattr(storage_multipart, "complete_multipart", forgotten)
    response = complete(api, upload, etags)

    assert (response.status_code, response.json()["code"]) == (409, "upload_missing")
    assert RecordingUpload.objects.get().status == UploadStatus.OPEN
    assert RecordVersion.objects.count() == 0
    assert not storage.exists(RecordingUpload.objects.get().key)


def test_an_assembly_whose_answer_was_lost_goes_on(api_as, alice, meeting, s3_mode, monkeypatch):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    real = storage_multipart.complete_multipart

    def answer_lost(key, upload_id, parts):
        # S3 assembles the object, the answer is lost, the SDK tries again and S3 no
        # longer knows the upload (SeaweedFS answers a repeated completion: simulated).
        real(key, upload_id, parts)
        raise storage.UploadMissing(key)

    monkeypatch.setattr(storage_multipart, "complete_multipart", answer_lost)
    response = complete(api, upload, etags)

    assert response.status_code == 202, response.content
    version = RecordVersion.objects.get()
    assert b"".join(storage.open_chunks(version.key)) == payload
    assert RecordingUpload.objects.get().status == UploadStatus.COMPLETED


def test_an_upload_being_completed_cannot_be_aborted(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    RecordingUpload.objects.update(status=UploadStatus.COMPLETING)  # another request completes

    response = api.delete(upload_url(upload))
    RecordingUpload.objects.update(status=UploadStatus.OPEN)
    completed = complete(api, upload, etags)

    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")
    assert response.json()["detail"]
    assert completed.status_code == 202, completed.content  # nothing was deleted
    assert b"".join(storage.open_chunks(RecordVersion.objects.get().key)) == payload


def test_an_upload_aborted_while_assembling_does_not_become_a_record(
    api_as, alice, meeting, mode, monkeypatch
):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    real = storage.size_of

    def aborted_meanwhile(key):  # the row leaves "completing" behind this completion's back
        RecordingUpload.objects.update(status=UploadStatus.ABORTED)
        return real(key)

    monkeypatch.setattr(storage, "size_of", aborted_meanwhile)
    response = complete(api, upload, etags)

    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")
    assert RecordingUpload.objects.get().status == UploadStatus.ABORTED
    assert RecordVersion.objects.count() == 0


def test_a_stale_completing_upload_is_reopened_by_the_sweep(api_as, alice, meeting, mode):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    RecordingUpload.objects.update(  # the process died while completing it, a day ago
        status=UploadStatus.COMPLETING, updated_at=timezone.now() - timedelta(hours=25)
    )

    report = abort_abandoned()
    completed = complete(api, upload, etags)

    assert (report.sessions_released, report.sessions_aborted) == (1, 0)
    assert completed.status_code == 202, completed.content


def test_overlapping_sends_of_the_same_part_do_not_mix(alice, meeting, settings, tmp_path):
    local_storage(settings, tmp_path)
    settings.VAR_DIR = tmp_path
    payload = video(2 * PART)
    row = recording_uploads.create_upload(
        meeting=meeting,
        user=alice,
        title="Ghi hình",
        file_name="ghi-hình.mp4",
        size=len(payload),
        content_type="video/mp4",
    )
    first = payload[:PART]

    class Retried(io.BytesIO):
        """The first request's body; a retry of the same part arrives while it streams."""

        retried = None

        def read(self, size=-1):
            if self.tell() == upload_parts.RECEIVE_CHUNK and self.retried is None:
                self.retried = receive_part(row, 1, io.BytesIO(first))
            return super().read(size)

    body = Retried(first)
    part = receive_part(row, 1, body)

    etag = hashlib.md5(first).hexdigest()
    assert part.etag == body.retried.etag == etag
    files = sorted(path.name for path in parts_dir(row).iterdir())
    assert files == [f"1-{etag}.part"]
    assert (parts_dir(row) / files[0]).read_bytes() == first


def test_the_sweep_keeps_a_young_part_directory_it_has_no_row_for(
    api_as, alice, meeting, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)
    young = tmp_path / "uploads" / "999998"  # an upload created after the sweep's query
    young.mkdir(parents=True)
    old = tmp_path / "uploads" / "999999"
    old.mkdir()
    a_day_ago = (timezone.now() - timedelta(hours=25)).timestamp()
    os.utime(old, (a_day_ago, a_day_ago))

    report = abort_abandoned()

    assert young.is_dir()
    assert not old.exists()
    assert report.orphan_dirs_removed == 1


def test_resuming_an_upload_the_store_already_assembled_completes_it(
    api_as, alice, meeting, s3_mode
):
    api = api_as(alice)
    payload = video()
    upload = create(api, meeting, size=len(payload)).json()
    etags = send(api, upload, payload)
    row = RecordingUpload.objects.get()
    # S3 assembled the object, but the answer never reached the application.
    storage_multipart.complete_multipart(row.key, row.upload_id, sorted(etags.items()))

    resumed = api.get(upload_url(upload))
    listed = {p["number"]: p["etag"] for p in resumed.json()["parts"]}
    completed = complete(api, upload, listed)

    assert resumed.status_code == 200, resumed.content
    assert sorted(listed) == [1, 2]
    assert completed.status_code == 202, completed.content
    assert b"".join(storage.open_chunks(RecordVersion.objects.get().key)) == payload


def test_resuming_an_upload_the_store_forgot_is_409(api_as, alice, meeting, s3_mode):
    api = api_as(alice)
    upload = create(api, meeting).json()
    row = RecordingUpload.objects.get()
    storage_multipart.abort_multipart(row.key, row.upload_id)

    resumed = api.get(upload_url(upload))
    aborted = api.delete(upload_url(upload))

    assert (resumed.status_code, resumed.json()["code"]) == (409, "upload_missing")
    assert resumed.json()["detail"]
    assert aborted.status_code == 204  # the page then drops it and starts again


class CountedInt(int):
    """A part number that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other):
        CountedInt.comparisons += 1
        return int(self) == other

    __hash__ = int.__hash__


def test_checking_thousands_of_parts_takes_linear_work(meeting, alice):
    count = 2000
    row = RecordingUpload(meeting=meeting, created_by=alice, size=count * PART)
    row.part_size, row.part_count = PART, count
    sent = [(CountedInt(n), "e") for n in range(1, count + 1)]
    stored = [storage.Part(n, PART, "e") for n in range(1, count + 1)]
    CountedInt.comparisons = 0

    recording_uploads._check_parts(row, sent, stored)

    assert CountedInt.comparisons < 10 * count  # a list lookup per part: about count² / 2


def test_a_database_error_is_not_hidden_by_an_outage_when_aborting(
    alice, meeting, settings, seaweedfs, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    s3_storage(settings, seaweedfs)
    (port,) = free_ports(1)

    def failing(**fields):  # the row cannot be saved, and the store goes down meanwhile
        dead_s3_storage(settings, seaweedfs, port)
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(RecordingUpload.objects, "create", failing)
    with pytest.raises(IntegrityError):
        recording_uploads.create_upload(
            meeting=meeting,
            user=alice,
            title="Ghi hình",
            file_name="ghi-hình.mp4",
            size=PART,
            content_type="video/mp4",
        )


def test_the_page_passes_a_translated_generic_error(client_as, alice, meeting):
    page = client_as(alice).get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}))

    assert b'data-text-http="' in page.content
