"""Invitations after a change of attendees or details (meetings.attendance,
meetings.meeting_details): the new attendee is invited, the removed one told they were
removed, the others updated; for an occurrence of a series, as that occurrence."""

import pytest

from accounts.roles import Role
from meetings.attendance import add_attendee, change_role, remove_attendee
from meetings.calendar.models import CalendarPreference, SentInvitation
from meetings.meeting_details import change_details
from meetings.models import AttendeeRole, Classification
from tests.factories import BridgeFactory, UserFactory, local_time, serve, site_tree
from tests.meetings.calendar.helpers import parse, vevents
from tests.meetings.calendar.test_invitations import (
    WEEK,
    body_of,
    book,
    event_of,
    ics_of,
    method_of,
    run_worker,
    series,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương")


@pytest.fixture
def people(db, bob, carol):
    """As in test_invitations: bob serves T01, carol is invited by name."""
    site_tree(provinces=2, communes=2)
    serve(bob, "T01")
    CalendarPreference.objects.create(user=carol, language="en")
    CalendarPreference.objects.create(user=bob, language="en")
    return {"bob": bob, "carol": carol}


@pytest.fixture
def erin(db):
    erin = UserFactory(username="erin", full_name="Erin", roles=[Role.ATTENDEE])
    CalendarPreference.objects.create(user=erin, language="en")
    return erin


def by_address(messages) -> dict[str, str]:
    return {message.to[0]: method_of(message) for message in messages}


def test_a_new_attendee_gets_an_invitation_and_the_others_an_update(
    alice, people, bridge, erin, mailoutbox
):
    meeting = book(alice, bridge, people["carol"], codes=("T01",))
    run_worker()
    sent = len(mailoutbox)

    add_attendee(meeting, erin.pk, AttendeeRole.CHAIR, alice)
    run_worker()

    assert by_address(mailoutbox[sent:]) == {
        "bob@example.vn": "REQUEST",
        "carol@example.vn": "REQUEST",
        "erin@example.vn": "REQUEST",
    }
    invitation = next(message for message in mailoutbox[sent:] if message.to == [erin.email])
    assert body_of(invitation).startswith("You are invited")
    assert "ROLE=CHAIR" in ics_of(invitation)[1].decode().replace("\r\n ", "")
    assert event_of(invitation)["SEQUENCE"] == 1


def test_a_removed_attendee_is_told_they_were_removed(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"], codes=("T01",))
    run_worker()
    sent = len(mailoutbox)

    remove_attendee(meeting, people["carol"].pk, alice)
    run_worker()

    assert by_address(mailoutbox[sent:]) == {
        "bob@example.vn": "REQUEST",
        "carol@example.vn": "CANCEL",
    }
    removed = next(message for message in mailoutbox[sent:] if message.to == ["carol@example.vn"])
    assert body_of(removed).startswith("You were removed from this session")
    assert "STATUS" not in event_of(removed)
    assert SentInvitation.objects.get(uid=meeting.uid, user=people["carol"]).method == "CANCEL"


def test_a_new_role_travels_as_an_update(alice, people, bridge, mailoutbox):
    meeting = book(alice, bridge, people["carol"], codes=("T01",))
    run_worker()
    sent = len(mailoutbox)

    change_role(meeting, people["carol"].pk, AttendeeRole.OBSERVER, alice)
    run_worker()

    carol = next(message for message in mailoutbox[sent:] if message.to == ["carol@example.vn"])
    assert method_of(carol) == "REQUEST"
    assert "ROLE=OPT-PARTICIPANT" in ics_of(carol)[1].decode().replace("\r\n ", "")


def test_an_attendee_added_to_one_occurrence_gets_the_series_with_that_occurrence(
    alice, people, bridge, erin, mailoutbox
):
    outcome = series(alice, bridge, people["carol"], count=3)
    run_worker()
    sent = len(mailoutbox)
    second = outcome.booked[1]

    add_attendee(second, erin.pk, AttendeeRole.MEMBER, alice)
    run_worker()

    methods = by_address(mailoutbox[sent:])
    assert methods == {
        "bob@example.vn": "REQUEST",
        "carol@example.vn": "REQUEST",
        "erin@example.vn": "REQUEST",
    }
    erin_mail = next(message for message in mailoutbox[sent:] if message.to == [erin.email])
    master, occurrence = vevents(parse(ics_of(erin_mail)[1]))
    # The series as erin is part of it: its rule without the occurrences she is not in.
    assert {str(master["UID"]), str(occurrence["UID"])} == {outcome.series.uid}
    assert [when.dt for when in master["EXDATE"].dts] == [
        local_time(3, 8),
        local_time(3, 8) + 2 * WEEK,
    ]
    assert occurrence["RECURRENCE-ID"].dt == local_time(3, 8) + WEEK


def test_an_attendee_removed_from_one_occurrence_is_told_of_that_occurrence(
    alice, people, bridge, mailoutbox
):
    outcome = series(alice, bridge, people["carol"], count=3)
    run_worker()
    sent = len(mailoutbox)
    second = outcome.booked[1]

    remove_attendee(second, people["carol"].pk, alice)
    run_worker()

    carol = next(message for message in mailoutbox[sent:] if message.to == ["carol@example.vn"])
    assert method_of(carol) == "CANCEL"
    (event,) = vevents(parse(ics_of(carol)[1]))
    assert (str(event["UID"]), event["RECURRENCE-ID"].dt) == (
        outcome.series.uid,
        local_time(3, 8) + WEEK,
    )
    assert "STATUS" not in event
    assert body_of(carol).startswith("You were removed from this session")
    # carol keeps the other occurrences: she still holds the series.
    assert SentInvitation.objects.get(uid=outcome.series.uid, user=people["carol"]).method == (
        "REQUEST"
    )


def test_a_session_made_confidential_reaches_technicians_as_busy_time(
    alice, people, bridge, mailoutbox
):
    meeting = book(alice, bridge, people["carol"], codes=("T01",), title="Giao ban quý IV")
    run_worker()
    sent = len(mailoutbox)

    change_details(meeting, {"classification": Classification.CONFIDENTIAL}, alice)
    run_worker()

    mails = {message.to[0]: message for message in mailoutbox[sent:]}
    assert set(mails) == {"bob@example.vn", "carol@example.vn"}
    assert "Giao ban quý IV" not in ics_of(mails["bob@example.vn"])[1].decode()
    assert "Giao ban quý IV" in ics_of(mails["carol@example.vn"])[1].decode()
