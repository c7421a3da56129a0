"""The booking core's one event per action (meetings.events), and its subscribers.

Each action sends `meeting_changing` once inside its transaction and `meeting_changed`
once after the commit, nothing after a rollback; the calendar and the readiness notice
react to them (connected in their AppConfig.ready()).
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from conferencing.instants import iso
from conferencing.site_selection import SiteSelection
from meetings.booking import Slot, cancel, change_sites, reschedule
from meetings.calendar.receivers import generation
from meetings.events import ChangeKind, MeetingChange, meeting_changed, meeting_changing
from meetings.series import book_series, cancel_following, reschedule_following
from tests.factories import BookingRequestFactory, BridgeFactory, booked, local_time, site_tree

INVITATIONS = "meetings.calendar.invitations.send_invitations"
NOTICE = "meetings.readiness.notice.send_readiness_notice"
HOUR = timedelta(hours=1)


class Heard:
    """What each signal delivered, in order."""

    def __init__(self) -> None:
        self.changing: list[MeetingChange] = []
        self.changed: list[MeetingChange] = []

    def on_changing(self, sender: type, change: MeetingChange, **kwargs: object) -> None:
        self.changing.append(change)

    def on_changed(self, sender: type, change: MeetingChange, **kwargs: object) -> None:
        self.changed.append(change)


@pytest.fixture
def heard():
    listener = Heard()
    meeting_changing.connect(listener.on_changing)
    meeting_changed.connect(listener.on_changed)
    yield listener
    meeting_changing.disconnect(listener.on_changing)
    meeting_changed.disconnect(listener.on_changed)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương")


def book_one(alice, bridge, days: int = 3):
    return booked(alice, bridge_id=bridge.pk, slot__start=local_time(days, 8))


def book_daily(alice, bridge, count: int = 3):
    request = BookingRequestFactory(bridge_id=bridge.pk, slot__start=local_time(3, 8))
    return book_series(request, f"FREQ=DAILY;COUNT={count}", alice)


def windows(meetings) -> tuple[tuple[int, str], ...]:
    return tuple(
        (meeting.conference_id, meeting.conference.reserved_from.isoformat())
        for meeting in meetings
    )


def test_booking_announces_once_inside_and_once_after_the_commit(
    alice, sites, bridge, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting = book_one(alice, bridge)

    assert len(heard.changing) == 1
    assert heard.changed == []

    for callback in callbacks:
        callback()

    expected = MeetingChange(
        kind=ChangeKind.BOOKED,
        meeting_ids=(meeting.pk,),
        series_id=None,
        opened_windows=windows([meeting]),
    )
    assert heard.changing == [expected]
    assert heard.changed == [expected]


def test_nothing_is_announced_after_a_rollback(
    alice, sites, bridge, heard, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        book_one(alice, bridge)
        raise RuntimeError("the caller's transaction fails after the booking")

    assert callbacks == []
    assert heard.changed == []


@pytest.mark.parametrize(
    ("act", "kind", "windows_opened", "what_changed"),
    [
        (
            lambda meeting, alice: reschedule(
                meeting, Slot(local_time(4, 8), local_time(4, 9)), alice
            ),
            ChangeKind.RESCHEDULED,
            True,
            lambda meeting, sites: {
                "previous_slots": (
                    (meeting.pk, iso(meeting.conference.start), iso(meeting.conference.end)),
                )
            },
        ),
        (
            lambda meeting, alice: change_sites(
                meeting, SiteSelection(sites=("T01", "T02")), "T01", alice
            ),
            ChangeKind.SITES_CHANGED,
            False,
            lambda meeting, sites: {"sites_added": (sites["T02"].pk,)},
        ),
        (
            lambda meeting, alice: cancel(meeting, "Hoãn", alice),
            ChangeKind.CANCELLED,
            False,
            lambda meeting, sites: {},
        ),
    ],
    ids=["reschedule", "change_sites", "cancel"],
)
def test_each_change_of_a_meeting_is_announced_once_after_the_commit(
    alice,
    sites,
    bridge,
    heard,
    django_capture_on_commit_callbacks,
    act,
    kind,
    windows_opened,
    what_changed,
):
    meeting = book_one(alice, bridge)
    heard.changing.clear()
    before = what_changed(meeting, sites)

    with django_capture_on_commit_callbacks(execute=True):
        changed = act(meeting, alice)

    expected = MeetingChange(
        kind=kind,
        meeting_ids=(meeting.pk,),
        series_id=None,
        opened_windows=windows([changed]) if windows_opened else (),
        **before,
    )
    assert heard.changing == [expected]
    assert heard.changed == [expected]


def test_booking_a_series_is_one_event_for_every_occurrence(
    alice, sites, bridge, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = book_daily(alice, bridge)

    expected = MeetingChange(
        kind=ChangeKind.SERIES_BOOKED,
        meeting_ids=tuple(meeting.pk for meeting in outcome.booked),
        series_id=outcome.series.pk,
        opened_windows=windows(outcome.booked),
    )
    assert heard.changing == [expected]
    assert heard.changed == [expected]


def test_moving_following_occurrences_is_one_event(
    alice, sites, bridge, heard, django_capture_on_commit_callbacks
):
    first = book_daily(alice, bridge).booked[0]
    heard.changing.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moved = reschedule_following(
            first, Slot(first.conference.start + HOUR, first.conference.end + HOUR), alice
        )

    assert [change.meeting_ids for change in heard.changed] == [
        tuple(meeting.pk for meeting in moved)
    ]
    assert heard.changed[0].kind == ChangeKind.RESCHEDULED
    assert heard.changed[0].opened_windows == windows(moved)
    assert [pk for pk, _start, _end in heard.changed[0].previous_slots] == [
        meeting.pk for meeting in moved
    ]
    assert heard.changing == heard.changed


def test_cancelling_following_occurrences_is_one_event(
    alice, sites, bridge, heard, django_capture_on_commit_callbacks
):
    outcome = book_daily(alice, bridge)
    heard.changing.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_following(outcome.booked[1], "Hoãn", alice)

    expected = MeetingChange(
        kind=ChangeKind.CANCELLED,
        meeting_ids=tuple(meeting.pk for meeting in outcome.booked[1:]),
        series_id=outcome.series.pk,
    )
    assert heard.changing == [expected]
    assert heard.changed == [expected]


# -- Subscribers -----------------------------------------------------------------------------


def test_a_failing_listener_neither_fails_the_action_nor_keeps_the_others_from_hearing(
    alice, sites, bridge, django_capture_on_commit_callbacks, caplog
):
    def broken(sender: type, change: MeetingChange, **kwargs: object) -> None:
        raise RuntimeError("the queue cannot be written")

    later = Heard()
    meeting_changed.connect(broken)
    meeting_changed.connect(later.on_changed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            meeting = book_one(alice, bridge)
    finally:
        meeting_changed.disconnect(broken)
        meeting_changed.disconnect(later.on_changed)

    assert [change.meeting_ids for change in later.changed] == [(meeting.pk,)]
    assert "the queue cannot be written" in caplog.text


def test_calendar_raises_the_feeds_generation_when_a_meeting_is_changing(db):
    before = generation()

    meeting_changing.send(
        sender=MeetingChange, change=MeetingChange(kind=ChangeKind.CANCELLED, meeting_ids=(1,))
    )

    assert generation() == before + 1


def test_calendar_enqueues_one_invitation_per_change(alice, sites, bridge):
    meeting = book_one(alice, bridge, days=10)  # in the test's transaction: no task yet
    series = book_daily(alice, bridge).series

    meeting_changed.send(
        sender=MeetingChange,
        change=MeetingChange(kind=ChangeKind.BOOKED, meeting_ids=(meeting.pk,)),
    )
    meeting_changed.send(
        sender=MeetingChange,
        change=MeetingChange(kind=ChangeKind.SERIES_BOOKED, meeting_ids=(), series_id=series.pk),
    )

    rows = DBTaskResult.objects.filter(task_path=INVITATIONS).order_by("enqueued_at")
    assert [row.args_kwargs["args"] for row in rows] == [
        ["meeting", meeting.pk, 0],
        ["series", series.pk, 0],
    ]


def test_readiness_notice_enqueues_one_notice_per_opened_window(alice, sites, bridge):
    meeting = book_one(alice, bridge)
    (conference_id, opens_at) = windows([meeting])[0]

    meeting_changed.send(
        sender=MeetingChange,
        change=MeetingChange(
            kind=ChangeKind.RESCHEDULED,
            meeting_ids=(meeting.pk,),
            opened_windows=((conference_id, opens_at),),
        ),
    )
    meeting_changed.send(
        sender=MeetingChange,
        change=MeetingChange(kind=ChangeKind.CANCELLED, meeting_ids=(meeting.pk,)),
    )

    (row,) = DBTaskResult.objects.filter(task_path=NOTICE)
    assert row.args_kwargs["args"] == [conference_id, opens_at]
    assert row.run_after == meeting.conference.reserved_from
