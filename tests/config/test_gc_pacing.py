"""The server's collector pacing: old objects leave full collections, and their garbage
is still reclaimed once a period."""

import gc
import threading
import weakref

import pytest

from config import gc_pacing
from config.gc_pacing import GcPacer


class Node:
    pass


@pytest.fixture(autouse=True)
def thawed():
    """Unfrozen, and no automatic collection meanwhile: threads left by earlier tests
    (browsers, servers) allocate, and a collection they trigger makes CPython skip an
    explicit gc.collect() that starts while it runs, so a pacer's full collection could
    find nothing to do in this process for reasons of its own."""
    gc.unfreeze()
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()
    gc.unfreeze()


def garbage_cycle() -> weakref.ref:
    node = Node()
    node.itself = node
    return weakref.ref(node)


def test_a_step_moves_what_is_alive_out_of_full_collections():
    pacer = GcPacer(freeze_seconds=10, full_collect_seconds=900)

    pacer.step(pacer.last_full_collect + 10)

    assert gc.get_freeze_count() > 0


def test_garbage_among_frozen_objects_waits_for_the_periodic_full_collection():
    pacer = GcPacer(freeze_seconds=10, full_collect_seconds=900)
    cycle = garbage_cycle()
    pacer.step(pacer.last_full_collect + 10)
    gc.collect()
    assert cycle() is not None

    pacer.step(pacer.last_full_collect + 900)

    assert cycle() is None
    assert gc.get_freeze_count() > 0


def test_zero_seconds_starts_no_pacing(monkeypatch):
    monkeypatch.setattr(gc_pacing, "_started", None)
    threads = threading.active_count()

    gc_pacing.start(0)

    assert (gc_pacing._started, threading.active_count()) == (None, threads)
