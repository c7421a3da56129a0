"""Bookings racing for one site, each on its own database connection (threads).

PostgreSQL: bookings on one bridge queue on its row lock, so the check sees the
winner; bookings on different bridges can all pass the check, and the exclusion
constraint then lets one write win and the others are refused (`refuse_race`).
SQLite: BEGIN IMMEDIATE lets one booking transaction write at a time, so every
check sees the winner. Either way: exactly one booking, every other caller gets
a BookingConflict, never an IntegrityError.
"""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction

from audit.models import AuditEntry
from conferencing.models import Conference, Leg
from meetings import booking, series
from meetings.booking import BookingConflict, Slot, book
from meetings.models import Meeting
from meetings.series import SeriesConflict, book_series, reschedule_following
from tests.factories import BookingRequestFactory, BridgeFactory, local_time, site_tree

THREADS = 20
WAIT_S = 60
POSTGRESQL = connection.vendor == "postgresql"
ONLY_POSTGRESQL = pytest.mark.skipif(
    not POSTGRESQL,
    reason="PostgreSQL only: the exclusion constraint does not exist on SQLite, where "
    "BEGIN IMMEDIATE lets no second booking check before the first commits",
)
ONLY_SQLITE = pytest.mark.skipif(
    POSTGRESQL,
    reason="SQLite only: PostgreSQL runs concurrent checks and relies on the exclusion "
    "constraint instead of one write lock",
)

# Threads need committed data, hence transaction=True.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sites(db):
    return site_tree(provinces=1, communes=1)


@pytest.fixture
def room_for_every_thread():
    """Django's PostgreSQL pool holds 10 connections by default: make room for all
    threads at once, so none waits for a connection instead of for the database."""
    pool = connection.pool if POSTGRESQL else None
    if pool is None:
        yield
        return
    sizes = (pool.min_size, pool.max_size)
    pool.resize(sizes[0], max(sizes[1], THREADS + 5))
    yield
    pool.resize(*sizes)


def run_in_thread(action: Callable, outcomes: list, index: int, start: threading.Barrier | None):
    """Run `action` on this thread's own connection; keep its result or exception."""
    try:
        if start is not None:
            start.wait(timeout=WAIT_S)
        outcomes[index] = action()
    except BaseException as error:  # the test inspects it; a thread must not swallow it
        outcomes[index] = error
    finally:
        connection.close()


def all_at_once(actions: list[Callable]) -> list:
    outcomes: list = [None] * len(actions)
    start = threading.Barrier(len(actions))
    threads = [
        threading.Thread(target=run_in_thread, args=(action, outcomes, index, start))
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_S)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def kinds(outcomes: list) -> list[str]:
    return sorted(type(outcome).__name__ for outcome in outcomes)


def overlapping_requests(bridges, start) -> list:
    """One request per bridge, each a minute later than the last: all overlap."""
    return [
        BookingRequestFactory(
            bridge_id=bridge.pk, slot__start=start + timedelta(minutes=index), host_code="T01"
        )
        for index, bridge in enumerate(bridges)
    ]


def assert_one_booking_and_conflicts_naming_it(outcomes: list) -> None:
    assert kinds(outcomes) == ["BookingConflict"] * (THREADS - 1) + ["Meeting"]
    [winner] = [outcome for outcome in outcomes if isinstance(outcome, Meeting)]
    conflicts = [outcome for outcome in outcomes if isinstance(outcome, BookingConflict)]
    assert {
        (conflict.site, conflict.meeting_id)
        for refused in conflicts
        for conflict in refused.report.sites
    } == {("T01", winner.pk)}
    assert (
        Conference.objects.count(),
        Leg.objects.filter(is_reserved=True).count(),
        Meeting.objects.count(),
        AuditEntry.objects.filter(action="meeting.booked").count(),
    ) == (1, 1, 1, 1)


def test_twenty_bookings_of_one_site_on_one_bridge_at_once_exactly_one_wins(
    alice, sites, room_for_every_thread
):
    bridge = BridgeFactory(name="MCU chung")
    requests = overlapping_requests([bridge] * THREADS, local_time(7, 8))

    outcomes = all_at_once([lambda request=request: book(request, alice) for request in requests])

    assert_one_booking_and_conflicts_naming_it(outcomes)


def test_twenty_bookings_of_one_site_on_twenty_bridges_at_once_exactly_one_wins(
    alice, sites, room_for_every_thread
):
    bridges = [BridgeFactory(name=f"MCU {index}") for index in range(THREADS)]
    requests = overlapping_requests(bridges, local_time(7, 8))

    outcomes = all_at_once([lambda request=request: book(request, alice) for request in requests])

    assert_one_booking_and_conflicts_naming_it(outcomes)


