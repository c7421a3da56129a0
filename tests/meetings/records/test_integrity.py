"""verify_records finds tampered, truncated and missing files, on local disk and on real
S3; purge_records removes expired files, keeps the rows, respects legal hold, audits."""

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from audit.models import AuditEntry
from meetings.records import storage
from meetings.records.models import RecordKind, RecordStatus, RecordVersion
from tests.factories import RecordFactory, stored_version
from tests.meetings.records.helpers import PDF, local_storage, s3_storage, session

BASE_DIR = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def english():
    """The commands report in the active language; these tests read the English report
    (tests/meetings/records/test_commands_vi.py reads the Vietnamese one)."""
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(alice):
    return session(alice)


@pytest.fixture
def local(settings, tmp_path) -> Path:
    local_storage(settings, tmp_path)
    return tmp_path / "media"


@pytest.fixture
def s3(settings, seaweedfs):
    s3_storage(settings, seaweedfs)
    return seaweedfs


def document(meeting, alice, content=PDF, **fields):
    return stored_version(
        content, record=RecordFactory(meeting=meeting), uploaded_by=alice, **fields
    )


def verify(**options) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_records", stdout=out, stderr=err, **options)
    except CommandError:
        return out.getvalue(), err.getvalue(), 1
    return out.getvalue(), err.getvalue(), 0


# --- verify_records ------------------------------------------------------------------------------


def test_intact_files_pass(local, meeting, alice):
    document(meeting, alice)
    document(meeting, alice)

    out, err, status = verify()

    assert (status, err) == (0, "")
    assert "2 record files checked, 0 problems." in out


def test_a_tampered_file_on_local_disk_is_reported(local, meeting, alice):
    version = document(meeting, alice)
    path = local / version.key
    path.write_bytes(PDF.replace(b"1.7", b"1.6"))  # same size, other bytes

    _out, err, status = verify()

    assert status == 1
    assert f"SHA-256 MISMATCH version {version.pk}" in err


def test_a_truncated_file_is_reported_with_both_sizes(local, meeting, alice):
    version = document(meeting, alice)
    (local / version.key).write_bytes(PDF[:10])

    _out, err, status = verify()

    assert status == 1
    assert f"expected {len(PDF)} bytes, found 10" in err


def test_a_missing_file_is_reported(local, meeting, alice):
    version = document(meeting, alice)
    (local / version.key).unlink()

    _out, err, status = verify()

    assert status == 1
    assert f"MISSING version {version.pk}" in err


def test_every_problem_is_reported_not_only_the_first(local, meeting, alice):
    first, second = document(meeting, alice), document(meeting, alice)
    document(meeting, alice)
    (local / first.key).unlink()
    (local / second.key).unlink()

    out, err, status = verify()

    assert status == 1
    assert "3 record files checked, 2 problems." in out
    assert len(err.strip().splitlines()) == 2


def test_verify_can_be_limited_to_one_meeting(local, meeting, alice):
    other = session(alice)
    version = document(other, alice)
    (local / version.key).unlink()
    document(meeting, alice)

    _out, _err, status = verify(meeting=meeting.pk)

    assert status == 0


def test_purged_versions_are_not_verified(local, meeting, alice):
    document(meeting, alice, status=RecordStatus.PURGED)

    out, _err, status = verify()

    assert (status, "0 record files checked" in out) == (0, True)


def test_a_tampered_object_on_s3_is_reported(s3, meeting, alice):
    version = document(meeting, alice)
    s3.client().put_object(Bucket=s3.bucket, Key=version.key, Body=PDF.replace(b"%%EOF", b"%%EOX"))

    _out, err, status = verify()

    assert status == 1
    assert f"SHA-256 MISMATCH version {version.pk}" in err


def test_a_missing_object_on_s3_is_reported(s3, meeting, alice):
    version = document(meeting, alice)
    s3.client().delete_object(Bucket=s3.bucket, Key=version.key)

    _out, err, status = verify()

    assert (status, f"MISSING version {version.pk}" in err) == (1, True)


def test_intact_objects_on_s3_pass(s3, meeting, alice):
    document(meeting, alice)

    _out, err, status = verify()

    assert (status, err) == (0, "")


# --- purge_records -------------------------------------------------------------------------------


def aged(version, days: int):
    RecordVersion.objects.filter(pk=version.pk).update(
        uploaded_at=timezone.now() - timedelta(days=days)
    )
    return version


