"""The readiness state machine and the reports that drive it (conferencing.readiness).

The `session` fixture (conftest) starts in 30 minutes with a 60-minute setup window;
`now` is passed explicitly where the moment matters, so no clock is frozen.
"""

import asyncio
import socket
import threading
import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone, translation

from audit.models import AuditEntry
from conferencing.models import Bridge, Conference, Leg, ReadinessEvent
from conferencing.readiness import (
    Outcome,
    ReadinessRefused,
    Report,
    submit_report,
    submit_reports,
)
from conferencing.readiness_broadcast import ANNOUNCE_TIMEOUT_SECONDS, board_group
from meetings.booking import Slot, cancel, reschedule
from tests.conferencing.conftest import memory_layer, redis_layer
from tests.fixtures.services import free_ports

ALL_OK = {"audio": True, "video": True, "network": True, "display": True}
MINUTE = timedelta(minutes=1)
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def conference(session) -> Conference:
    return session.conference


def walk(leg: int, user, states: list[str], now=None) -> list[Outcome]:
    return [
        submit_report(Report(leg_id=leg, state=state, checklist=ALL_OK), user, now)
        for state in states
    ]


def refusal(report: Report, user, now=None) -> tuple[str, str]:
    with pytest.raises(ReadinessRefused) as refused:
        submit_report(report, user, now)
    return refused.value.code, refused.value.message


def history(leg: int) -> list[tuple]:
    return list(
        ReadinessEvent.objects.filter(leg_id=leg)
        .order_by("seq")
        .values_list("seq", "from_state", "to_state")
    )


def seq_of(conference: Conference) -> int:
    return Conference.objects.values_list("readiness_seq", flat=True).get(pk=conference.pk)


# -- A report: the event, the leg, the sequence ----------------------------------------------


def test_report_appends_an_event_and_updates_the_leg(session, legs, bob, conference):
    now = timezone.now()
    report = Report(
        leg_id=legs["T01"],
        state="checking",
        checklist={"audio": True, "video": False},
        people_present=14,
        note="Phòng họp tầng 3",
        client_id="c-1",
    )

    outcome = submit_report(report, bob, now)

    event = ReadinessEvent.objects.get()
    assert outcome == Outcome(event=event, replayed=False)
    assert (
        event.leg_id,
        event.seq,
        event.actor,
        event.at,
        event.from_state,
        event.to_state,
        event.checklist,
        event.people_present,
        event.note,
        event.client_id,
    ) == (
        legs["T01"],
        1,
        bob,
        now,
        "pending",
        "checking",
        {"audio": True, "video": False},
        14,
        "Phòng họp tầng 3",
        "c-1",
    )
    leg = Leg.objects.get(pk=legs["T01"])
    assert (
        leg.state,
        leg.state_seq,
        leg.state_changed_at,
        leg.checklist,
        leg.people_present,
        leg.note,
    ) == ("checking", 1, now, {"audio": True, "video": False}, 14, "Phòng họp tầng 3")
    assert seq_of(conference) == 1


def test_each_transition_leaves_an_audit_entry(session, legs, bob):
    walk(legs["T01"], bob, ["checking", "ready"])

    assert list(
        AuditEntry.objects.filter(action="readiness.report")
        .order_by("id")
        .values_list("actor__username", "action", "target_type", "target_id", "changes")
    ) == [
        ("bob", "readiness.report", "conferencing.leg", str(legs["T01"]), entry)
        for entry in (
            {"from": "pending", "to": "checking", "seq": 1},
            {"from": "checking", "to": "ready", "seq": 2},
        )
    ]


