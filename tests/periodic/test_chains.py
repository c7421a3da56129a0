"""A periodic chain: each run enqueues the next however it ends, and starting a chain twice
(two restarts) leaves one run waiting, unless the waiting one died with its worker."""

from datetime import timedelta

import pytest
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from periodic.chains import Chain


@task()
def sample_run(fail: bool = False) -> str:
    with SAMPLE.repeating():
        if fail:
            raise RuntimeError("the work failed")
        return "done"


SAMPLE = Chain(sample_run, interval=lambda: timedelta(minutes=5))


def waiting_runs() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=sample_run.module_path, status="READY").order_by(
            "run_after"
        )
    )


@pytest.mark.parametrize("fail", [False, True], ids=["succeeds", "fails"])
def test_a_run_enqueues_the_next_one_an_interval_later_however_it_ends(db, fail):
    before = timezone.now()

    try:
        sample_run.call(fail=fail)
    except RuntimeError:
        assert fail

    [following] = waiting_runs()
    assert before + timedelta(minutes=5) <= following.run_after
    assert following.run_after <= timezone.now() + timedelta(minutes=5)


def test_starting_twice_leaves_one_run_waiting(db):
    assert SAMPLE.start() is True
    assert SAMPLE.start() is False

    assert len(waiting_runs()) == 1


def test_a_run_started_just_now_still_counts_as_waiting(db):
    SAMPLE.start()
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())

    assert SAMPLE.waiting() is True


def test_a_run_that_died_with_its_worker_does_not_stop_the_chain(db):
    SAMPLE.start()
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - timedelta(hours=4))

    assert SAMPLE.waiting() is False
    assert SAMPLE.start() is True
