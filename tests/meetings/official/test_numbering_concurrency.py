"""Allocations racing on their own connections (threads): every number once, no gap.

PostgreSQL: the counter row's SELECT … FOR UPDATE queues them (the first of a year
races to create the row; the unique constraint decides). SQLite: BEGIN IMMEDIATE lets
one allocation write at a time (config/env.py), the others wait up to its timeout.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from meetings.official.models import DocumentCounter, DocumentNumber
from meetings.official.numbering import allocate_number
from tests.factories import central_office

THREADS = 16
WAIT_S = 60
POSTGRESQL = connection.vendor == "postgresql"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room_for_every_thread():
    pool = connection.pool if POSTGRESQL else None
    if pool is None:
        yield
        return
    sizes = (pool.min_size, pool.max_size)
    pool.resize(sizes[0], max(sizes[1], THREADS + 5))
    yield
    pool.resize(*sizes)


def all_at_once(action: Callable[[], int], count: int) -> list:
    outcomes: list = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait(timeout=WAIT_S)
            outcomes[index] = action()
        except BaseException as error:  # the test inspects it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    return outcomes


def test_concurrent_first_allocations_of_a_year_share_no_number(room_for_every_thread):
    office = central_office()

    outcomes = all_at_once(lambda: allocate_number(office, "conclusion", 2026), THREADS)

    assert sorted(outcomes) == list(range(1, THREADS + 1))
    assert DocumentCounter.objects.get(office=office, kind="conclusion", year=2026).last == THREADS
    assert DocumentNumber.objects.filter(office=office).count() == THREADS


def test_concurrent_allocations_after_the_first_share_no_number(room_for_every_thread):
    office = central_office()
    allocate_number(office, "invitation", 2026)

    outcomes = all_at_once(lambda: allocate_number(office, "invitation", 2026), THREADS)

    assert sorted(outcomes) == list(range(2, THREADS + 2))
