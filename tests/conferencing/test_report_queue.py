"""Reports waiting for the database are written together (conferencing.report_queue)."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from conferencing import readiness
from conferencing.models import ReadinessEvent
from conferencing.readiness import Outcome, ReadinessRefused, Report
from conferencing.report_queue import ReportQueue

ALL_OK = dict.fromkeys(readiness.CHECK_ITEMS, True)

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
        (Report(legs["T01"], "ready", ALL_OK), bob),
        (Report(legs["X0102"], "checking"), bob),  # not his site
        (Report(legs["X0101"], "problem"), bob),
    ]

    results = await asyncio.gather(
        *(queue.submit(report, user) for report, user in sent), return_exceptions=True
    )

    assert batches == [6]
    assert [
        result.event.seq if isinstance(result, Outcome) else result.code for result in results
    ] == [1, 2, 3, 4, "not_found", 5]
    assert isinstance(results[4], ReadinessRefused)


async def test_a_report_alone_is_written_at_once(session, legs, bob, batches):
    queue = ReportQueue()

    outcome = await queue.submit(Report(legs["T01"], "checking"), bob)
    later = await queue.submit(Report(legs["T01"], "ready", ALL_OK), bob)

    assert (batches, outcome.event.seq, later.event.seq) == ([1, 1], 1, 2)
    assert queue.writer is None


# -- One report that cannot be written fails alone (issue #11, defect 3) -------------------------

# Text the envelope refuses (tests/conferencing/test_consumers.py) but the readiness rules
# do not look at: handed straight to the queue, it fails in the database itself.
UNWRITABLE_NOTES = {
    "lone-surrogate": "\ud800",  # not UTF-8: both databases' drivers refuse it
    "nul": "a\x00b",  # PostgreSQL's text cannot hold NUL (SQLite stores it)
}


@pytest.mark.parametrize("case", UNWRITABLE_NOTES)
async def test_a_report_the_database_refuses_fails_alone_in_its_batch(
    twenty_legs, bob, batches, case
):
    if case == "nul" and await sync_to_async(lambda: connection.vendor)() == "sqlite":
        pytest.skip("SQLite stores NUL: nothing fails")
    queue = ReportQueue()
    reports = [
        Report(leg, "checking", note=UNWRITABLE_NOTES[case] if n == 7 else f"phòng {n}")
        for n, leg in enumerate(twenty_legs)
    ]

    results = await asyncio.gather(
        *(queue.submit(report, bob) for report in reports), return_exceptions=True
    )

    assert batches[0] == 20  # written as one batch first
    assert [
        "ack" if isinstance(result, Outcome) else (type(result).__name__, result.code)
        for result in results
    ] == ["ack"] * 7 + [("ReadinessRefused", "not_stored")] + ["ack"] * 12
    # In the site's default language, Vietnamese.
    assert results[7].message == "Không lưu được báo cáo: không phần nào của báo cáo được ghi lại."
    stored = await sync_to_async(stored_legs)()
    assert stored == [leg for n, leg in enumerate(twenty_legs) if n != 7]
    assert sorted(result.event.seq for result in results if isinstance(result, Outcome)) == list(
        range(1, 20)
    )


def stored_legs() -> list[int]:
    return sorted(ReadinessEvent.objects.values_list("leg_id", flat=True))