@pytest.fixture
def races_seen(monkeypatch) -> list:
    """Every IntegrityError booking turned into a conflict (PostgreSQL's constraint fired)."""
    seen = []
    original = booking.refuse_race

    def spy(plan, user, error, exclude_conference_id=None):
        seen.append(getattr(error.__cause__, "sqlstate", None))
        return original(plan, user, error, exclude_conference_id)

    monkeypatch.setattr(booking, "refuse_race", spy)
    monkeypatch.setattr(series, "refuse_race", spy)
    return seen


@ONLY_POSTGRESQL
def test_on_postgresql_the_exclusion_constraint_refuses_the_race_the_check_missed(
    alice, sites, monkeypatch, races_seen
):
    """Both bookings pass the check (different bridges, so no shared row lock)
    before either writes; the constraint lets one write win.

    The second writes once the first has written: writing the same site at the very
    same moment, each would wait for the other's uncommitted row (a deadlock, the
    next test), not meet the constraint."""
    checked = threading.Barrier(2)
    first = threading.Lock()
    first_written = threading.Event()
    create_conference = booking.create_conference

    def create_after_both_checked(plan):
        checked.wait(timeout=WAIT_S)
        if not first.acquire(blocking=False):
            first_written.wait(timeout=WAIT_S)
        conference = create_conference(plan)
        first_written.set()
        return conference

    monkeypatch.setattr(booking, "create_conference", create_after_both_checked)
    bridges = [BridgeFactory(name="MCU A"), BridgeFactory(name="MCU B")]
    requests = overlapping_requests(bridges, local_time(7, 8))

    outcomes = all_at_once([lambda request=request: book(request, alice) for request in requests])

    assert kinds(outcomes) == ["BookingConflict", "Meeting"]
    assert races_seen == ["23P01"]
    [winner] = [outcome for outcome in outcomes if isinstance(outcome, Meeting)]
    [loser] = [outcome for outcome in outcomes if isinstance(outcome, BookingConflict)]
    assert [(c.site, c.meeting_id) for c in loser.report.sites] == [("T01", winner.pk)]
    assert Leg.objects.filter(is_reserved=True).count() == 1


class Deadlock(Exception):
    """What psycopg raises when PostgreSQL aborts a transaction to break a deadlock."""

    sqlstate = booking.DEADLOCK_DETECTED


