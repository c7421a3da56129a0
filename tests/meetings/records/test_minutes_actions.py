"""Which minutes actions a user may take now: archive.allowed_actions, the one rule the
session page shows and the actions themselves (web and API) enforce under their lock.

alice (secretariat) organises the session; carol is invited; dung is a secretariat
colleague; the session is internal unless a test says otherwise.
"""

import pytest

from accounts.roles import Role
from meetings.models import Classification
from meetings.records import archive
from meetings.records.archive import APPROVE, RETURN, SUBMIT, allowed_actions
from meetings.records.models import RecordKind, RecordStatus
from tests.factories import RecordFactory, RecordVersionFactory, UserFactory, end_now
from tests.meetings.records.helpers import session


def minutes(meeting, *statuses: str):
    record = RecordFactory(meeting=meeting, kind=RecordKind.MINUTES)
    return [RecordVersionFactory(record=record, status=status) for status in statuses]


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (RecordStatus.DRAFT, (SUBMIT,)),
        (RecordStatus.RETURNED, (SUBMIT,)),
        (RecordStatus.SUBMITTED, (APPROVE, RETURN)),
        (RecordStatus.PUBLISHED, ()),
        (RecordStatus.PURGED, ()),
    ],
)
def test_allowed_actions_of_the_newest_minutes_follow_their_status(alice, status, actions):
    meeting = end_now(session(alice))
    (version,) = minutes(meeting, status)

    assert allowed_actions(version, alice) == actions


def test_approving_is_not_allowed_before_the_session_has_ended(alice):
    meeting = session(alice)
    (version,) = minutes(meeting, RecordStatus.SUBMITTED)

    assert allowed_actions(version, alice) == (RETURN,)


def test_approving_is_not_allowed_to_who_submitted_the_version(alice):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    meeting = end_now(session(alice))
    (draft,) = minutes(meeting, RecordStatus.DRAFT)
    version = archive.submit(draft, alice)

    assert (allowed_actions(version, alice), allowed_actions(version, dung)) == (
        (RETURN,),
        (APPROVE, RETURN),
    )


def test_allowed_actions_of_an_older_version_are_none(alice):
    meeting = session(alice)
    older, _newer = minutes(meeting, RecordStatus.SUBMITTED, RecordStatus.DRAFT)

    assert allowed_actions(older, alice) == ()


def test_allowed_actions_of_an_agenda_are_none(alice):
    meeting = session(alice)
    record = RecordFactory(meeting=meeting, kind=RecordKind.AGENDA)
    version = RecordVersionFactory(record=record, status=RecordStatus.SUBMITTED)

    assert allowed_actions(version, alice) == ()


def test_allowed_actions_of_someone_who_does_not_manage_the_records_are_none(alice, carol):
    meeting = session(alice, attendees=[carol])
    (version,) = minutes(meeting, RecordStatus.SUBMITTED)

    assert allowed_actions(version, carol) == ()


def test_allowed_actions_of_a_colleague_not_invited_to_a_confidential_session_are_none(alice):
    dung = UserFactory(username="dung", roles=[Role.SECRETARIAT])
    meeting = session(alice, classification=Classification.CONFIDENTIAL)
    (version,) = minutes(meeting, RecordStatus.DRAFT)

    assert (allowed_actions(version, alice), allowed_actions(version, dung)) == ((SUBMIT,), ())


@pytest.mark.parametrize("ended", [False, True])
@pytest.mark.parametrize("status", list(RecordStatus))
def test_an_action_succeeds_exactly_when_allowed(alice, status, ended):
    meeting = end_now(session(alice)) if ended else session(alice)
    (version,) = minutes(meeting, status)
    allowed = allowed_actions(version, alice)
    act = {
        SUBMIT: lambda: archive.submit(version, alice),
        APPROVE: lambda: archive.approve(version, alice),
        RETURN: lambda: archive.return_for_changes(version, alice, "Sửa mục 2"),
    }

    outcomes = {}
    for action, run in act.items():
        try:
            run()
            outcomes[action] = True
            version.refresh_from_db()
            version.status = status
            version.save(update_fields=["status"])
        except archive.RecordError:
            outcomes[action] = False

    assert {action for action, done in outcomes.items() if done} == set(allowed)