def test_reports_of_a_conference_share_one_rising_sequence(session, legs, bob, dung, conference):
    submit_report(Report(leg_id=legs["T01"], state="checking"), bob)
    submit_report(Report(leg_id=legs["X0102"], state="checking"), dung)
    submit_report(Report(leg_id=legs["T01"], state="ready", checklist=ALL_OK), bob)

    assert list(
        ReadinessEvent.objects.order_by("seq").values_list("seq", "leg__endpoint__code")
    ) == [(1, "T01"), (2, "X0102"), (3, "T01")]
    assert dict(Leg.objects.filter(state_seq__gt=0).values_list("endpoint__code", "state_seq")) == {
        "T01": 3,
        "X0102": 2,
    }
    assert seq_of(conference) == 3


def test_a_later_report_replaces_checklist_people_and_note(session, legs, bob):
    leg = legs["T01"]
    submit_report(Report(leg, "checking", {"audio": False}, 3, "no sound"), bob)

    submit_report(Report(leg, "ready", ALL_OK, 12, ""), bob)

    stored = Leg.objects.values_list("state", "checklist", "people_present", "note").get(pk=leg)
    assert stored == ("ready", ALL_OK, 12, "")


# -- The state machine ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "states",
    [
        ["checking", "ready"],
        ["checking", "problem"],
        ["checking", "problem", "checking", "ready"],
        ["checking", "ready", "checking", "ready"],
        ["checking", "ready", "problem", "checking"],
    ],
    ids=lambda states: "-".join(states),
)
def test_before_the_session_the_pre_session_states_follow_each_other(session, legs, bob, states):
    walk(legs["T01"], bob, states)

    froms = ["pending", *states[:-1]]
    assert history(legs["T01"]) == [
        (number, before, after)
        for number, (before, after) in enumerate(zip(froms, states, strict=True), start=1)
    ]
    assert Leg.objects.get(pk=legs["T01"]).state == states[-1]


@pytest.mark.parametrize(
    ("before", "wanted"),
    [
        ([], "ready"),
        ([], "problem"),
        (["checking"], "checking"),
        (["checking", "ready"], "ready"),
        (["checking", "problem"], "ready"),
        (["checking", "problem"], "problem"),
    ],
    ids=[
        "pending-ready",
        "pending-problem",
        "checking-checking",
        "ready-ready",
        "problem-ready",
        "problem-problem",
    ],
)
def test_illegal_transition_is_refused_and_changes_nothing(
    session, legs, bob, conference, before, wanted
):
    walk(legs["T01"], bob, before)
    events_before = history(legs["T01"])

    code, _message = refusal(Report(leg_id=legs["T01"], state=wanted, checklist=ALL_OK), bob)

    assert code == "illegal_transition"
    assert history(legs["T01"]) == events_before
    assert Leg.objects.get(pk=legs["T01"]).state == (before[-1] if before else "pending")
    assert seq_of(conference) == len(before)


def test_illegal_transition_names_both_states(session, legs, bob):
    refused = refusal(Report(leg_id=legs["T01"], state="ready", checklist=ALL_OK), bob)

    assert refused == ("illegal_transition", "A site cannot go from “Not reported” to “Ready”.")


@pytest.mark.parametrize("wanted", ["connected", "disconnected"])
def test_in_session_states_are_refused_before_the_start(session, legs, bob, wanted):
    refused = refusal(Report(leg_id=legs["T01"], state=wanted), bob)

    assert refused == (
        "illegal_transition",
        "A site can report connected or disconnected only while the session runs.",
    )


@pytest.mark.parametrize(
    "before", [[], ["checking"], ["checking", "ready"], ["checking", "problem"]]
)
def test_once_the_session_runs_any_pre_session_state_may_connect(
    session, legs, bob, conference, before
):
    walk(legs["T01"], bob, before, now=conference.start - MINUTE)

    walk(legs["T01"], bob, ["connected"], now=conference.start + MINUTE)

    assert history(legs["T01"])[-1][1:] == (before[-1] if before else "pending", "connected")


