"""The tasks API: the same steps as the pages, problem+json errors, Idempotency-Key,
cursor pages; the other province gets 404."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.conclusions.models import TaskState
from tests.meetings.followup.conftest import published_task


def url(task, tail: str = "") -> str:
    return f"/api/v1/tasks/{task.pk}/{tail}"


def test_extension_and_completion_through_the_api(api_as, task, hana, alice):
    province = api_as(hana)
    asked = (task.deadline_on + timedelta(days=5)).isoformat()
    requested = province.post(
        url(task, "extension-requests/"), {"new_deadline": asked, "reason": "Chờ"}, format="json"
    )
    centre = api_as(alice)
    granted = centre.post(
        url(task, "decisions/"), {"about": "extension", "accept": True}, format="json"
    )
    province = api_as(hana)
    reported = province.post(url(task, "reports/"), {"kind": "completion"}, format="json")
    centre = api_as(alice)
    sent_back = centre.post(
        url(task, "decisions/"),
        {"about": "completion", "accept": False, "reason": "Thiếu"},
        format="json",
    )
    detail = centre.get(url(task))

    assert [r.status_code for r in (requested, granted, reported, sent_back)] == [201] * 4
    assert requested["Location"] == f"/api/v1/tasks/{task.pk}/events/{requested.json()['id']}/"
    assert detail.json()["deadline_on"] == asked
    assert detail.json()["state"] == TaskState.SENT_BACK
    assert [event["kind"] for event in detail.json()["events"]] == [
        "extension_requested",
        "extension_granted",
        "completion_reported",
        "sent_back",
    ]


def test_a_report_with_evidence_as_multipart(api_as, task, hana):
    upload = SimpleUploadedFile("biên bản.pdf", b"%PDF-1.7 x", "application/pdf")

    response = api_as(hana).post(
        url(task, "reports/"),
        {"kind": "progress", "percent": 50, "files": [upload]},
        format="multipart",
    )

    assert response.status_code == 201
    assert [f["name"] for f in response.json()["evidence"]] == ["biên bản.pdf"]


def test_a_wrong_state_is_409_problem(api_as, task, alice):
    response = api_as(alice).post(
        url(task, "decisions/"), {"about": "completion", "accept": True}, format="json"
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "wrong_state"


def test_bad_input_is_400_naming_the_field(api_as, task, hana):
    response = api_as(hana).post(url(task, "reports/"), {"kind": "progress"}, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["percent"]


def test_the_other_province_gets_404(api_as, task, tung):
    client = api_as(tung)

    assert client.get(url(task)).status_code == 404
    assert (
        client.post(url(task, "reports/"), {"kind": "completion"}, format="json").status_code == 404
    )
    assert client.get("/api/v1/tasks/").json()["results"] == []


def test_the_assigning_office_may_not_report(api_as, task, alice):
    response = api_as(alice).post(url(task, "reports/"), {"kind": "completion"}, format="json")

    assert response.status_code == 404


def test_an_attendee_is_refused_and_a_stranger_asked_to_sign_in(api, api_as, task, carol):
    assert api.get("/api/v1/tasks/").status_code == 401
    assert api_as(carol).get("/api/v1/tasks/").status_code == 403


def test_idempotency_key_replays_the_report(api_as, task, hana):
    client = api_as(hana)
    body = {"kind": "progress", "percent": 20}

    first = client.post(url(task, "reports/"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url(task, "reports/"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = client.post(
        url(task, "reports/"), {**body, "percent": 30}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.json() == first.json()
    assert task.events.count() == 1


def test_an_unknown_filter_is_refused(api_as, task, hana):
    response = api_as(hana).get("/api/v1/tasks/", {"stat": "open"})

    assert response.status_code == 400


def test_one_event_and_a_missing_one(api_as, task, hana):
    client = api_as(hana)
    made = client.post(url(task, "reports/"), {"kind": "progress", "percent": 5}, format="json")

    assert client.get(made["Location"]).json()["percent"] == 5
    assert client.get(url(task, "events/999999/")).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_pages_with_a_cursor_in_constant_queries(
    api_as, national, hanoi, hana, count, django_assert_num_queries
):
    for position in range(1, count + 1):
        published_task(national, hanoi, timezone.localdate() + timedelta(days=position), position)
    client = api_as(hana)
    client.get("/api/v1/tasks/")

    with django_assert_num_queries(5):
        response = client.get("/api/v1/tasks/", {"page_size": 2, "state": "open"})

    assert len(response.json()["results"]) == min(count, 2)
    assert (response.json()["next"] is not None) == (count > 2)
