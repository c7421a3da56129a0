"""CSV import jobs end to end: upload through the view, the real database worker, the outcome."""

import signal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from conferencing import import_runs
from conferencing.import_jobs import create_job
from conferencing.import_runs import ProgressRecorder, run_job
from conferencing.models import Endpoint, EndpointImportJob, ImportJobStatus, Level
from tests.factories import EndpointFactory, UserFactory, central_office

IMPORT_URL = "/endpoints/import/"
HEADER = "code,name,level,parent_code,organisation,dial_string\n"
# Under TW, the root of alice's office (the central one): an import stays in its jurisdiction.
TWO_SITES = HEADER + (
    "HN,Hà Nội,province,TW,UBND thành phố Hà Nội,sip:hanoi@vc.example.vn\n"
    "HN-BD,Ba Đình,district,HN,,\n"
)
WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def run_worker() -> None:
    """Run the database task worker until the queue is empty, as deployed, but in-process.

    The worker installs its own signal handlers; they are put back afterwards so
    Ctrl+C still stops the test run.
    """
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def upload(client, content: bytes, *, skip_invalid: bool = False, name: str = "sites.csv"):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if skip_invalid:
        data["skip_invalid"] = "on"
    return client.post(IMPORT_URL, data)


@transactional
def test_upload_is_imported_by_the_worker(client_as, alice):
    response = upload(client_as(alice), TWO_SITES.encode())
    run_worker()

    job = EndpointImportJob.objects.get()
    assert response["Location"] == f"/endpoints/import/{job.pk}/"
    assert job.status == ImportJobStatus.DONE
    assert (job.total_rows, job.processed_rows) == (2, 2)
    assert (job.created_count, job.updated_count, job.unchanged_count, job.skipped_count) == (
        2,
        0,
        0,
        0,
    )
    assert (job.written, job.errors) == (True, [])
    assert job.started_at is not None
    assert job.finished_at is not None
    assert list(Endpoint.objects.values_list("code", "path", "level")) == [
        ("TW", "/TW/", Level.CENTRAL),
        ("HN", "/TW/HN/", Level.PROVINCE),
        ("HN-BD", "/TW/HN/HN-BD/", Level.DISTRICT),
    ]
    assert list(DBTaskResult.objects.values_list("status", "args_kwargs")) == [
        ("SUCCESSFUL", {"args": [job.pk], "kwargs": {}})
    ]


@transactional
def test_upload_finished_job_page_and_status_show_result(client_as, alice, english):
    client = client_as(alice)
    upload(client, TWO_SITES.encode())
    run_worker()
    job = EndpointImportJob.objects.get()

    page = client.get(f"/endpoints/import/{job.pk}/")
    status = client.get(f"/endpoints/import/{job.pk}/status.json")

    assert '<dd id="count-created">2</dd>' in page.content.decode()
    assert "The sites were saved." in page.content.decode()
    assert (status.json()["finished"], status.json()["percent"]) == (True, 100)


@transactional
def test_upload_with_byte_order_mark_is_imported(client_as, alice):
    upload(client_as(alice), b"\xef\xbb\xbf" + TWO_SITES.encode())
    run_worker()

    job = EndpointImportJob.objects.get()
    assert (job.status, job.created_count, job.errors) == (ImportJobStatus.DONE, 2, [])


@transactional
def test_upload_non_utf8_ends_with_encoding_error(client_as, alice, english):
    upload(client_as(alice), TWO_SITES.encode("cp1258", errors="replace"))
    run_worker()

    job = EndpointImportJob.objects.get()
    assert job.language == "en"
    assert (job.status, job.written) == (ImportJobStatus.DONE, False)
    assert job.errors == [
        {
            "line": 2,
            "code": "encoding",
            "message": "This line is not UTF-8 text. Save the file as “CSV UTF-8” "
            "and import it again.",
        }
    ]
    assert list(Endpoint.objects.values_list("code", flat=True)) == ["TW"]


@transactional
def test_upload_with_invalid_row_changes_nothing(client_as, alice):
    content = TWO_SITES + "BAD,Bad site,galaxy,,,\n"

    upload(client_as(alice), content.encode())
    run_worker()

    job = EndpointImportJob.objects.get()
    assert (job.status, job.written, job.created_count) == (ImportJobStatus.DONE, False, 0)
    assert [(error["line"], error["code"]) for error in job.errors] == [(4, "level_invalid")]
    assert list(Endpoint.objects.values_list("code", flat=True)) == ["TW"]


@transactional
def test_upload_with_invalid_row_skipped_imports_the_rest(client_as, alice):
    content = TWO_SITES + "BAD,Bad site,galaxy,,,\n"

    upload(client_as(alice), content.encode(), skip_invalid=True)
    run_worker()

    job = EndpointImportJob.objects.get()
    assert (job.status, job.written) == (ImportJobStatus.DONE, True)
    assert (job.created_count, job.skipped_count) == (2, 1)
    assert [(error["line"], error["code"]) for error in job.errors] == [(4, "level_invalid")]
    assert sorted(Endpoint.objects.values_list("code", flat=True)) == ["HN", "HN-BD", "TW"]


