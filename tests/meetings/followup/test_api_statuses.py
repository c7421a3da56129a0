"""Every status the tasks API documents, asked of each operation."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.followup import actions
from meetings.records import storage

STEPS = ("reports/", "extension-requests/", "decisions/")


def bodies(task) -> dict[str, dict]:
    return {
        "reports/": {"kind": "completion"},
        "extension-requests/": {
            "new_deadline": (task.deadline_on + timedelta(days=3)).isoformat(),
            "reason": "Chờ",
        },
        "decisions/": {"about": "completion", "accept": True},
    }


def deciders(task, hana, alice) -> dict[str, object]:
    return {"reports/": hana, "extension-requests/": hana, "decisions/": alice}


@pytest.mark.parametrize("tail", ["", "events/1/"])
def test_reads_refuse_strangers_and_other_roles(api, api_as, task, carol, tail):
    path = f"/api/v1/tasks/{task.pk}/{tail}"

    assert api.get(path).status_code == 401
    assert api_as(carol).get(path).status_code == 403


@pytest.mark.parametrize("step", STEPS)
def test_each_step_refuses_strangers_roles_and_offices(api, api_as, task, carol, tung, step):
    path = f"/api/v1/tasks/{task.pk}/{step}"
    body = bodies(task)[step]

    assert api.post(path, body, format="json").status_code == 401
    assert api_as(carol).post(path, body, format="json").status_code == 403
    assert api_as(tung).post(path, body, format="json").status_code == 404


@pytest.mark.parametrize("step", STEPS)
def test_each_step_refuses_bad_bodies_and_media(api_as, task, hana, alice, step):
    client = api_as(deciders(task, hana, alice)[step])
    path = f"/api/v1/tasks/{task.pk}/{step}"

    assert client.post(path, {"x": 1}, format="json").status_code == 400
    assert client.post(path, "<a/>", content_type="application/xml").status_code == 415


@pytest.mark.parametrize("step", STEPS)
def test_each_step_answers_409_on_a_done_task(api_as, task, hana, alice, step):
    actions.report_completion(hana, task)
    actions.decide_completion(alice, task, accept=True)
    client = api_as(deciders(task, hana, alice)[step])

    response = client.post(f"/api/v1/tasks/{task.pk}/{step}", bodies(task)[step], format="json")

    assert response.status_code == 409


@pytest.mark.parametrize("step", STEPS)
def test_a_key_used_for_another_body_is_422(api_as, task, hana, alice, step):
    client = api_as(deciders(task, hana, alice)[step])
    path = f"/api/v1/tasks/{task.pk}/{step}"
    if step == "decisions/":
        actions.report_completion(hana, task)
        first_body, second_body = (
            {"about": "completion", "accept": True},
            {"about": "completion", "accept": False, "reason": "x"},
        )
    elif step == "reports/":
        first_body, second_body = (
            {"kind": "progress", "percent": 1},
            {"kind": "progress", "percent": 2},
        )
    else:
        first_body = bodies(task)[step]
        second_body = {**first_body, "reason": "Khác"}

    first = client.post(path, first_body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    second = client.post(path, second_body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert (first.status_code, second.status_code) == (201, 422)


def test_a_report_whose_evidence_cannot_be_stored_is_503(api_as, task, hana, monkeypatch):
    def store_down(*args, **kwargs):
        raise storage.StorageUnavailable("down")

    # The object store's outage is a fault the test cannot cause on local disk.
    monkeypatch.setattr(storage, "save_stream", store_down)
    upload = SimpleUploadedFile("a.pdf", b"%PDF", "application/pdf")

    response = api_as(hana).post(
        f"/api/v1/tasks/{task.pk}/reports/",
        {"kind": "progress", "percent": 5, "files": [upload]},
        format="multipart",
    )

    assert response.status_code == 503
    assert task.events.count() == 0