def purge(**options) -> str:
    out = StringIO()
    call_command("purge_records", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def retention(settings):
    settings.RECORDS_RETENTION_DAYS = {
        "agenda": 30,
        "minutes": None,
        "recording": 10,
        "other": 30,
    }


def test_an_expired_version_is_purged_and_its_row_kept(local, retention, meeting, alice):
    version = aged(document(meeting, alice), days=31)

    out = purge()

    version.refresh_from_db()
    assert version.status == RecordStatus.PURGED
    assert version.purged_at is not None
    assert not storage.exists(version.key)
    assert "1 versions purged, 0 failed." in out
    entry = AuditEntry.objects.get(action="record.purged")
    assert (entry.target_id, entry.changes["previous_status"], entry.changes["retention_days"]) == (
        str(version.pk),
        "available",
        30,
    )


def test_a_recording_that_failed_verification_is_purged_whatever_its_retention(
    local, retention, meeting, alice
):
    version = stored_version(
        b"not a video",
        record=RecordFactory(meeting=meeting, kind=RecordKind.RECORDING),
        status=RecordStatus.FAILED,
        uploaded_by=alice,
    )

    out = purge()

    version.refresh_from_db()
    assert version.status == RecordStatus.PURGED
    assert not storage.exists(version.key)
    assert "1 versions purged, 0 failed." in out
    entry = AuditEntry.objects.get(action="record.purged")
    assert entry.changes["previous_status"] == "failed"


def test_a_version_within_its_retention_stays(local, retention, meeting, alice):
    version = aged(document(meeting, alice), days=29)

    purge()

    version.refresh_from_db()
    assert version.status == RecordStatus.AVAILABLE
    assert storage.exists(version.key)


def test_a_record_under_legal_hold_is_never_purged(local, retention, meeting, alice):
    version = aged(document(meeting, alice), days=400)
    version.record.legal_hold = True
    version.record.save()

    purge()

    version.refresh_from_db()
    assert version.status == RecordStatus.AVAILABLE
    assert storage.exists(version.key)
    assert AuditEntry.objects.filter(action="record.purged").count() == 0


def test_a_kind_kept_for_ever_is_not_purged(local, retention, meeting, alice):
    version = aged(
        stored_version(
            PDF,
            record=RecordFactory(meeting=meeting, kind=RecordKind.MINUTES),
            uploaded_by=alice,
            status=RecordStatus.PUBLISHED,
        ),
        days=10_000,
    )

    purge()

    version.refresh_from_db()
    assert version.status == RecordStatus.PUBLISHED


def test_retention_is_per_kind(local, retention, meeting, alice):
    recording = aged(
        stored_version(
            PDF, record=RecordFactory(meeting=meeting, kind=RecordKind.RECORDING), uploaded_by=alice
        ),
        days=11,
    )
    agenda = aged(document(meeting, alice), days=11)

    purge()

    recording.refresh_from_db()
    agenda.refresh_from_db()
    assert (recording.status, agenda.status) == ("purged", "available")


def test_a_dry_run_changes_nothing(local, retention, meeting, alice):
    version = aged(document(meeting, alice), days=31)

    out = purge(dry_run=True)

    version.refresh_from_db()
    assert version.status == RecordStatus.AVAILABLE
    assert "would purge" in out


def test_purge_on_s3_deletes_the_object(s3, retention, meeting, alice):
    version = aged(document(meeting, alice), days=31)

    purge()

    assert not storage.exists(version.key)


def test_a_purged_version_is_no_longer_downloadable(local, retention, meeting, alice, client_as):
    version = aged(document(meeting, alice), days=31)
    purge()

    response = client_as(alice).get(f"/meetings/{meeting.pk}/records/versions/{version.pk}/file/")

    assert response.status_code == 404


# --- retention settings --------------------------------------------------------------------------


def settings_value(**variables: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RECORDS_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(variables, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="true")
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.RECORDS_RETENTION_DAYS)"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return result.stdout.strip() or result.stderr


def test_retention_defaults_keep_minutes_for_ever():
    assert settings_value() == (
        "{'agenda': 3650, 'minutes': None, 'recording': 1825, 'other': 3650}"
    )


def test_retention_is_overridden_per_kind_from_the_environment():
    value = settings_value(
        RECORDS_RETENTION_DAYS_RECORDING="30", RECORDS_RETENTION_DAYS_MINUTES="7300"
    )

    assert value == "{'agenda': 3650, 'minutes': 7300, 'recording': 30, 'other': 3650}"


def test_a_bad_retention_value_stops_the_start():
    assert "RECORDS_RETENTION_DAYS_AGENDA" in settings_value(RECORDS_RETENTION_DAYS_AGENDA="x")
