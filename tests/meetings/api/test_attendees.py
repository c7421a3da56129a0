"""A session's attendees through the API: read by whoever may read the session (e-mail
addresses only for whoever may change it), invited, re-roled and removed by the owning
office's secretariat; 400, 404 (refused as missing) and 409 for a session that is over.

Tree: TW → HN (HN-01, HN-02), HCM (HCM-01); alice and dave are the centre's
secretariat, hoa Hà Nội's; bob serves HN; carol is invited.
"""

import pytest

from accounts.roles import Role
from audit.models import AuditEntry
from meetings.events import ChangeKind, meeting_changing
from meetings.models import Attendee, AttendeeRole, Classification, Meeting
from tests.factories import UserFactory, office_of, start_now
from tests.meetings.api.helpers import LIST_URL, at, booked, written
from tests.problems import field_errors, members


def url_of(meeting: Meeting, user_id: int | None = None) -> str:
    base = f"{LIST_URL}{meeting.pk}/attendees/"
    return base if user_id is None else f"{base}{user_id}/"


def item(user, role: str, email: bool) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.person.full_name or user.username,
        "role": role,
        "email": user.email if email else None,
    }


@pytest.fixture
def hoa(tree):
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[])
    office_of(tree["hanoi"], "VP-HN", hoa, name="Văn phòng UBND Hà Nội")
    return hoa


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", full_name="Nguyễn Thị Én", roles=[Role.ATTENDEE])


@pytest.fixture
def meeting(alice, carol, tree, bridge):
    return booked(alice, bridge, at(2, 8), attendees=((carol.pk, AttendeeRole.CHAIR),))


@pytest.fixture
def changes():
    """The events announced (`meeting_changing`, sent inside the transaction)."""
    heard = []

    def listen(sender, change, **kwargs):
        heard.append(change)

    meeting_changing.connect(listen, dispatch_uid="test-attendees")
    yield heard
    meeting_changing.disconnect(dispatch_uid="test-attendees")


# --- reading -------------------------------------------------------------------------------------


def test_the_secretariat_reads_the_attendees_with_their_addresses(api_as, alice, carol, meeting):
    response = api_as(alice).get(url_of(meeting))

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [item(carol, "chair", email=True)],
    }


@pytest.mark.parametrize("persona", ["bob", "carol", "hoa"])
def test_others_who_may_read_the_session_read_the_attendees_without_addresses(
    api_as, carol, meeting, request, persona
):
    response = api_as(request.getfixturevalue(persona)).get(url_of(meeting))

    assert response.status_code == 200
    assert response.json()["results"] == [item(carol, "chair", email=False)]


def test_the_name_is_the_full_name_as_written(api_as, alice, meeting, erin):
    Attendee.objects.create(meeting=meeting, user=erin, role=AttendeeRole.MEMBER)

    response = api_as(alice).get(url_of(meeting))

    assert [row["name"] for row in response.json()["results"]] == ["Carol", "Nguyễn Thị Én"]


def test_attendees_of_a_session_read_only_as_busy_time_are_404(
    api_as, alice, dave, bob, tree, bridge
):
    secret = booked(dave, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)

    answers = [api_as(user).get(url_of(secret)) for user in (alice, bob)]
    missing = api_as(alice).get(f"{LIST_URL}999999/attendees/")

    assert [answer.status_code for answer in answers] == [404, 404]
    assert members(answers[0]) == members(missing)


def test_attendees_of_a_session_that_does_not_concern_the_user_are_404(api_as, meeting, erin):
    response = api_as(erin).get(url_of(meeting))

    assert response.status_code == 404


def test_anonymous_gets_401_and_a_user_without_role_403(api, api_as, meeting, mallory):
    assert api.get(url_of(meeting)).status_code == 401
    assert api_as(mallory).get(url_of(meeting)).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_reading_the_attendees_takes_the_same_queries_whatever_their_number(
    api_as, alice, meeting, count, django_assert_num_queries
):
    for number in range(count):
        user = UserFactory(username=f"guest{number}", full_name=f"Khách {number}")
        Attendee.objects.create(meeting=meeting, user=user)
    client = api_as(alice)

    # Session, user, roles, acting office; the meeting; count; the page with users and
    # people; may_change.
    with django_assert_num_queries(8):
        response = client.get(url_of(meeting))

    assert response.json()["count"] == count + 1


# --- inviting ------------------------------------------------------------------------------------


def test_inviting_adds_the_person_raises_the_sequence_announces_and_audits(
    api_as, alice, meeting, erin, changes
):
    response = api_as(alice).post(url_of(meeting), {"user": erin.pk, "role": "observer"})

    assert response.status_code == 201
    assert response.json() == item(erin, "observer", email=True)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert [(c.kind, c.meeting_ids) for c in changes] == [
        (ChangeKind.ATTENDEES_CHANGED, (meeting.pk,))
    ]
    entry = AuditEntry.objects.filter(action="meeting.attendee_added").get()
    assert (entry.target_id, entry.changes) == (
        str(meeting.pk),
        {"user": erin.pk, "role": "observer"},
    )


def test_inviting_without_a_role_invites_a_member(api_as, alice, meeting, erin):
    response = api_as(alice).post(url_of(meeting), {"user": erin.pk})

    assert response.json()["role"] == "member"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"user": ["This field is required."]}),
        (
            {"user": "x", "role": "king"},
            {"user": ["A valid integer is required."], "role": ['"king" is not a valid choice.']},
        ),
        ({"user": 999999}, {"user": ["Unknown users: 999999."]}),
    ],
)
def test_inviting_wrongly_is_400_with_every_field_error(api_as, alice, meeting, body, errors):
    before = written()

    response = api_as(alice).post(url_of(meeting), body)

    assert response.status_code == 400
    assert field_errors(response) == errors
    assert written() == before