def aborted_once(action: Callable, error: Exception) -> Callable:
    """`action`, failing with `error` the first time, as the database would mid-write."""
    calls = []

    def run(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return action(*args, **kwargs)

    return run


def deadlock_error() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = Deadlock()
    return error


def test_a_booking_aborted_to_break_a_deadlock_runs_again(alice, sites, monkeypatch):
    """Two bookings writing the same site at the very same moment can deadlock on
    PostgreSQL's exclusion constraint; the one aborted must not fail with an error.
    (A fault the tests cannot cause on demand: injected where the legs are written.)"""
    monkeypatch.setattr(
        booking, "create_conference", aborted_once(booking.create_conference, deadlock_error())
    )
    [request] = overlapping_requests([BridgeFactory()], local_time(7, 8))

    meeting = book(request, alice)

    assert Meeting.objects.get() == meeting
    assert AuditEntry.objects.filter(action="meeting.booked").count() == 1
    assert Leg.objects.filter(is_reserved=True).count() == 1


def test_another_database_error_is_not_run_again(alice, sites, monkeypatch):
    monkeypatch.setattr(
        booking,
        "create_conference",
        aborted_once(booking.create_conference, OperationalError("server closed the connection")),
    )
    [request] = overlapping_requests([BridgeFactory()], local_time(7, 8))

    with pytest.raises(OperationalError):
        book(request, alice)

    assert Meeting.objects.count() == 0
    assert Leg.objects.count() == 0


class Held:
    """A booking made in a transaction that stays open until `release()`."""

    def __init__(self, action: Callable) -> None:
        self.booked = threading.Event()
        self.released = threading.Event()
        self.outcome: list = [None]
        self.thread = threading.Thread(
            target=run_in_thread, args=(self.hold(action), self.outcome, 0, None)
        )

    def hold(self, action: Callable) -> Callable:
        def run():
            with transaction.atomic():
                result = action()
                self.booked.set()
                assert self.released.wait(timeout=WAIT_S)
            return result

        return run

    def __enter__(self) -> "Held":
        self.thread.start()
        assert self.booked.wait(timeout=WAIT_S)
        return self

    def release(self) -> None:
        self.released.set()
        self.thread.join(timeout=WAIT_S)

    def __exit__(self, *exc) -> None:
        self.release()


def contend(action: Callable) -> tuple[threading.Thread, list]:
    outcome: list = [None]
    thread = threading.Thread(target=run_in_thread, args=(action, outcome, 0, None))
    thread.start()
    return thread, outcome


def test_booking_overlapping_an_uncommitted_one_waits_for_it_then_is_refused(
    alice, sites, races_seen
):
    start = local_time(7, 8)
    first, second = overlapping_requests(
        [BridgeFactory(name="MCU A"), BridgeFactory(name="MCU B")], start
    )

    with Held(lambda: book(first, alice)) as held:
        thread, outcome = contend(lambda: book(second, alice))
        thread.join(timeout=1.0)
        waited = thread.is_alive()
        held.release()
        thread.join(timeout=WAIT_S)

    assert waited is True
    assert isinstance(outcome[0], BookingConflict)
    assert [c.meeting_id for c in outcome[0].report.sites] == [held.outcome[0].pk]
    # PostgreSQL: the check ran before the holder committed; the constraint refused.
    # SQLite: the check ran after (BEGIN IMMEDIATE waited) and refused by itself.
    assert races_seen == (["23P01"] if POSTGRESQL else [])


@ONLY_SQLITE
def test_on_sqlite_a_second_booking_waits_for_the_write_lock_then_its_check_refuses(
    alice, sites, races_seen
):
    first, second = overlapping_requests(
        [BridgeFactory(name="MCU A"), BridgeFactory(name="MCU B")], local_time(7, 8)
    )

    with Held(lambda: book(first, alice)):
        thread, outcome = contend(lambda: book(second, alice))
        thread.join(timeout=1.0)
        assert thread.is_alive()

    thread.join(timeout=WAIT_S)
    assert (type(outcome[0]), races_seen) == (BookingConflict, [])
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_series_booked_against_an_uncommitted_booking_reports_the_occurrence(
    alice, sites, races_seen
):
    start = local_time(7, 8)
    other, series_bridge = BridgeFactory(name="MCU A"), BridgeFactory(name="MCU B")
    blocking = BookingRequestFactory(bridge_id=other.pk, slot__start=start + timedelta(days=2))
    request = BookingRequestFactory(bridge_id=series_bridge.pk, slot__start=start)

    with Held(lambda: book(blocking, alice)) as held:
        thread, outcome = contend(lambda: book_series(request, "FREQ=DAILY;COUNT=4", alice))
        thread.join(timeout=1.0)

    thread.join(timeout=WAIT_S)
    assert isinstance(outcome[0], SeriesConflict)
    [(slot, report)] = outcome[0].conflicts
    assert slot.start == start + timedelta(days=2)
    assert [c.meeting_id for c in report.sites] == [held.outcome[0].pk]
    assert Meeting.objects.count() == 1
    assert races_seen == (["23P01"] * 4 if POSTGRESQL else [])


def test_series_moved_onto_an_uncommitted_booking_reports_the_occurrence(alice, sites, races_seen):
    start = local_time(7, 8)
    other, series_bridge = BridgeFactory(name="MCU A"), BridgeFactory(name="MCU B")
    occurrences = book_series(
        BookingRequestFactory(bridge_id=series_bridge.pk, slot__start=start),
        "FREQ=DAILY;COUNT=3",
        alice,
    ).booked
    later = start + timedelta(hours=6)
    blocking = BookingRequestFactory(bridge_id=other.pk, slot__start=later + timedelta(days=1))

    with Held(lambda: book(blocking, alice)) as held:
        thread, outcome = contend(
            lambda: reschedule_following(
                occurrences[0], Slot(later, later + timedelta(hours=2), 60), alice
            )
        )
        thread.join(timeout=1.0)

    thread.join(timeout=WAIT_S)
    assert isinstance(outcome[0], SeriesConflict)
    [(slot, report)] = outcome[0].conflicts
    assert slot.start == later + timedelta(days=1)
    assert [c.meeting_id for c in report.sites] == [held.outcome[0].pk]
    assert sorted(Meeting.objects.values_list("sequence", flat=True)) == [0, 0, 0, 0]
    assert races_seen == (["23P01"] * 3 if POSTGRESQL else [])


def test_the_centre_and_a_province_racing_for_one_of_its_sites_book_it_once(
    alice, sites, room_for_every_thread
):
    """Each office on its own bridge, the scope checked in every booking: one wins, and
    every loser's conflict names the winner, whichever office booked it (it touches both
    jurisdictions and is not confidential)."""
    from accounts.roles import Role
    from tests.factories import UserFactory, office_of

    lan = UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[])
    hanoi = office_of(sites["T01"], "VP-HN", lan)
    centre_bridges = [BridgeFactory(name=f"MCU TW {index}") for index in range(THREADS // 2)]
    hanoi_bridges = [
        BridgeFactory(name=f"MCU HN {index}", owner=hanoi) for index in range(THREADS // 2)
    ]
    requests = overlapping_requests(centre_bridges + hanoi_bridges, local_time(7, 8))
    bookers = [alice] * (THREADS // 2) + [lan] * (THREADS // 2)

    outcomes = all_at_once(
        [
            lambda request=request, user=user: book(request, user)
            for request, user in zip(requests, bookers, strict=True)
        ]
    )

    assert_one_booking_and_conflicts_naming_it(outcomes)
