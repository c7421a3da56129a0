"""The e-mail that tells each site's technicians the readiness window is open.

Booking enqueues a deferred task with run_after = the window's opening; moving the
session enqueues a new one and the old one, when it runs, sends nothing. The tests
run the real database worker (`db_worker --batch`), which runs what is due now:
sessions booked relative to the real clock (window already open) are sent, sessions
next week are not.
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from meetings.booking import Slot, cancel, reschedule
from meetings.models import Classification
from meetings.readiness.notice import send_readiness_notice
from meetings.series import book_series, reschedule_following
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    open_session,
    serve,
    site_tree,
)
from tests.worker import run_worker

# The worker needs committed tasks and runs its own transactions.
with_worker = pytest.mark.django_db(transaction=True)

TASK_PATH = "meetings.readiness.notice.send_readiness_notice"
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def notices() -> list[tuple]:
    """(run_after, conference id, window opening it was sent for, status, return value)."""
    rows = (
        DBTaskResult.objects.filter(task_path=TASK_PATH)
        .order_by("enqueued_at")
        .values_list("run_after", "args_kwargs", "status", "return_value")
    )
    return [
        (run_after, args["args"][0], datetime.fromisoformat(args["args"][1]), status, value)
        for run_after, args, status, value in rows
    ]


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def technicians(sites, bob, dung):
    """bob serves T01 and X0101, dung X0102, erin (no e-mail) T02, frank X0201 only."""
    erin = UserFactory(username="erin", email="", roles=[Role.TECHNICIAN])
    frank = UserFactory(username="frank", roles=[Role.TECHNICIAN])
    serve(bob, "T01", "X0101")
    serve(dung, "X0102")
    serve(erin, "T02")
    serve(frank, "X0201")  # a site the sessions below do not include
    return {"bob": bob, "dung": dung, "erin": erin, "frank": frank}


@pytest.fixture
def dung(db):
    return UserFactory(username="dung", roles=[Role.TECHNICIAN])


def session_now(alice, **request):
    """Starts in 30 minutes with a 60-minute setup window: the notice is due already."""
    return open_session(alice, sites=("T01", "X0101", "X0102", "T02"), host_code="T01", **request)


# -- Enqueued at booking, again at every move ----------------------------------------------------


def test_booking_enqueues_the_notice_for_the_window_opening(
    sites, alice, django_capture_on_commit_callbacks
):
    start = local_time(7, 8)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = booked(alice, slot__start=start, slot__setup_minutes=45)

    opens = start - timedelta(minutes=45)
    assert notices() == [(opens, meeting.conference_id, opens, "READY", None)]


def test_reschedule_enqueues_a_new_notice_for_the_new_window(
    sites, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = booked(alice, slot__start=local_time(7, 8))
    first = notices()
    later = local_time(7, 11)

    with django_capture_on_commit_callbacks(execute=True):
        reschedule(meeting, Slot(later, later + 2 * HOUR, 30), alice)

    opens = later - timedelta(minutes=30)
    assert notices() == [*first, (opens, meeting.conference_id, opens, "READY", None)]


def test_moving_a_series_enqueues_a_notice_per_moved_occurrence(
    sites, alice, django_capture_on_commit_callbacks
):
    request = BookingRequestFactory(bridge_id=BridgeFactory().pk, slot__start=local_time(3, 8))
    with django_capture_on_commit_callbacks(execute=True):
        occurrences = book_series(request, "FREQ=DAILY;COUNT=3", alice).booked
    second = occurrences[1].conference.start

    with django_capture_on_commit_callbacks(execute=True):
        reschedule_following(occurrences[1], Slot(second + HOUR, second + 3 * HOUR, 60), alice)

    first, third = occurrences[0].conference_id, occurrences[2].conference_id
    moved = occurrences[1].conference_id
    assert [(conference, opens) for _run_after, conference, opens, *_ in notices()] == [
        (first, second - DAY - HOUR),
        (moved, second - HOUR),
        (third, second + DAY - HOUR),
        (moved, second),  # one hour later, setup 60 minutes
        (third, second + DAY),
    ]
    assert all(run_after == opens for run_after, _conference, opens, *_ in notices())


# -- Sent by the worker once the window is open --------------------------------------------------


@with_worker
def test_worker_emails_each_technician_once_when_the_window_opens(technicians, alice, mailoutbox):
    meeting = session_now(alice, details__title="Giao ban trực tuyến quý IV")

    run_worker()

    assert [message.to for message in mailoutbox] == [["bob@example.vn"], ["dung@example.vn"]]
    start = timezone.localtime(meeting.conference.start).strftime("%d/%m/%Y %H:%M")
    assert {message.subject for message in mailoutbox} == {
        f"Mở kiểm tra kỹ thuật: Giao ban trực tuyến quý IV lúc {start}"
    }
    assert "Phiên họp: Giao ban trực tuyến quý IV" in mailoutbox[0].body
    assert [(status, value) for *_when, status, value in notices()] == [("SUCCESSFUL", 2)]


@with_worker
def test_notice_shows_a_title_with_markup_characters_as_typed(technicians, alice, mailoutbox):
    session_now(alice, details__title="""Giao ban "Q&A" <tỉnh> 'quý IV'""")

    run_worker()

    message = mailoutbox[0]
    assert message.subject.startswith(
        """Mở kiểm tra kỹ thuật: Giao ban "Q&A" <tỉnh> 'quý IV' lúc """
    )
    assert """Phiên họp: Giao ban "Q&A" <tỉnh> 'quý IV'""" in message.body
    assert "&amp;" not in message.body + message.subject
    assert "&#x27;" not in message.body + message.subject


@with_worker
def test_worker_does_not_send_before_the_window_opens(technicians, alice, mailoutbox):
    session_now(alice, starts_in=3 * HOUR)  # its window opens in two hours

    run_worker()

    assert mailoutbox == []
    assert [status for *_when, status, _value in notices()] == ["READY"]


@with_worker
def test_confidential_title_is_not_in_the_notice(technicians, alice, mailoutbox):
    session_now(
        alice,
        details__title="Phương án nhân sự",
        details__classification=Classification.CONFIDENTIAL,
    )

    run_worker()

    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "Phương án nhân sự" not in message.subject
        assert "Phương án nhân sự" not in message.body
        assert message.subject.startswith("Mở kiểm tra kỹ thuật: phiên họp mật lúc ")
        assert "Phiên họp: phiên họp mật" in message.body


@with_worker
def test_cancelled_session_sends_nothing(technicians, alice, mailoutbox):
    meeting = session_now(alice)
    cancel(meeting, "Hoãn", alice)

    run_worker()

    assert mailoutbox == []
    assert [(status, value) for *_when, status, value in notices()] == [("SUCCESSFUL", 0)]


@with_worker
def test_notice_of_a_moved_session_sends_nothing_and_the_new_one_is_sent(
    technicians, alice, mailoutbox
):
    meeting = session_now(alice)
    later = meeting.conference.start + 10 * timedelta(minutes=1)
    # Still within the hour: both windows have opened, both notices are due.
    reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)

    run_worker()

    assert [message.to for message in mailoutbox] == [["bob@example.vn"], ["dung@example.vn"]]
    assert sorted(value for *_when, _status, value in notices()) == [0, 2]


def test_stale_notice_run_by_hand_sends_nothing(technicians, alice, mailoutbox):
    meeting = session_now(alice)
    opened = meeting.conference.reserved_from
    later = meeting.conference.start + 2 * HOUR
    reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)

    sent = send_readiness_notice.call(meeting.conference_id, opened.isoformat())

    assert sent == 0
    assert mailoutbox == []
