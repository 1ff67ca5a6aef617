"""Checkpoints, receipts and consistency proofs of a large store.

    python benchmarks/proofs_bench.py            # 1,000,000 entries, SQLite
    python benchmarks/proofs_bench.py --quick    # 50,000 entries, for a smoke run
    python benchmarks/proofs_bench.py --engine postgresql

The store is filled with cases of 100 entries (opened, then 99 changes in one
apply), as store_bench.py fills it. Then, each timed on its own:

- the first checkpoint, which hashes the whole feed;
- a checkpoint after 1% more entries, and one after 0.1% more: the target is
  that a checkpoint of an already checkpointed store costs per *new* entry
  what the first cost per entry, not a pass over the whole log again;
- a checkpoint with no new entry;
- a receipt (``prove``) for entries drawn at random, and its offline check;
- a consistency proof between the first and the last checkpoint, and its check;
- holding the store to the last checkpoint (``verify_log``), which hashes every entry again.

Only casestate's public API is used (``casestate.store``, ``casestate.proofs``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from store_bench import CASE_SIZE, FAMILY, SQLite, changes_for, opening_time, postgres_or_none

from casestate.proofs import SigningKey
from casestate.store import PostgresStore, SQLiteStore

KEY = SigningKey.generate("bench.example.org/cases")


def add_cases(store: SQLiteStore | PostgresStore, first: int, count: int, rng: random.Random) -> None:
    """Cases *first* to *first + count - 1*, of ``CASE_SIZE`` entries each."""
    for number in range(first, first + count):
        opened_at = opening_time(rng)
        case_id = f"case-{number:06d}"
        case = store.open_case(case_id, actor=FAMILY, effective_at=opened_at, recorded_at=opened_at)
        store.apply(case_id, changes_for(case, CASE_SIZE - 1, rng), expected_version=1)


def seconds(action: Callable[[], object]) -> tuple[float, object]:
    """Seconds *action* takes, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median_seconds(action: Callable[[], object], rounds: int) -> float:
    """The median of *rounds* timings of *action*."""
    return statistics.median(seconds(action)[0] for _ in range(rounds))


Row = tuple[str, str, str]


def checkpoints(
    store: SQLiteStore | PostgresStore, cases: int, rng: random.Random
) -> tuple[list[Row], str, str, int]:
    """The first checkpoint, then after 1% and 0.1% more: the rows, the first and last, the cases."""
    size = cases * CASE_SIZE
    took, _ = seconds(lambda: store.checkpoint(KEY))
    first = store.checkpoint(KEY)  # the same head, signed again: the one the proofs start from
    per_entry = took / size
    rows = [("first checkpoint", f"{size:,} entries", f"{took:.2f} s, {per_entry * 1e6:.1f} us/entry")]
    last = first
    for share in (100, 1000):
        more = max(1, cases // share)
        add_cases(store, cases, more, rng)
        cases += more
        took, _ = seconds(lambda: store.checkpoint(KEY))
        last = store.checkpoint(KEY)
        new = more * CASE_SIZE
        ratio = (took / new) / per_entry
        said = f"{took * 1000:.1f} ms, {took / new * 1e6:.1f} us/new entry ({ratio:.2f}x the first's)"
        rows.append((f"checkpoint after {100 / share:g}% more", f"{new:,} new entries", said))
    took = median_seconds(lambda: store.checkpoint(KEY), 5)
    rows.append(("checkpoint, nothing new", "", f"{took * 1000:.2f} ms"))
    return rows, first, last, cases


def proofs(
    store: SQLiteStore | PostgresStore, cases: int, first: str, last: str, rng: random.Random
) -> list[Row]:
    """Receipts, a consistency proof, their checks, and the store held to the last checkpoint."""
    rows: list[Row] = []
    draws = [(f"case-{rng.randrange(cases):06d}", rng.randrange(CASE_SIZE)) for _ in range(50)]
    took = statistics.median(seconds(lambda draw=draw: store.prove(*draw, last))[0] for draw in draws)
    rows.append(("receipt (prove)", "median of 50", f"{took * 1000:.2f} ms"))
    receipt = store.prove(*draws[0], last)
    took = median_seconds(lambda: receipt.verify(KEY.verifier), 50)
    rows.append(("receipt check, offline", f"{len(receipt.proof)} hashes", f"{took * 1000:.3f} ms"))
    took, _ = seconds(lambda: store.consistency(first, last))
    proof = store.consistency(first, last)
    rows.append(("consistency proof", f"{len(proof.proof)} hashes", f"{took * 1000:.2f} ms"))
    took = median_seconds(lambda: proof.verify(KEY.verifier), 50)
    rows.append(("consistency check, offline", "", f"{took * 1000:.3f} ms"))
    size = cases * CASE_SIZE
    took, _ = seconds(lambda: store.verify_log(last, KEY.verifier))
    said = f"{took:.2f} s, {took / size * 1e6:.1f} us/entry"
    rows.append(("verify_log (every entry hashed again)", f"{size:,} entries", said))
    return rows


def main() -> None:
    """Fill a store, measure, print one table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="50,000 entries, for a smoke run")
    parser.add_argument("--entries", type=int, help="entries in the store (default 1,000,000)")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=postgres dbname=test")
    arguments = parser.parse_args()
    entries = arguments.entries or (50_000 if arguments.quick else 1_000_000)
    cases = max(1, entries // CASE_SIZE)
    engine = SQLite() if arguments.engine == "sqlite" else postgres_or_none(arguments.url, arguments.dsn)
    if engine is None:
        return
    rng = random.Random(7)
    try:
        with engine.store("proofs") as store:
            filled, _ = seconds(lambda: add_cases(store, 0, cases, rng))
            print(f"{engine.name}: {cases * CASE_SIZE:,} entries stored in {filled:.1f} s")
            rows, first, last, cases = checkpoints(store, cases, rng)
            rows += proofs(store, cases, first, last, rng)
    finally:
        engine.cleanup()
    width = max(len(row[0]) for row in rows)
    size_width = max(len(row[1]) for row in rows)
    for name, what, result in rows:
        print(f"{name:<{width}}  {what:<{size_width}}  {result}")


if __name__ == "__main__":
    main()
