"""The site import through the API: POST /api/v1/endpoints/imports/ (multipart), answered
202 with the job's Location, then GET /api/v1/endpoints/imports/{id}/ until finished."""

import io

import pytest
from django.core.management import call_command

from accounts.roles import Role
from conferencing import forms
from conferencing.import_runs import run_job
from conferencing.models import Endpoint, EndpointImportJob
from people import api_tokens
from tests.factories import UserFactory, site_tree
from tests.problems import field_errors, members

URL = "/api/v1/endpoints/imports/"
HEADER = "code,name,level,parent_code,organisation,dial_string\n"
# Under TW, the root of alice's office (the central one); the third row's level is wrong.
TWO_AND_A_BAD_ONE = HEADER + (
    "HN,Hà Nội,province,TW,UBND thành phố Hà Nội,sip:hanoi@vc.example.vn\n"
    "HN-BD,Ba Đình,district,HN,,\n"
    "BAD,Bad site,galaxy,,,\n"
)


@pytest.fixture
def sites(db):
    """The tree hanoi's jurisdiction (T01) hangs in."""
    return site_tree(provinces=2, communes=1)


def post(client, content: bytes, **fields):
    upload = io.BytesIO(content)
    upload.name = "sites.csv"
    return client.post(URL, {"file": upload, **fields}, format="multipart")


def test_an_upload_is_queued_at_its_location_then_followed_to_its_result(api_as, alice):
    client = api_as(alice)

    created = post(client, TWO_AND_A_BAD_ONE.encode(), skip_invalid="true")

    assert created.status_code == 202
    job = EndpointImportJob.objects.get()
    assert created["Location"] == f"{URL}{job.pk}/"
    assert (created.json()["id"], created.json()["status"]) == (job.pk, "queued")
    assert (job.skip_invalid, job.office.code) == (True, "VPCP")
    run_job(job.pk)
    followed = client.get(created["Location"])
    assert followed.status_code == 200
    body = followed.json()
    assert {key: body[key] for key in ("status", "finished", "created", "skipped", "written")} == {
        "status": "done",
        "finished": True,
        "created": 2,
        "skipped": 1,
        "written": True,
    }
    assert [(error["line"], error["code"]) for error in body["errors"]] == [(4, "level_invalid")]
    assert body["error_count"] == 1
    assert sorted(Endpoint.objects.values_list("code", flat=True)) == ["HN", "HN-BD", "TW"]


def test_without_skip_invalid_a_bad_row_writes_nothing(api_as, alice):
    client = api_as(alice)

    created = post(client, TWO_AND_A_BAD_ONE.encode())
    run_job(created.json()["id"])

    body = client.get(created["Location"]).json()
    assert (body["written"], body["created"]) == (False, 0)
    assert list(Endpoint.objects.values_list("code", flat=True)) == ["TW"]


def test_a_token_acts_for_its_office(api, hana, hanoi):
    made = api_tokens.create(hana, name="Nhập điểm cầu", scope="read_write", office_id=hanoi.pk)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {made.key}")

    response = post(api, TWO_AND_A_BAD_ONE.encode())

    assert response.status_code == 202
    assert EndpointImportJob.objects.get().office == hanoi


def test_no_file_is_a_400(api_as, alice):
    response = api_as(alice).post(URL, {}, format="multipart")

    assert response.status_code == 400
    assert list(field_errors(response)) == ["file"]
    assert EndpointImportJob.objects.count() == 0


def test_a_json_body_is_a_415(api_as, alice):
    response = api_as(alice).post(URL, {"file": "TW"}, format="json")

    assert response.status_code == 415


def test_a_file_over_the_limit_is_a_400_and_nothing_is_stored(api_as, alice, monkeypatch):
    monkeypatch.setattr(forms.directory, "MAX_IMPORT_BYTES", 1024)

    response = post(api_as(alice), b"x" * 2048)

    assert response.status_code == 400
    assert field_errors(response)["file"] == [
        "The file is 2.0\xa0KB; the largest accepted is 1.0\xa0KB."
    ]
    assert EndpointImportJob.objects.count() == 0


def test_another_offices_job_is_a_404_like_a_missing_one(api_as, alice, hana):
    post(api_as(alice), TWO_AND_A_BAD_ONE.encode())
    job = EndpointImportJob.objects.get()

    client = api_as(hana)

    theirs, missing = client.get(f"{URL}{job.pk}/"), client.get(f"{URL}999999/")

    assert theirs.status_code == 404
    assert members(theirs) == members(missing)


def test_only_who_may_open_the_import_page_may_import(api, api_as, db):
    technician = UserFactory(username="tech", roles=[Role.TECHNICIAN])

    assert post(api, TWO_AND_A_BAD_ONE.encode()).status_code == 401
    assert post(api_as(technician), TWO_AND_A_BAD_ONE.encode()).status_code == 403
    assert api_as(technician).get(f"{URL}1/").status_code == 403


def test_the_schema_documents_both_operations(api_as, alice, tmp_path):
    schema = api_as(alice).get("/api/v1/schema/", {"format": "json"}).json()

    upload = schema["paths"]["/api/v1/endpoints/imports/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    # 401, 403 and 415 too: every operation documents the errors it can answer.
    assert sorted(upload["responses"]) == ["202", "400", "401", "403", "415"]
    assert sorted(schema["paths"]["/api/v1/endpoints/imports/{id}/"]["get"]["responses"]) == [
        "200",
        "400",
        "401",
        "403",
        "404",
    ]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
