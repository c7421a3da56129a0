"""Reports waiting for the database are written together (conferencing.report_queue)."""

import asyncio

import pytest

from conferencing import readiness
from conferencing.readiness import Outcome, ReadinessRefused, Report
from conferencing.report_queue import ReportQueue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("released_connections"),
]


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of each write (the real one runs)."""
    sizes: list[int] = []
    real = readiness.submit_reports

    def counting(reports, now=None):
        sizes.append(len(reports))
        return real(reports, now)

    monkeypatch.setattr(readiness, "submit_reports", counting)
    return sizes


async def test_reports_arriving_together_are_written_together_in_order(
    session, legs, bob, dung, batches
):
    queue = ReportQueue()
    sent = [
        (Report(legs["T01"], "checking"), bob),
        (Report(legs["X0101"], "checking"), bob),
        (Report(legs["X0102"], "checking"), dung),
        (Report(legs["T01"], "ready"), bob),
        (Report(legs["X0102"], "checking"), bob),  # not his site
        (Report(legs["X0101"], "problem"), bob),
    ]

    results = await asyncio.gather(
        *(queue.submit(report, user) for report, user in sent), return_exceptions=True
    )

    assert batches == [6]
    assert [
        result.event.seq if isinstance(result, Outcome) else result.code for result in results
    ] == [1, 2, 3, 4, "forbidden", 5]
    assert isinstance(results[4], ReadinessRefused)


async def test_a_report_alone_is_written_at_once(session, legs, bob, batches):
    queue = ReportQueue()

    outcome = await queue.submit(Report(legs["T01"], "checking"), bob)
    later = await queue.submit(Report(legs["T01"], "ready"), bob)

    assert (batches, outcome.event.seq, later.event.seq) == ([1, 1], 1, 2)
    assert queue.writer is None
