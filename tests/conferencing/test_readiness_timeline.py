"""Ready sites over time (conferencing.readiness_timeline), replayed from the event log."""

from datetime import timedelta

import pytest

from conferencing.models import Endpoint
from conferencing.readiness import CHECK_ITEMS, Report, submit_report
from conferencing.readiness_timeline import moments_between, ready_over_time, step_for
from conferencing.watch_policy import BoardPart
from tests.factories import serve

MINUTE = timedelta(minutes=1)


@pytest.fixture
def reported(session, legs, bob, dung):
    """Reports around the start; returns it."""
    serve(dung, "T02", "X0201")
    start = session.conference.start
    for code, user, state, minutes in [
        ("T01", bob, "checking", -20),
        ("T01", bob, "ready", -10),
        ("X0101", bob, "checking", -5),
        ("X0101", bob, "problem", -3),
        ("X0201", dung, "checking", -1),
        ("X0201", dung, "ready", 0),
        ("T02", dung, "connected", 1),
        ("T01", bob, "connected", 2),  # still ready: connected counts
        ("X0101", bob, "checking", 1),
        ("X0101", bob, "ready", 4),
    ]:
        checklist = dict.fromkeys(CHECK_ITEMS, True) if state == "ready" else {}  # all ok
        submit_report(Report(legs[code], state, checklist), user, start + minutes * MINUTE)
    return start


def test_ready_sites_are_counted_at_each_moment_of_the_window(session, reported):
    timeline = ready_over_time(session.conference, now=reported + 10 * MINUTE)

    # The window opened an hour before the start; 70 minutes are drawn every 2 minutes.
    assert timeline.opens == reported - 60 * MINUTE
    assert timeline.step == 2 * MINUTE
    assert timeline.moments[0] == reported - 60 * MINUTE
    assert timeline.moments[-1] == reported + 10 * MINUTE
    by_minute = {
        round((moment - reported) / MINUTE): ready
        for moment, ready in zip(timeline.moments, timeline.ready, strict=True)
    }
    assert by_minute[-12] == 0
    assert by_minute[-10] == 1
    assert by_minute[-2] == 1  # X0101's problem is not ready
    assert by_minute[0] == 2  # X0201 ready at the very start
    assert by_minute[2] == 3  # T02 connected without reporting ready
    assert by_minute[4] == 4
    assert by_minute[10] == 4


def test_a_site_leaving_ready_is_no_longer_counted(session, legs, bob, reported):
    submit_report(Report(legs["T01"], "disconnected"), bob, reported + 6 * MINUTE)

    timeline = ready_over_time(session.conference, now=reported + 10 * MINUTE)

    assert timeline.ready[-1] == 3


def test_a_part_counts_only_its_own_sites(session, reported):
    within = Endpoint.objects.get(code="T02").path

    timeline = ready_over_time(
        session.conference, now=reported + 10 * MINUTE, part=BoardPart(within=within)
    )

    assert timeline.ready[-1] == 2  # T02 and X0201; T01 and X0101 are Hà Nội's
    assert max(timeline.ready[:30]) == 0


def test_the_line_ends_now_while_the_session_runs(session, reported):
    timeline = ready_over_time(session.conference, now=reported - 15 * MINUTE)

    assert timeline.moments[-1] == reported - 15 * MINUTE
    assert timeline.ready[-1] == 0


def test_before_the_window_opens_the_line_is_one_empty_moment(session):
    start = session.conference.start

    timeline = ready_over_time(session.conference, now=start - 2 * 60 * MINUTE)

    assert timeline.moments == (start - 60 * MINUTE,)
    assert timeline.ready == (0,)


def test_the_step_keeps_the_line_within_sixty_moments():
    assert step_for(timedelta(minutes=50)) == MINUTE
    assert step_for(timedelta(minutes=70)) == 2 * MINUTE
    assert step_for(timedelta(hours=3)) == 5 * MINUTE
    assert step_for(timedelta(hours=26)) == 30 * MINUTE


def test_moments_run_from_the_opening_to_the_end_inclusive(session):
    opens = session.conference.start

    moments = moments_between(opens, opens + 5 * MINUTE + timedelta(seconds=30))

    assert moments == [opens + minutes * MINUTE for minutes in range(6)] + [
        opens + 5 * MINUTE + timedelta(seconds=30)
    ]


def test_the_start_is_a_moment_even_off_the_step(session):
    opens = session.conference.start - 45 * MINUTE
    until = opens + 3 * 60 * MINUTE  # a step of 5 minutes or more: 45 is on it; 47 is not
    start = opens + 47 * MINUTE

    moments = moments_between(opens, until, also=start)

    assert start in moments and moments == sorted(set(moments))


@pytest.mark.parametrize("reports", [1, 3])
def test_one_query_whatever_the_number_of_reports(
    session, legs, bob, dung, reports, django_assert_num_queries
):
    start = session.conference.start
    for code, user in (("T01", bob), ("X0101", bob), ("X0102", dung))[:reports]:
        submit_report(Report(legs[code], "checking"), user, start - 5 * MINUTE)

    with django_assert_num_queries(1):
        ready_over_time(session.conference, now=start)
