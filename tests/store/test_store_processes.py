"""The store's guarantees with real processes: killed writers and racing writers, on both engines.

Racing writers run the synchronous stores and the asynchronous ones.
"""

import multiprocessing

import pytest

from store_places import (
    check_no_update_lost,
    contend,
    contend_async,
    killed,
    open_cases,
    report,
    verified_store,
    wait_for,
    write_batches,
)
from support import in_processes

SPAWN = multiprocessing.get_context("spawn")
BATCH = 25
SHORT_LOCK = {"sqlite": {"timeout": 2.0}, "postgres": {"lock_timeout": 2.0}}


def test_a_writer_killed_inside_its_transaction_leaves_no_half_written_batch(place, tmp_path):
    case_ids = open_cases(place, 2)
    marker = str(tmp_path / "inside-the-transaction")
    writer = SPAWN.Process(target=write_batches, args=(place, case_ids, BATCH, marker))
    writer.start()
    try:
        wait_for(marker, 60)  # the rows of the batch are inserted, not committed
    finally:
        killed(writer)
    cases = verified_store(place, case_ids)
    assert [case.version for case in cases.values()] == [1, 1]
    # Nothing of the lost batch is in the way: the next writer appends where it would have.
    with place.open(**SHORT_LOCK[place.engine]) as store:
        first = store.load(case_ids[0])
        assert store.apply(case_ids[0], [report(first, "after", 0)], expected_version=1).version == 2


@pytest.mark.parametrize("delay", [0.6, 1.1, 1.7])
def test_a_writer_killed_at_any_moment_leaves_whole_batches(place, delay):
    case_ids = open_cases(place, 3)
    writer = SPAWN.Process(target=write_batches, args=(place, case_ids, BATCH, None))
    writer.start()
    try:
        writer.join(delay)
    finally:
        killed(writer)
    cases = verified_store(place, case_ids)
    for case in cases.values():
        assert (case.version - 1) % BATCH == 0, f"{case.id} has a partial batch: {case.version} entries"


def test_racing_writers_lose_no_update_and_fork_no_chain(place):
    workers, attempts = 4, 500
    case_ids = open_cases(place, 5)
    results = in_processes(contend, [(place, case_ids, attempts, worker) for worker in range(workers)])
    check_no_update_lost(place, case_ids, results, workers * attempts)


def test_racing_processes_of_async_tasks_lose_no_update_and_fork_no_chain(place):
    workers, attempts = 3, 60  # each worker: four tasks on one asynchronous store
    case_ids = open_cases(place, 4)
    results = in_processes(contend_async, [(place, case_ids, attempts, worker) for worker in range(workers)])
    check_no_update_lost(place, case_ids, results, workers * 4 * attempts)