def test_while_the_session_runs_a_site_drops_reconnects_and_recovers(
    session, legs, bob, conference
):
    during = conference.start + 5 * MINUTE

    walk(legs["T01"], bob, ["connected", "disconnected", "connected", "disconnected"], during)
    walk(legs["T01"], bob, ["problem", "checking", "ready", "connected"], during)

    assert [to for _seq, _from, to in history(legs["T01"])] == [
        "connected",
        "disconnected",
        "connected",
        "disconnected",
        "problem",
        "checking",
        "ready",
        "connected",
    ]


@pytest.mark.parametrize(
    ("before", "wanted"),
    [
        (["connected"], "problem"),
        (["connected"], "ready"),
        (["connected"], "connected"),
        (["connected", "disconnected"], "ready"),
        ([], "disconnected"),
        (["checking"], "disconnected"),
    ],
    ids=[
        "connected-problem",
        "connected-ready",
        "connected-connected",
        "disconnected-ready",
        "pending-disconnected",
        "checking-disconnected",
    ],
)
def test_illegal_transition_while_the_session_runs_is_refused(
    session, legs, bob, conference, before, wanted
):
    during = conference.start + MINUTE
    walk(legs["T01"], bob, before, during)

    code, _message = refusal(Report(legs["T01"], wanted, ALL_OK), bob, during)

    assert code == "illegal_transition"
    assert len(history(legs["T01"])) == len(before)


# -- The readiness window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (lambda c: c.reserved_from - timedelta(microseconds=1), False),
        (lambda c: c.reserved_from, True),
        (lambda c: c.start, True),
        (lambda c: c.end - timedelta(microseconds=1), True),
        (lambda c: c.end, False),
        (lambda c: c.end + timedelta(hours=1), False),
    ],
    ids=["before-window", "window-opens", "start", "last-moment", "end", "after-end"],
)
def test_reports_are_accepted_from_the_window_opening_until_the_end(
    session, legs, bob, conference, moment, accepted
):
    now = moment(conference)

    if accepted:
        outcome = submit_report(Report(leg_id=legs["T01"], state="checking"), bob, now)
        assert outcome.event.at == now
    else:
        refused = refusal(Report(leg_id=legs["T01"], state="checking"), bob, now)
        assert refused == (
            "outside_window",
            "Reports are accepted from the start of the setup window until the session ends.",
        )
    assert ReadinessEvent.objects.count() == (1 if accepted else 0)


def test_report_for_a_cancelled_session_is_refused(session, legs, alice, bob):
    cancel(session, "Hoãn họp", alice)

    refused = refusal(Report(leg_id=legs["T01"], state="checking"), bob)

    assert refused == ("not_found", "This site is not in that session.")
    assert ReadinessEvent.objects.count() == 0


def test_report_follows_a_rescheduled_window(session, legs, alice, bob, conference):
    later = conference.start + timedelta(hours=3)
    reschedule(session, Slot(later, later + timedelta(hours=2), 60), alice)

    refused = refusal(Report(leg_id=legs["T01"], state="checking"), bob)
    accepted = submit_report(Report(leg_id=legs["T01"], state="checking"), bob, later - MINUTE)

    assert refused[0] == "outside_window"
    assert accepted.replayed is False


# -- Who may report ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "site"),
    [("bob", "T02"), ("bob", "X0102"), ("dung", "T01"), ("alice", "T01"), ("mallory", "T01")],
)
def test_only_a_technician_of_the_site_may_report(request, session, legs, persona, site):
    user = request.getfixturevalue(persona)

    refused = refusal(Report(leg_id=legs[site], state="checking"), user)

    assert refused == ("not_found", "This site is not in that session.")
    assert ReadinessEvent.objects.count() == 0


def test_technician_of_several_sites_reports_for_each(session, legs, bob):
    submit_report(Report(leg_id=legs["T01"], state="checking"), bob)
    submit_report(Report(leg_id=legs["X0101"], state="checking"), bob)

    assert list(
        ReadinessEvent.objects.order_by("seq").values_list("leg__endpoint__code", "actor")
    ) == [("T01", bob.pk), ("X0101", bob.pk)]


