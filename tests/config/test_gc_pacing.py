"""The server's collector pacing: old objects leave full collections, and their garbage
is still reclaimed once a period."""

import gc
import subprocess
import sys
import threading

import pytest
from django.conf import settings

from config import gc_pacing
from config.gc_pacing import GcPacer


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


def test_a_step_moves_what_is_alive_out_of_full_collections():
    pacer = GcPacer(freeze_seconds=10, full_collect_seconds=900)

    pacer.step(pacer.last_full_collect + 10)

    assert gc.get_freeze_count() > 0


# In a fresh interpreter: the collector is the process's, and in the test process other
# threads (servers, browsers' drivers, xdist's) can be mid-collection when the pacer
# collects, and CPython then skips the pacer's collection (seen 2 runs in 3 on CI).
FROZEN_GARBAGE = """
import gc, weakref
from config.gc_pacing import GcPacer

class Node:
    pass

def garbage_cycle():
    node = Node()
    node.itself = node
    return weakref.ref(node)

gc.disable()
pacer = GcPacer(freeze_seconds=10, full_collect_seconds=900)
cycle = garbage_cycle()
pacer.step(pacer.last_full_collect + 10)
gc.collect()
print("alive after an ordinary collection:", cycle() is not None)
pacer.step(pacer.last_full_collect + 900)
print("alive after the periodic full collection:", cycle() is not None)
print("frozen again:", gc.get_freeze_count() > 0)
"""


def test_garbage_among_frozen_objects_waits_for_the_periodic_full_collection():
    done = subprocess.run(
        [sys.executable, "-c", FROZEN_GARBAGE],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert done.stdout.splitlines() == [
        "alive after an ordinary collection: True",
        "alive after the periodic full collection: False",
        "frozen again: True",
    ]


def test_zero_seconds_starts_no_pacing(monkeypatch):
    monkeypatch.setattr(gc_pacing, "_started", None)
    threads = threading.active_count()

    gc_pacing.start(0)

    assert (gc_pacing._started, threading.active_count()) == (None, threads)
