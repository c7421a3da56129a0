"""Every operation of the schema that takes an Idempotency-Key answers its two refusals:
the key sent again with another body is 422 `idempotency_key_reused`, and a key whose
request never stored its answer (the process died between the action's commit and the
answer's: the claim stays, httpapi.idempotency) is 409 `idempotency_key_in_use`."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conferencing.models import Bridge
from httpapi.models import IdempotencyRecord
from httpapi.problems import CONTENT_TYPE
from meetings.followup import actions
from meetings.records.models import RecordKind
from tests.factories import open_session, serve
from tests.httpapi.operations import operations, own_task
from tests.meetings.api.helpers import booking_body
from tests.meetings.records.helpers import PDF, local_storage, session
from tests.people.conftest import csv_of

KEY = "retry-1"
KEYED = [
    operation
    for operation in operations()
    if operation.method == "POST"
    and {409, 422} <= operation.documented
    and operation.path != "/api/v1/meetings/check/"
]


@dataclass(frozen=True)
class Case:
    """Who sends what where: `arrange(request)` builds the world and answers the path's
    parameters; `body(n)` is the n-th different body (a fresh one each call)."""

    persona: str
    arrange: Callable[[pytest.FixtureRequest], dict]
    body: Callable[[int], dict]
    format: str = "json"


def meeting_of_alice(request) -> dict:
    return {"meeting_id": session(request.getfixturevalue("alice")).pk}


def open_leg(request) -> dict:
    alice, bob = request.getfixturevalue("alice"), request.getfixturevalue("bob")
    session(alice)  # the tree
    serve(bob, "T01")
    meeting = open_session(alice)
    return {"leg_id": meeting.conference.legs.get(endpoint__code="T01").pk}


def request_bridge() -> Bridge:
    return Bridge.objects.get(name="MCU Quốc gia")  # tests.meetings.api.conftest's bridge


def booking_world(request) -> dict:
    request.getfixturevalue("tree")
    request.getfixturevalue("bridge")
    return {}


def task_of_alice(request) -> dict:
    return {"task_id": own_task(session(request.getfixturevalue("alice"))).pk}


def extension_asked_of_alice(request) -> dict:
    alice = request.getfixturevalue("alice")
    task = own_task(session(alice))
    actions.request_extension(
        alice, task, new_deadline=task.deadline_on + timedelta(days=7), reason="Chờ số liệu"
    )
    return {"task_id": task.pk}


def later_deadline(n: int) -> dict:
    deadline = timezone.localdate() + timedelta(days=10 + n)
    return {"new_deadline": deadline.isoformat(), "reason": f"Lý do {n}"}


def people_world(request) -> dict:
    request.getfixturevalue("hana")
    return {}


def people_file(n: int) -> dict:
    upload = io.BytesIO(csv_of(f"Nguyễn Thị Lan {n},lan{n}@hanoi.gov.vn,,lan{n},,,").encode())
    upload.name = "people.csv"
    return {"file": upload}


CASES = {
    "/api/v1/legs/{leg_id}/reports/": Case(
        "bob", open_leg, lambda n: {"state": "checking", "note": f"Lần {n}"}
    ),
    "/api/v1/meetings/": Case(
        "alice",
        booking_world,
        lambda n: booking_body(request_bridge(), title=f"Giao ban tuần {n}"),
    ),
    "/api/v1/meetings/{meeting_id}/document-uploads/": Case(
        "alice",
        meeting_of_alice,
        lambda n: {
            "kind": RecordKind.AGENDA,
            "title": f"Tài liệu {n}",
            "file_name": "Tài liệu.pdf",
            "size": len(PDF),
            "content_type": "application/pdf",
        },
    ),
    "/api/v1/meetings/{meeting_id}/recording-uploads/": Case(
        "alice",
        meeting_of_alice,
        lambda n: {
            "title": f"Ghi hình {n}",
            "file_name": "ghi-hình.mp4",
            "size": 1024,
            "content_type": "video/mp4",
        },
    ),
    "/api/v1/meetings/{meeting_id}/records/": Case(
        "alice",
        meeting_of_alice,
        lambda n: {
            "kind": "minutes",
            "title": f"Biên bản {n}",
            "file": SimpleUploadedFile("Biên bản.pdf", PDF),
        },
        format="multipart",
    ),
    "/api/v1/people/imports/": Case("hana", people_world, people_file, format="multipart"),
    "/api/v1/tasks/{task_id}/reports/": Case(
        "alice", task_of_alice, lambda n: {"kind": "progress", "percent": n, "note": f"Lần {n}"}
    ),
    "/api/v1/tasks/{task_id}/extension-requests/": Case("alice", task_of_alice, later_deadline),
    "/api/v1/tasks/{task_id}/decisions/": Case(
        "alice",
        extension_asked_of_alice,
        lambda n: {"about": "extension", "accept": True, "reason": f"Đồng ý {n}"},
    ),
    "/api/v1/tokens/": Case(
        "alice", lambda request: {}, lambda n: {"name": f"Tích hợp {n}", "scope": "read"}
    ),
}


@pytest.fixture(autouse=True)
def app_mode(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    local_storage(settings, tmp_path)


@pytest.fixture
def keyed(request, db):
    """(API client of the case's persona, path, case) for the parametrised operation."""
    operation = request.param
    assert operation.path in CASES, f"{operation}: add its Case to {__name__}.CASES"
    case = CASES[operation.path]
    parameters = case.arrange(request)
    api = request.getfixturevalue("api_as")(request.getfixturevalue(case.persona))
    return api, operation.path.format(**parameters), case


def send(keyed, n: int):
    api, path, case = keyed
    return api.post(path, case.body(n), format=case.format, HTTP_IDEMPOTENCY_KEY=KEY)


def problem_code(response) -> tuple[int, str, str]:
    return response.status_code, response["Content-Type"], response.json().get("code", "")


@pytest.mark.parametrize("keyed", KEYED, ids=str, indirect=True)
def test_the_key_with_another_body_is_422(keyed):
    first = send(keyed, 1)

    again = send(keyed, 2)

    assert first.status_code in (201, 202), first.content
    assert problem_code(again) == (422, CONTENT_TYPE, "idempotency_key_reused")


@pytest.mark.parametrize("keyed", KEYED, ids=str, indirect=True)
def test_a_key_whose_answer_was_never_stored_is_409(keyed):
    first = send(keyed, 1)
    # What a process that died after the action committed leaves: the claim, no answer.
    IdempotencyRecord.objects.filter(key=KEY).update(status_code=None, body=b"", headers={})

    again = send(keyed, 1)

    assert first.status_code in (201, 202), first.content
    assert problem_code(again) == (409, CONTENT_TYPE, "idempotency_key_in_use")