def test_report_for_a_leg_that_does_not_exist_is_not_found(session, legs, bob):
    refused = refusal(Report(leg_id=max(legs.values()) + 100, state="checking"), bob)

    assert refused == ("not_found", "This site is not in that session.")


# -- What a report may carry ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "asleep"},
        {"state": "pending"},
        {"state": "checking", "checklist": {"smell": True}},
        {"state": "checking", "checklist": {"audio": "ok"}},
        {"state": "checking", "checklist": {"audio": 1}},
        {"state": "checking", "people_present": -1},
        {"state": "checking", "people_present": 10_001},
        {"state": "checking", "note": "n" * 501},
        {"state": "checking", "client_id": "c" * 65},
    ],
    ids=[
        "unknown-state",
        "pending",
        "unknown-item",
        "text-item",
        "number-item",
        "negative-people",
        "too-many-people",
        "long-note",
        "long-client-id",
    ],
)
def test_report_that_does_not_fit_is_invalid(session, legs, bob, fields):
    code, message = refusal(Report(leg_id=legs["T01"], **fields), bob)

    assert code == "invalid"
    assert message != ""
    assert ReadinessEvent.objects.count() == 0


def test_report_at_the_limits_is_accepted(session, legs, bob):
    report = Report(
        leg_id=legs["T01"],
        state="checking",
        checklist={"audio": True, "video": True, "network": False, "display": False},
        people_present=10_000,
        note="n" * 500,
        client_id="c" * 64,
    )

    outcome = submit_report(report, bob)

    assert (outcome.event.people_present, len(outcome.event.note)) == (10_000, 500)


# -- Several reports in one write (what the server's sockets hand over together) --------------


def test_reports_written_together_are_judged_one_after_the_other(
    session, legs, bob, dung, conference
):
    results = submit_reports(
        [
            (Report(leg_id=legs["T01"], state="checking"), bob),
            (Report(leg_id=legs["T01"], state="ready", checklist=ALL_OK), bob),
            (
                Report(leg_id=legs["X0102"], state="ready", checklist=ALL_OK),
                dung,
            ),  # not checked first
            (Report(leg_id=legs["X0102"], state="checking"), bob),  # not his site
            (Report(leg_id=legs["X0102"], state="checking", note="x" * 501), dung),
            (Report(leg_id=legs["X0102"], state="checking"), dung),
        ]
    )

    assert [
        (result.event.seq, result.event.from_state, result.event.to_state)
        if isinstance(result, Outcome)
        else result.code
        for result in results
    ] == [
        (1, "pending", "checking"),
        (2, "checking", "ready"),
        "illegal_transition",
        "not_found",
        "invalid",
        (3, "pending", "checking"),
    ]
    assert history(legs["T01"]) == [(1, "pending", "checking"), (2, "checking", "ready")]
    assert Leg.objects.values_list("state", "state_seq").get(pk=legs["T01"]) == ("ready", 2)
    assert seq_of(conference) == 3


def test_a_message_sent_twice_in_one_write_applies_once(session, legs, bob, conference):
    report = Report(leg_id=legs["T01"], state="checking", client_id="double-tap")

    first, second = submit_reports([(report, bob), (report, bob)])

    assert (first.replayed, second.replayed, second.event) == (False, True, first.event)
    assert ReadinessEvent.objects.count() == 1
    assert seq_of(conference) == 1


@pytest.mark.parametrize("count", [1, 3, 30])
def test_a_write_costs_the_same_statements_for_one_report_or_many(
    session, legs, bob, django_assert_num_queries, count
):
    legs_of_bob = [legs["T01"], legs["X0101"]]
    reports = [
        (Report(legs_of_bob[n % 2], "checking" if n < 2 else "ready", ALL_OK), bob)
        for n in range(count)
    ]

    # savepoint, 2 locks, technicians, events, audit entries, legs, sequence, release
    with django_assert_num_queries(9):
        results = submit_reports(reports)

    assert isinstance(results[0], Outcome)


