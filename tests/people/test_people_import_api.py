"""The people import through the API: POST /api/v1/people/imports/ (multipart), then
GET /api/v1/people/imports/{id}/ until finished; its OpenAPI schema."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from accounts.roles import Role
from people import api_tokens
from people.import_runs import run_job
from people.models import PeopleImportJob
from tests.factories import UserFactory
from tests.people.conftest import csv_of
from tests.problems import field_errors, members

User = get_user_model()
URL = "/api/v1/people/imports/"
TWO = csv_of(
    "Nguyễn Thị Lan,lan@hanoi.gov.vn,0912345678,lan,Technician,,X0101",
    "Bad,bad-address,,,,,",
)


def post(client, content: bytes, **fields):
    upload = io.BytesIO(content)
    upload.name = "people.csv"
    return client.post(URL, {"file": upload, **fields}, format="multipart")


def test_an_upload_is_queued_then_followed_to_its_result(api_as, hana):
    client = api_as(hana)

    created = post(client, TWO.encode(), skip_invalid="true")

    assert created.status_code == 202
    job = PeopleImportJob.objects.get()
    assert created.json()["id"] == job.pk
    assert (created.json()["status"], created.json()["finished"]) == ("queued", False)
    assert (job.skip_invalid, job.office.code) == (True, "VP-HN")
    run_job(job.pk)
    followed = client.get(f"{URL}{job.pk}/").json()
    assert {key: followed[key] for key in ("status", "created", "invalid", "written")} == {
        "status": "done",
        "created": 1,
        "invalid": 1,
        "written": True,
    }
    assert followed["errors"] == [
        {
            "line": 3,
            "code": "email_invalid",
            "message": "“bad-address” is not a valid e-mail address.",
        }
    ]


def test_a_token_acts_for_its_office(api, hana, hanoi):
    made = api_tokens.create(hana, name="Nhập danh sách", scope="read_write", office_id=hanoi.pk)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    response = post(api, TWO.encode())

    assert response.status_code == 202
    assert PeopleImportJob.objects.get().office == hanoi


def test_no_file_is_a_400(api_as, hana):
    response = api_as(hana).post(URL, {}, format="multipart")

    assert response.status_code == 400
    assert list(field_errors(response)) == ["file"]


@override_settings(PEOPLE_IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_a_400_and_nothing_is_stored(api_as, hana):
    response = post(api_as(hana), b"x" * 2048)

    assert response.status_code == 400
    assert field_errors(response)["file"] == [
        "The file is 2.0\xa0KB; the largest accepted is 1.0\xa0KB."
    ]
    assert PeopleImportJob.objects.count() == 0


def test_another_offices_job_is_a_404_like_a_missing_one(api_as, hana, olga):
    post(api_as(hana), TWO.encode())
    job = PeopleImportJob.objects.get()

    client = api_as(olga)

    assert members(client.get(f"{URL}{job.pk}/")) == members(client.get(f"{URL}999999/"))
    assert client.get(f"{URL}{job.pk}/").status_code == 404


def test_only_people_managers_may_import(api, api_as, db):
    technician = UserFactory(username="tech", roles=[Role.TECHNICIAN])

    assert post(api, TWO.encode()).status_code == 401
    assert post(api_as(technician), TWO.encode()).status_code == 403


def test_the_schema_documents_both_operations(api_as, hana, tmp_path):
    schema = api_as(hana).get("/api/v1/schema/", {"format": "json"}).json()

    upload = schema["paths"]["/api/v1/people/imports/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert sorted(upload["responses"]) == ["202", "400", "401", "403", "409", "415", "422"]
    # 400: an unknown query parameter (httpapi.query_parameters).
    assert sorted(schema["paths"]["/api/v1/people/imports/{id}/"]["get"]["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
    ]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
