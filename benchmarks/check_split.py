"""Where a check's time goes: accepted changes against refused ones, in the stream and in cache.

    python benchmarks/check_split.py            # 10,000 cases, 100,000 changes
    python benchmarks/check_split.py --cases 100000

On the seeded stream of ``run.py``, each change against the case as it stood:

- the floor (a dict lookup per change), per change;
- the changes the workflow accepts (legal moves, corroborations,
  conflicts, dismissals), in stream order;
- the same one accepted change checked over and over (everything in cache);
- the changes it refuses, each with every reason, in stream order.

Best of five, in microseconds per change. Only ratios within a run count.
Only the public API is used, so that the same script measures any commit.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

import anchors
import run

import data


def best(work: Callable[[], object], repeat: int = 5) -> float:
    """The least time *work* took over *repeat* runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print the split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    cases = parser.parse_args().cases
    workflow = run.WORKFLOW
    stream = data.generate(cases, cases * 10)
    pairs, _ = run.before_each(run.open_cases(stream.openings), stream.changes)
    accepted = [workflow.check(case, change).ok for case, change in pairs]
    clean = [pair for pair, ok in zip(pairs, accepted, strict=True) if ok]
    full = [pair for pair, ok in zip(pairs, accepted, strict=True) if not ok]
    table = anchors.table_of(workflow)
    gc.collect()
    gc.freeze()
    per_change = {
        "floor": best(lambda: anchors.floor(table, workflow.initial, cases, stream.changes)) / len(pairs),
        "accepted, in stream order": best(lambda: run.check_all(clean)) / len(clean),
        "one accepted change, in cache": best(lambda: run.check_all([clean[len(clean) // 2]] * len(clean)))
        / len(clean),
        "refused, in stream order": best(lambda: run.check_all(full)) / len(full),
    }
    print(f"{len(pairs):,} changes over {cases:,} cases: {len(clean):,} accepted, {len(full):,} refused")
    for name, seconds in per_change.items():
        ratio = per_change["floor"] / seconds
        print(f"  {name:30s} {seconds * 1e6:7.2f} us/change   floor / this {ratio:.2f}")


if __name__ == "__main__":
    main()