def test_inviting_someone_already_invited_is_400(api_as, alice, carol, meeting):
    response = api_as(alice).post(url_of(meeting), {"user": carol.pk})

    assert response.status_code == 400
    assert field_errors(response) == {"user": ["This person is already invited."]}


def test_inviting_an_inactive_person_is_400(api_as, alice, meeting, erin):
    erin.is_active = False
    erin.save()

    response = api_as(alice).post(url_of(meeting), {"user": erin.pk})

    assert response.status_code == 400
    assert field_errors(response) == {"user": [f"Unknown users: {erin.pk}."]}


@pytest.mark.parametrize("persona", ["hoa", "dave"])
def test_inviting_to_a_session_the_user_may_not_change_is_404(
    api_as, alice, dave, tree, bridge, erin, request, persona
):
    # hoa's office does not own it; dave is not invited to alice's confidential session.
    secret = booked(alice, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)

    response = api_as(request.getfixturevalue(persona)).post(url_of(secret), {"user": erin.pk})
    missing = api_as(request.getfixturevalue(persona)).post(
        f"{LIST_URL}999999/attendees/", {"user": erin.pk}
    )

    assert (response.status_code, members(response)) == (404, members(missing))
    assert not secret.attendees.filter(user=erin).exists()


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_inviting_is_refused_to_technicians_and_attendees(api_as, meeting, erin, request, persona):
    response = api_as(request.getfixturevalue(persona)).post(url_of(meeting), {"user": erin.pk})

    assert response.status_code == 403


def test_inviting_to_a_session_that_has_started_is_409(api_as, alice, meeting, erin):
    start_now(meeting)
    before = written()

    response = api_as(alice).post(url_of(meeting), {"user": erin.pk})

    assert response.status_code == 409
    assert response.json()["detail"] == "A session that has started cannot be changed."
    assert written() == before


def test_inviting_to_a_cancelled_session_is_409(api_as, alice, meeting, erin):
    api_as(alice).post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão"})

    response = api_as(alice).post(url_of(meeting), {"user": erin.pk})

    assert response.status_code == 409
    assert response.json()["detail"] == "Only a scheduled session can be changed."


# --- changing a role -----------------------------------------------------------------------------


def test_changing_a_role_answers_the_attendee_and_raises_the_sequence(
    api_as, alice, carol, meeting, changes
):
    response = api_as(alice).patch(url_of(meeting, carol.pk), {"role": "member"})

    assert response.status_code == 200
    assert response.json() == item(carol, "member", email=True)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert [c.kind for c in changes] == [ChangeKind.ATTENDEES_CHANGED]
    assert AuditEntry.objects.get(action="meeting.attendee_role_changed").changes == {
        "user": carol.pk,
        "from": "chair",
        "to": "member",
    }


def test_the_same_role_again_changes_nothing(api_as, alice, carol, meeting, changes):
    response = api_as(alice).patch(url_of(meeting, carol.pk), {"role": "chair"})

    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.sequence, changes) == (0, [])


def test_changing_a_role_without_a_valid_one_is_400(api_as, alice, carol, meeting):
    response = api_as(alice).patch(url_of(meeting, carol.pk), {"role": "king"})

    assert response.status_code == 400
    assert field_errors(response) == {"role": ['"king" is not a valid choice.']}


def test_changing_the_role_of_someone_not_invited_is_404(api_as, alice, meeting, erin):
    response = api_as(alice).patch(url_of(meeting, erin.pk), {"role": "member"})

    assert response.status_code == 404


def test_changing_a_role_in_a_session_of_another_office_is_404(api_as, hoa, carol, meeting):
    response = api_as(hoa).patch(url_of(meeting, carol.pk), {"role": "member"})

    assert response.status_code == 404


def test_changing_a_role_once_the_session_started_is_409(api_as, alice, carol, meeting):
    start_now(meeting)

    response = api_as(alice).patch(url_of(meeting, carol.pk), {"role": "member"})

    assert response.status_code == 409


# --- removing ------------------------------------------------------------------------------------


def test_removing_takes_the_person_off_and_announces_whom(api_as, alice, carol, meeting, changes):
    response = api_as(alice).delete(url_of(meeting, carol.pk))

    assert response.status_code == 204
    assert not meeting.attendees.exists()
    assert [(c.kind, c.attendees_removed) for c in changes] == [
        (ChangeKind.ATTENDEES_CHANGED, (carol.pk,))
    ]
    assert AuditEntry.objects.get(action="meeting.attendee_removed").changes == {
        "user": carol.pk,
        "role": "chair",
    }


def test_removing_someone_not_invited_is_404(api_as, alice, meeting, erin):
    response = api_as(alice).delete(url_of(meeting, erin.pk))

    assert response.status_code == 404


def test_removing_from_a_session_of_another_office_is_404(api_as, hoa, carol, meeting):
    response = api_as(hoa).delete(url_of(meeting, carol.pk))

    assert response.status_code == 404
    assert meeting.attendees.filter(user=carol).exists()


def test_removing_once_the_session_started_is_409(api_as, alice, carol, meeting):
    start_now(meeting)

    response = api_as(alice).delete(url_of(meeting, carol.pk))

    assert response.status_code == 409
    assert meeting.attendees.filter(user=carol).exists()