# -- A retried report applies once ---------------------------------------------------------------


def test_retried_report_returns_the_first_outcome(session, legs, bob, conference):
    report = Report(leg_id=legs["T01"], state="checking", client_id="phone-7")
    first = submit_report(report, bob)

    retried = submit_report(report, bob)

    assert retried == Outcome(event=first.event, replayed=True)
    assert ReadinessEvent.objects.count() == 1
    assert seq_of(conference) == 1


def test_retry_is_answered_even_after_the_window_closed(session, legs, bob, conference):
    report = Report(leg_id=legs["T01"], state="checking", client_id="phone-7")
    first = submit_report(report, bob)

    retried = submit_report(report, bob, conference.end + MINUTE)

    assert retried == Outcome(event=first.event, replayed=True)


def test_client_ids_are_per_user(session, legs, bob, dung):
    submit_report(Report(leg_id=legs["T01"], state="checking", client_id="1"), bob)

    outcome = submit_report(Report(leg_id=legs["X0102"], state="checking", client_id="1"), dung)

    assert outcome.replayed is False
    assert ReadinessEvent.objects.count() == 2


def test_refused_report_leaves_its_id_free(session, legs, bob):
    refusal(Report(leg_id=legs["T01"], state="ready", checklist=ALL_OK, client_id="x"), bob)

    outcome = submit_report(Report(leg_id=legs["T01"], state="checking", client_id="x"), bob)

    assert (outcome.replayed, outcome.event.to_state) == (False, "checking")


def test_reports_without_a_client_id_are_never_replayed(session, legs, bob):
    walk(legs["T01"], bob, ["checking", "ready", "checking"])

    assert ReadinessEvent.objects.filter(client_id="").count() == 3


# -- Broadcast only after commit; a failed broadcast loses nothing -------------------------------


