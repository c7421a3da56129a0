"""Who may download which record: every persona, kind, classification and status.

alice: secretariat, organiser · dung: secretariat, not invited · bob: technician of the
session's site · carol: named attendee · erin: attendee of other sessions · mallory: no
role. The secretariat sees every stored version, except a confidential session's when
not invited (it is busy time to them); attendees and technicians see what is out
(published minutes, available documents and recordings); a confidential session's
records only its organiser and named attendees. Outsiders get 404, no role 403.
"""

import pytest

from accounts.roles import Role
from meetings.models import Classification
from meetings.records.models import RecordKind, RecordStatus
from tests.factories import RecordFactory, UserFactory, stored_version
from tests.meetings.records.helpers import PDF, WEBM, local_storage, session

PERSONAS = ["alice", "dung", "bob", "carol", "erin", "mallory"]
OUT = {RecordStatus.PUBLISHED, RecordStatus.AVAILABLE}
STORED = OUT | {
    RecordStatus.DRAFT,
    RecordStatus.SUBMITTED,
    RecordStatus.RETURNED,
    RecordStatus.VERIFYING,
}
CASES = [
    (RecordKind.AGENDA, RecordStatus.AVAILABLE),
    (RecordKind.OTHER, RecordStatus.AVAILABLE),
    (RecordKind.MINUTES, RecordStatus.DRAFT),
    (RecordKind.MINUTES, RecordStatus.SUBMITTED),
    (RecordKind.MINUTES, RecordStatus.RETURNED),
    (RecordKind.MINUTES, RecordStatus.PUBLISHED),
    (RecordKind.MINUTES, RecordStatus.PURGED),
    (RecordKind.RECORDING, RecordStatus.VERIFYING),
    (RecordKind.RECORDING, RecordStatus.AVAILABLE),
    (RecordKind.RECORDING, RecordStatus.FAILED),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    local_storage(settings, tmp_path)


@pytest.fixture
def people(alice, bob, carol, mallory):
    return {
        "alice": alice,
        "dung": UserFactory(username="dung", roles=[Role.SECRETARIAT]),
        "bob": bob,
        "carol": carol,
        "erin": UserFactory(username="erin", roles=[Role.ATTENDEE]),
        "mallory": mallory,
    }


def expected(persona: str, classification: str, status: str) -> int:
    confidential = classification == Classification.CONFIDENTIAL
    entitled = {
        "alice": status in STORED,
        "dung": status in STORED and not confidential,
        "bob": status in OUT and not confidential,
        "carol": status in OUT,
        "erin": False,
    }
    if persona == "mallory":
        return 403
    return 200 if entitled[persona] else 404


@pytest.mark.parametrize("classification", list(Classification.values))
@pytest.mark.parametrize(("kind", "status"), CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_download_matrix(client, people, classification, kind, status):
    meeting = session(
        people["alice"], classification, attendees=[people["carol"]], technicians=[people["bob"]]
    )
    recording = kind == RecordKind.RECORDING
    fields = {"sha256": ""} if status == RecordStatus.VERIFYING else {}
    version = stored_version(
        WEBM if recording else PDF,
        record=RecordFactory(meeting=meeting, kind=kind),
        content_type="video/webm" if recording else "application/pdf",
        status=status,
        uploaded_by=people["alice"],
        **fields,
    )
    url = f"/meetings/{meeting.pk}/records/versions/{version.pk}/file/"

    answers = {}
    for persona in PERSONAS:
        client.force_login(people[persona])
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        answers[persona] = response.status_code

    assert answers == {p: expected(p, classification, status) for p in PERSONAS}


@pytest.mark.parametrize("classification", list(Classification.values))
def test_list_matrix_over_the_api(api, people, classification):
    meeting = session(
        people["alice"], classification, attendees=[people["carol"]], technicians=[people["bob"]]
    )
    for kind, status in CASES:
        stored_version(
            PDF, record=RecordFactory(meeting=meeting, kind=kind), status=status,
            uploaded_by=people["alice"],
        )  # fmt: skip

    answers = {}
    for persona in PERSONAS:
        api.force_login(people[persona])
        response = api.get(f"/api/v1/meetings/{meeting.pk}/records/")
        answers[persona] = (
            sorted((item["kind"], item["versions"][0]["status"]) for item in response.json())
            if response.status_code == 200
            else response.status_code
        )

    everything = sorted((str(kind), str(status)) for kind, status in CASES)
    out = [
        ("agenda", "available"),
        ("minutes", "published"),
        ("other", "available"),
        ("recording", "available"),
    ]
    confidential = classification == Classification.CONFIDENTIAL
    assert answers == {
        "alice": everything,
        "dung": 404 if confidential else everything,
        "bob": 404 if confidential else out,
        "carol": out,
        "erin": 404,
        "mallory": 403,
    }
