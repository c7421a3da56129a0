"""Changing what a session is about through PATCH /api/v1/meetings/{id}/: title, agenda
and classification only, the SEQUENCE rising, announced and audited; confidentiality
changes who reads it at once.

Tree: TW → HN (HN-01, HN-02), HCM (HCM-01); alice is the centre's secretariat; bob
serves HN; carol is invited.
"""

import pytest

from audit.models import AuditEntry
from meetings.events import ChangeKind, meeting_changing
from meetings.models import AttendeeRole, Classification, Meeting
from tests.factories import start_now
from tests.meetings.api.helpers import LIST_URL, at, booked, written
from tests.problems import field_errors, members


@pytest.fixture
def meeting(alice, carol, tree, bridge):
    return booked(alice, bridge, at(2, 8), attendees=((carol.pk, AttendeeRole.MEMBER),))


@pytest.fixture
def changes():
    heard = []

    def listen(sender, change, **kwargs):
        heard.append(change)

    meeting_changing.connect(listen, dispatch_uid="test-details")
    yield heard
    meeting_changing.disconnect(dispatch_uid="test-details")


def url_of(meeting: Meeting) -> str:
    return f"{LIST_URL}{meeting.pk}/"


def test_patch_changes_the_details_and_answers_the_session(api_as, alice, meeting, changes):
    response = api_as(alice).patch(
        url_of(meeting), {"title": "  Giao ban quý IV ", "agenda": "Kinh tế - xã hội"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["agenda"], body["sequence"]) == (
        "Giao ban quý IV",
        "Kinh tế - xã hội",
        1,
    )
    assert [(c.kind, c.meeting_ids) for c in changes] == [
        (ChangeKind.DETAILS_CHANGED, (meeting.pk,))
    ]
    entry = AuditEntry.objects.get(action="meeting.details_changed")
    assert entry.changes == {"fields": ["agenda", "title"]}


def test_patch_finds_the_session_by_its_new_title(api_as, alice, meeting):
    api_as(alice).patch(url_of(meeting), {"title": "Hội nghị Đà Nẵng"})

    response = api_as(alice).get(LIST_URL, {"q": "da nang"})

    assert [row["id"] for row in response.json()["results"]] == [meeting.pk]


def test_patch_with_the_same_values_changes_nothing(api_as, alice, meeting, changes):
    response = api_as(alice).patch(url_of(meeting), {"title": meeting.title})

    assert response.status_code == 200
    assert (response.json()["sequence"], changes) == (0, [])


def test_making_a_session_confidential_hides_it_from_those_not_invited(
    api_as, alice, bob, carol, meeting
):
    response = api_as(alice).patch(url_of(meeting), {"classification": "confidential"})

    assert response.status_code == 200
    assert AuditEntry.objects.get(action="meeting.details_changed").changes == {
        "fields": ["classification"],
        "classification": {"from": "internal", "to": "confidential"},
    }
    assert api_as(bob).get(url_of(meeting)).json()["title"] == "Busy"
    assert api_as(carol).get(url_of(meeting)).json()["title"] == "Giao ban tuần"


def test_making_a_confidential_session_internal_shows_it_again(api_as, alice, bob, tree, bridge):
    secret = booked(alice, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)
    assert api_as(bob).get(url_of(secret)).json()["title"] == "Busy"

    api_as(alice).patch(url_of(secret), {"classification": "internal"})

    assert api_as(bob).get(url_of(secret)).json()["title"] == "Giao ban tuần"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"start": "2030-01-01T08:00:00+07:00", "status": "cancelled"},
            {
                "start": ["This field cannot be changed here."],
                "status": ["This field cannot be changed here."],
            },
        ),
        ({}, {"": ["Give at least one of title, agenda and classification."]}),
        (
            {"title": "", "classification": "secret"},
            {
                "title": ["This field may not be blank."],
                "classification": ['"secret" is not a valid choice.'],
            },
        ),
    ],
)
def test_patch_wrongly_is_400_with_every_field_error(api_as, alice, meeting, body, errors):
    before = written()

    response = api_as(alice).patch(url_of(meeting), body)

    assert response.status_code == 400
    assert field_errors(response) == errors
    assert written() == before


def test_patch_of_a_session_that_has_started_is_409(api_as, alice, meeting):
    start_now(meeting)
    before = written()

    response = api_as(alice).patch(url_of(meeting), {"title": "Khác"})

    assert response.status_code == 409
    assert response.json()["detail"] == "A session that has started cannot be changed."
    assert written() == before


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_patch_is_refused_to_technicians_and_attendees(api_as, meeting, request, persona):
    response = api_as(request.getfixturevalue(persona)).patch(url_of(meeting), {"title": "X"})

    assert response.status_code == 403


def test_patch_of_a_confidential_session_the_user_is_not_invited_to_is_404(
    api_as, alice, dave, tree, bridge
):
    secret = booked(dave, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)

    response = api_as(alice).patch(url_of(secret), {"title": "X"})
    missing = api_as(alice).patch(f"{LIST_URL}999999/", {"title": "X"})

    assert (response.status_code, members(response)) == (404, members(missing))


def test_patch_anonymous_is_401(api, meeting):
    assert api.patch(url_of(meeting), {"title": "X"}).status_code == 401
