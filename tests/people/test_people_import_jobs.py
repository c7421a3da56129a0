"""The people import page and its background job: upload, progress, result, the refused
rows, invitations e-mailed only after commit, and who may follow which job."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from conferencing.import_runs import ProgressRecorder
from conferencing.models import ImportJobStatus
from people import import_jobs
from people.import_runs import run_job
from people.models import PeopleImportJob
from tests.people.conftest import csv_of
from tests.worker import run_worker

User = get_user_model()
IMPORT_URL = "/people/import/"
TWO = csv_of(
    "Nguyễn Thị Lan,lan@hanoi.gov.vn,0912345678,lan,Technician,VP-HN,X0101",
    "Trần Văn Hùng,hung@hanoi.gov.vn,,,Secretariat,,",
)
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, content: bytes, *, skip_invalid: bool = False, name: str = "people.csv"):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if skip_invalid:
        data["skip_invalid"] = "on"
    return client.post(IMPORT_URL, data)


@transactional
def test_an_upload_is_imported_and_invitations_are_emailed_after_commit(
    client_as, hana, mailoutbox
):
    response = upload(client_as(hana), TWO.encode())
    job = PeopleImportJob.objects.get()
    assert response["Location"] == f"/people/import/{job.pk}/"

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.written, job.office.code) == (ImportJobStatus.DONE, True, "VP-HN")
    assert (job.total_rows, job.processed_rows, job.created_count) == (2, 2, 2)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "hung@hanoi.gov.vn",
        "lan@hanoi.gov.vn",
    ]
    lan = User.objects.get(username="lan")
    assert lan.invitations.count() == 1


@transactional
def test_nothing_written_means_no_invitation(client_as, hana, mailoutbox):
    upload(client_as(hana), (TWO + "Bad,bad-address,,,,,\n").encode())

    run_worker()

    job = PeopleImportJob.objects.get()
    assert (job.status, job.written, job.invalid_count) == (ImportJobStatus.DONE, False, 1)
    assert mailoutbox == []
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "people.import_tasks.run_people_import"
    ]


def test_invitations_are_queued_only_when_the_import_commits(
    run_import, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = run_import(TWO)
        # Inside the import's transaction nothing is queued yet.
        assert DBTaskResult.objects.count() == 0

    assert report.written is True
    assert len(callbacks) == 1
    callbacks[0]()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "people.tasks.send_invitations"
    assert queued.args_kwargs["args"][0] == sorted(report.created_ids)


def test_an_unchanged_re_import_invites_no_one(run_import, django_capture_on_commit_callbacks):
    run_import(TWO)

    with django_capture_on_commit_callbacks() as callbacks:
        report = run_import(TWO)

    assert (report.unchanged, callbacks) == (2, [])


def test_the_job_page_shows_a_progress_bar_that_polls_its_status(client_as, hana, hanoi):
    job = import_jobs.create_job(
        user=hana, data=TWO.encode(), file_name="people.csv", skip_invalid=False, office=hanoi
    )
    client = client_as(hana)

    page = client.get(f"/people/import/{job.pk}/").content.decode()
    queued = client.get(f"/people/import/{job.pk}/status.json").json()

    assert f'data-status-url="/people/import/{job.pk}/status.json"' in page
    assert 'id="import-progress"' in page and "js/import_progress.js" in page
    assert (queued["status"], queued["finished"], queued["total_rows"]) == ("queued", False, 0)


def test_progress_is_written_while_the_job_runs(hana, hanoi, monkeypatch):
    job = import_jobs.create_job(
        user=hana, data=TWO.encode(), file_name="people.csv", skip_invalid=False, office=hanoi
    )
    stored = []
    write = ProgressRecorder.write

    def write_and_look(recorder, processed, total):
        write(recorder, processed, total)
        stored.append(
            PeopleImportJob.objects.values_list("processed_rows", "total_rows").get(pk=job.pk)
        )

    monkeypatch.setattr(ProgressRecorder, "write", write_and_look)

    run_job(job.pk)

    assert stored[0] == (0, 2)
    assert stored[-1] == (2, 2)


def test_the_finished_job_page_shows_counts_and_refused_rows(client_as, hana, hanoi, english):
    job = import_jobs.create_job(
        user=hana,
        data=(TWO + "Bad,bad-address,,,,,\n").encode(),
        file_name="people.csv",
        skip_invalid=True,
        office=hanoi,
    )
    run_job(job.pk)
    client = client_as(hana)

    page = client.get(f"/people/import/{job.pk}/").content.decode()
    status = client.get(f"/people/import/{job.pk}/status.json").json()
    download = client.get(f"/people/import/{job.pk}/rejected.csv")

    assert '<dd id="count-created">2</dd>' in page
    assert '<dd id="count-invalid">1</dd>' in page
    # Worded in the uploader's language (Vietnamese here), whatever the reader's.
    assert "“bad-address” không phải là địa chỉ thư điện tử hợp lệ." in page
    assert f'href="/people/import/{job.pk}/rejected.csv"' in page
    assert (status["finished"], status["percent"], status["invalid"]) == (True, 100, 1)
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "bad-address" in download.content.decode()


def test_the_import_page_offers_the_upload_form(client_as, hana):
    page = client_as(hana).get(IMPORT_URL)

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()


@override_settings(PEOPLE_IMPORT_MAX_BYTES=1024)
def test_an_upload_over_the_limit_is_refused_before_it_is_stored(client_as, hana, english):
    response = upload(client_as(hana), TWO.encode() + b"x" * 1024)

    assert response.status_code == 200
    assert "the largest accepted is 1.0\xa0KB" in response.content.decode()
    assert PeopleImportJob.objects.count() == 0


def test_another_offices_job_answers_as_a_missing_one(client_as, hana, hanoi, olga):
    job = import_jobs.create_job(
        user=hana, data=TWO.encode(), file_name="people.csv", skip_invalid=False, office=hanoi
    )
    client = client_as(olga)

    for suffix in ("", "status.json", "rejected.csv"):
        assert client.get(f"/people/import/{job.pk}/{suffix}").status_code == 404
        assert client.get(f"/people/import/999999/{suffix}").status_code == 404


def test_people_without_an_office_to_manage_are_refused(client_as, bob, carol):
    assert client_as(bob).get(IMPORT_URL).status_code == 403
    assert client_as(carol).post(IMPORT_URL).status_code == 403
