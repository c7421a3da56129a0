"""The task pages: the assigned province reports, the centre decides, the other
province gets 404; the list's query count does not grow with its rows."""

import urllib.request
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings.conclusions.models import TaskState
from meetings.followup.models import EvidenceFile
from tests.meetings.followup.conftest import published_task


def content_of(download) -> bytes:
    """The file a download answers: streamed from local disk, or (S3) behind the
    presigned link it redirects to."""
    if download.status_code == 302:
        with urllib.request.urlopen(download["Location"], timeout=10) as answer:
            return answer.read()
    return b"".join(download.streaming_content)


def step(task, name: str) -> str:
    return reverse("followup:step", args=[task.pk, name])


def test_the_province_reports_progress_with_evidence_on_the_page(client_as, task, hana):
    client = client_as(hana)
    upload = SimpleUploadedFile("ảnh.png", b"\x89PNG evidence", "image/png")

    response = client.post(
        step(task, "progress"), {"percent": "30", "note": "Bắt đầu", "files": [upload]}
    )
    page = client.get(reverse("followup:task", args=[task.pk]))

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.percent) == (TaskState.IN_PROGRESS, 30)
    assert "Bắt đầu" in page.content.decode()
    stored = EvidenceFile.objects.get()
    download = client.get(reverse("followup:evidence", args=[task.pk, stored.pk]))
    assert content_of(download) == b"\x89PNG evidence"


def test_the_centre_grants_an_extension_on_the_page(client_as, task, hana, alice):
    asked = task.deadline_on + timedelta(days=7)
    client_as(hana).post(
        step(task, "extension"), {"new_deadline": asked.strftime("%d/%m/%Y"), "reason": "Chờ"}
    )

    response = client_as(alice).post(step(task, "extension-decision"), {"decision": "yes"})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.deadline_on == asked


def test_a_bad_percentage_is_refused_with_a_message(client_as, task, hana):
    response = client_as(hana).post(step(task, "progress"), {"percent": "130"})

    assert response.status_code == 400
    task.refresh_from_db()
    assert task.percent == 0


def test_a_decision_with_nothing_waiting_answers_409(client_as, task, alice):
    response = client_as(alice).post(step(task, "completion-decision"), {"decision": "yes"})

    assert response.status_code == 409


@pytest.mark.parametrize(
    "name", ["followup:task", "followup:evidence-none", "progress", "completion-decision"]
)
def test_the_other_province_gets_404_everywhere(client_as, task, tung, name):
    client = client_as(tung)
    if name == "followup:task":
        response = client.get(reverse(name, args=[task.pk]))
    elif name == "followup:evidence-none":
        response = client.get(reverse("followup:evidence", args=[task.pk, 1]))
    else:
        response = client.post(step(task, name), {"percent": "10", "decision": "yes"})

    assert response.status_code == 404


def test_the_other_province_lists_no_task(client_as, task, tung):
    response = client_as(tung).get(reverse("followup:list"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_reads_a_constant_number_of_queries(
    client_as, national, hanoi, hana, count, django_assert_num_queries
):
    for position in range(1, count + 1):
        published_task(national, hanoi, timezone.localdate() + timedelta(days=5), position)
    client = client_as(hana)
    client.get(reverse("followup:list"))

    with django_assert_num_queries(6):
        response = client.get(reverse("followup:list"))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_follow_up_page_reads_a_constant_number_of_queries(
    client_as, national, hanoi, other, alice, count, django_assert_num_queries
):
    for position in range(1, count + 1):
        published_task(national, hanoi if position % 2 else other, timezone.localdate(), position)
    client = client_as(alice)
    client.get(reverse("followup:follow-up"))

    with django_assert_num_queries(5):
        response = client.get(reverse("followup:follow-up"))

    assert response.context["whole"].total == count


def test_the_list_filters_by_state_and_refuses_a_reversed_range(client_as, task, hana):
    client = client_as(hana)

    done = client.get(reverse("followup:list"), {"state": "done"})
    reversed_range = client.get(
        reverse("followup:list"), {"due_from": "10/12/2026", "due_until": "01/12/2026"}
    )

    assert done.context["page"].paginator.count == 0
    assert reversed_range.context["filters"].errors