@transactional
def test_export_then_import_leaves_sites_unchanged(client_as, alice):
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    province = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HN-BD", name="Ba Đình", level=Level.DISTRICT, parent=province)
    client = client_as(alice)
    exported = client.get("/endpoints/export.csv").content

    upload(client, exported, name="giaoban-sites.csv")
    run_worker()

    job = EndpointImportJob.objects.get()
    assert exported.startswith(b"\xef\xbb\xbf")
    assert (job.status, job.written, job.errors) == (ImportJobStatus.DONE, True, [])
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 3)


# --- the domain functions ------------------------------------------------------------------------


def test_create_job_enqueues_only_after_commit(alice, django_capture_on_commit_callbacks):
    file = SimpleUploadedFile("sites.csv", TWO_SITES.encode())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = create_job(user=alice, upload=file, skip_invalid=False, office=central_office())
        queued_before_commit = DBTaskResult.objects.count()

    assert queued_before_commit == 0
    assert len(callbacks) == 1
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("conferencing.tasks.run_endpoint_import", {"args": [job.pk], "kwargs": {}})
    ]


def test_run_job_twice_runs_once(alice):
    job = create_job(
        user=alice,
        upload=SimpleUploadedFile("s.csv", TWO_SITES.encode()),
        skip_invalid=False,
        office=central_office(),
    )

    first = run_job(job.pk)
    second = run_job(job.pk)

    assert first.status == ImportJobStatus.DONE
    assert second is None
    assert Endpoint.objects.count() == 3


def test_run_job_unexpected_error_marks_job_failed(alice, monkeypatch):
    job = create_job(
        user=alice,
        upload=SimpleUploadedFile("s.csv", TWO_SITES.encode()),
        skip_invalid=False,
        office=central_office(),
    )

    def broken_import(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_runs, "import_endpoints", broken_import)

    with pytest.raises(RuntimeError):
        run_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert [error["code"] for error in job.errors] == ["internal_error"]
    assert job.finished_at is not None


def test_progress_recorder_writes_first_and_last_call_when_throttled(alice):
    job = EndpointImportJob.objects.create(created_by=alice, file_name="s.csv", data=b"")
    progress = ProgressRecorder(job.pk, interval=3600)

    progress(0, 10)
    progress(5, 10)
    job.refresh_from_db()
    midway = (job.processed_rows, job.total_rows)
    progress(10, 10)
    progress.close()
    job.refresh_from_db()

    assert midway == (0, 10)
    assert (job.processed_rows, job.total_rows) == (10, 10)


class Rollback(Exception):
    pass


@transactional
def test_progress_recorder_inside_import_transaction_is_seen_before_commit(alice):
    job = EndpointImportJob.objects.create(created_by=alice, file_name="s.csv", data=b"")
    progress = ProgressRecorder(job.pk)

    with pytest.raises(Rollback), transaction.atomic():
        progress(5, 10)
        raise Rollback
    progress.close()

    job.refresh_from_db()
    # PostgreSQL: written through a second connection, so it outlives the rollback.
    # SQLite: one writer at a time, so it shares the import's transaction.
    seen = (5, 10) if connection.vendor == "postgresql" else (0, 0)
    assert (job.processed_rows, job.total_rows) == seen


# --- the worker applies the job's scope ------------------------------------------------------


def queued(user, content: str, office=None) -> EndpointImportJob:
    return create_job(
        user=user,
        upload=SimpleUploadedFile("s.csv", content.encode()),
        skip_invalid=False,
        office=office,
    )


def test_run_job_refuses_rows_outside_the_jobs_office(alice):
    job = queued(alice, HEADER + "HN,Hà Nội,province,,,\n", office=central_office())

    done = run_job(job.pk)

    assert (done.written, [error["code"] for error in done.errors]) == (
        False,
        ["outside_jurisdiction"],
    )
    assert list(Endpoint.objects.values_list("code", flat=True)) == ["TW"]


def test_run_job_of_a_secretary_without_office_writes_nowhere(alice):
    job = queued(alice, TWO_SITES, office=None)

    done = run_job(job.pk)

    assert [error["code"] for error in done.errors] == ["outside_jurisdiction"] * 2
    assert Endpoint.objects.count() == 1


def test_run_job_of_a_secretary_who_left_the_office_writes_nowhere(alice):
    job = queued(alice, TWO_SITES, office=central_office())
    central_office().members.remove(alice)

    done = run_job(job.pk)

    assert done.written is False
    assert Endpoint.objects.count() == 1


def test_run_job_of_the_superuser_writes_anywhere(db):
    root = UserFactory(username="root", is_superuser=True)
    job = queued(root, HEADER + "HN,Hà Nội,province,,,\n")

    done = run_job(job.pk)

    assert (done.written, done.created_count) == (True, 1)