def group_listener(conference_id: int):
    """A channel of the in-memory layer in the conference's board group."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(board_group(conference_id), channel)
    return layer, channel


def heard(layer, channel: str) -> list[dict]:
    """The messages waiting on the channel, without waiting for more."""
    messages: list[dict] = []

    async def drain() -> None:
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), 0.05))
            except TimeoutError:
                return

    async_to_sync(drain)()
    return messages


@override_settings(CHANNEL_LAYERS=memory_layer())
def test_board_is_told_only_after_the_report_commits(
    session, legs, bob, conference, django_capture_on_commit_callbacks
):
    layer, channel = group_listener(conference.pk)

    with django_capture_on_commit_callbacks() as callbacks:
        submit_report(Report(leg_id=legs["T01"], state="checking"), bob)
        before_commit = heard(layer, channel)
    for callback in callbacks:
        callback()  # what the commit does

    assert (len(callbacks), before_commit) == (1, [])
    assert heard(layer, channel) == [{"type": "readiness.changed", "seq": 1}]


@override_settings(CHANNEL_LAYERS=memory_layer())
def test_report_rolled_back_with_its_caller_is_never_announced(
    session, legs, bob, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit_report(Report(leg_id=legs["T01"], state="checking"), bob)
        raise RuntimeError("the caller fails after the report")

    assert callbacks == []
    assert ReadinessEvent.objects.count() == 0


def broadcast_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "conferencing.readiness_broadcast"
    ]


def test_failed_broadcast_keeps_the_report(
    session, legs, bob, conference, django_capture_on_commit_callbacks, caplog
):
    nobody_listens = f"redis://127.0.0.1:{free_ports(1)[0]}/0"

    with (
        override_settings(CHANNEL_LAYERS=redis_layer(nobody_listens)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outcome = submit_report(Report(leg_id=legs["T01"], state="checking"), bob)

    assert outcome.replayed is False
    assert history(legs["T01"]) == [(1, "pending", "checking")]
    assert broadcast_warnings(caplog) == [
        f"readiness broadcast for conference {conference.pk} failed"
    ]


def test_broadcast_to_a_redis_that_does_not_answer_gives_up_within_a_second(
    session, legs, bob, conference, django_capture_on_commit_callbacks, caplog
):
    # Accepts connections (the kernel does, into the backlog) and never answers.
    silent = socket.create_server(("127.0.0.1", 0))
    address = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"

    try:
        started = time.monotonic()
        with (
            override_settings(CHANNEL_LAYERS=redis_layer(address)),
            django_capture_on_commit_callbacks(execute=True),  # runs them on the way out
        ):
            outcome = submit_report(Report(leg_id=legs["T01"], state="checking"), bob)
        took = time.monotonic() - started
    finally:
        silent.close()

    assert outcome.replayed is False
    assert ANNOUNCE_TIMEOUT_SECONDS <= took < ANNOUNCE_TIMEOUT_SECONDS + 1
    assert history(legs["T01"]) == [(1, "pending", "checking")]
    assert broadcast_warnings(caplog) == [
        f"readiness broadcast for conference {conference.pk} failed"
    ]


# -- Concurrency (each thread on its own connection) ---------------------------------------------


def in_threads(*actions) -> list:
    """Run each action on its own thread and connection, all at once; results or errors."""
    outcomes: list = [None] * len(actions)
    start = threading.Barrier(len(actions))

    def run(index, action):
        try:
            start.wait(timeout=10)
            outcomes[index] = action()
        except BaseException as error:  # the test inspects it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_one_conference_get_distinct_sequence_numbers(
    session, legs, bob, dung, conference
):
    outcomes = in_threads(
        lambda: submit_report(Report(leg_id=legs["T01"], state="checking"), bob),
        lambda: submit_report(Report(leg_id=legs["X0101"], state="checking"), bob),
        lambda: submit_report(Report(leg_id=legs["X0102"], state="checking"), dung),
    )

    assert sorted(outcome.event.seq for outcome in outcomes) == [1, 2, 3]
    assert seq_of(conference) == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_apply_once(session, legs, bob, conference):
    report = Report(leg_id=legs["T01"], state="checking", client_id="double-tap")

    outcomes = in_threads(lambda: submit_report(report, bob), lambda: submit_report(report, bob))

    assert [type(outcome).__name__ for outcome in outcomes] == ["Outcome", "Outcome"], outcomes
    assert sorted(outcome.replayed for outcome in outcomes) == [False, True]
    assert outcomes[0].event.pk == outcomes[1].event.pk
    assert seq_of(conference) == 1


def waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL only: SQLite writes one at a time")
@pytest.mark.django_db(transaction=True)
def test_report_racing_a_reschedule_waits_instead_of_deadlocking(
    session, legs, alice, bob, conference
):
    # The reschedule locks the meeting and its conference, then waits for the bridge
    # (held here), then moves the legs. The report arrives in between. Taking the leg
    # before the conference, it would hold what the move needs next: a deadlock.
    bridge_held, release_bridge = threading.Event(), threading.Event()
    later = conference.start + 15 * MINUTE

    def hold_bridge():
        with transaction.atomic():
            Bridge.objects.select_for_update().get(pk=conference.bridge_id)
            bridge_held.set()
            release_bridge.wait(timeout=10)

    def move():
        bridge_held.wait(timeout=10)
        return reschedule(session, Slot(later, later + timedelta(hours=2), 60), alice)

    def report():
        wait_until(lambda: waiting_on_locks() >= 1)  # the move waits for the bridge
        return submit_report(Report(leg_id=legs["T01"], state="checking"), bob)

    def release():
        wait_until(lambda: waiting_on_locks() >= 2)  # and the report waits too
        release_bridge.set()

    outcomes = in_threads(hold_bridge, move, report, release)

    assert [type(outcome).__name__ for outcome in outcomes] == [
        "NoneType",
        "Meeting",
        "Outcome",
        "NoneType",
    ]
    assert history(legs["T01"]) == [(1, "pending", "checking")]
    assert Conference.objects.get(pk=conference.pk).start == later
