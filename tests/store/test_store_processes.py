"""The store's guarantees with real processes: killed writers and racing writers, on both engines."""

import multiprocessing
import time
from collections import Counter

import pytest

import casestate as cs
from store_places import contend, killed, open_cases, report, wait_for, write_batches

SPAWN = multiprocessing.get_context("spawn")
BATCH = 25
SHORT_LOCK = {"sqlite": {"timeout": 2.0}, "postgres": {"lock_timeout": 2.0}}


def verified_store(place, case_ids):
    """Every case loads and verifies, and the feed holds exactly the cases' entries, gapless."""
    with place.open() as store:
        # A killed client's last COMMIT may still land on the server after the
        # kill: read until the feed stands still around the loads.
        for _ in range(50):
            before = list(store.entries())
            cases = {case_id: store.load(case_id) for case_id in case_ids}
            feed = list(store.entries())
            if len(feed) == len(before):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the feed kept growing after the writer was killed")
    for case in cases.values():
        assert cs.verify(case.trail).ok
    assert [item.position for item in feed] == list(range(1, len(feed) + 1))
    assert Counter(item.entry.hash for item in feed) == Counter(
        entry.hash for case in cases.values() for entry in case.trail
    )
    return cases


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
    with SPAWN.Pool(workers) as pool:
        results = pool.starmap(contend, [(place, case_ids, attempts, worker) for worker in range(workers)])
    accepted = [note for notes, _ in results for note in notes]
    refused = sum(count for _, count in results)
    assert len(accepted) + refused == workers * attempts
    assert refused > 0, "the writers never raced: the test proves nothing"
    cases = verified_store(place, case_ids)
    stored = Counter(entry.reason for case in cases.values() for entry in case.trail[1:])
    assert stored == Counter(accepted)
    assert max(stored.values()) == 1
    assert sum(case.version for case in cases.values()) == len(case_ids) + len(accepted)
