"""Where a check's time goes: clean changes against refused ones, in the stream and in cache.

    python benchmarks/check_split.py            # 10,000 cases, 100,000 changes
    python benchmarks/check_split.py --cases 100000

On the seeded stream of ``run.py``, each change against the case as it stood:

- the floor (a dict lookup per change), per change;
- the changes the compiled table answers (clean: legal moves,
  corroborations, plain conflicts, dismissals), in stream order;
- the same one clean change checked over and over (everything in cache);
- the changes that go through the full rules (refused ones, and conflicts
  that need more than one reason), in stream order.

Best of five, in microseconds per change. Only ratios within a run count.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

import anchors
import run

import data
from casestate._moves import clear_move


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
    moves = workflow._moves  # noqa: SLF001 - the compiled table is what is measured
    clean = [(case, change) for case, change in pairs if clear_move(moves, case, change, None) is not None]
    full = [(case, change) for case, change in pairs if clear_move(moves, case, change, None) is None]
    table = anchors.table_of(workflow)
    gc.collect()
    gc.freeze()
    per_change = {
        "floor": best(lambda: anchors.floor(table, workflow.initial, cases, stream.changes)) / len(pairs),
        "clean, in stream order": best(lambda: run.check_all(clean)) / len(clean),
        "one clean change, in cache": best(lambda: run.check_all([clean[len(clean) // 2]] * len(clean)))
        / len(clean),
        "full rules, in stream order": best(lambda: run.check_all(full)) / len(full),
    }
    print(
        f"{len(pairs):,} changes over {cases:,} cases: {len(clean):,} clean, {len(full):,} by the full rules"
    )
    for name, seconds in per_change.items():
        ratio = per_change["floor"] / seconds
        print(f"  {name:30s} {seconds * 1e6:7.2f} us/change   floor / this {ratio:.2f}")


if __name__ == "__main__":
    main()
