"""What Python's garbage collector costs an app that holds every trail in memory.

    python benchmarks/gc_bench.py                  # 100,000 cases, 1,000,000 changes
    python benchmarks/gc_bench.py --cases 10000    # a tenth

Applies the seeded stream of ``run.py`` (every case and its whole trail kept,
as ``run.py`` keeps them) three ways in one process, interleaved, best of
three: with the collector as Python sets it (a young-generation threshold of
700), with a threshold of 10,000, and with the collector off. Prints each,
and its ratio to the first. The cases opened before are frozen
(``gc.freeze()``) in all three, as an app would after loading them.

What it shows: each collection walks what the young objects point to, and
every entry points to a score of values scattered over memory. The more
entries an app keeps, the more of its time goes there; an app that keeps
millions may raise the threshold (see docs/how-to/bulk-jobs.md).
"""

from __future__ import annotations

import argparse
import gc
import time

import run

import data

WAYS = {"as Python sets it (700)": (700, 10, 10), "threshold 10,000": (10_000, 10, 10), "off": None}


def main() -> None:
    """Print the three figures and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    cases = parser.parse_args().cases
    stream = data.generate(cases, cases * 10)
    opened = run.open_cases(stream.openings)
    default = gc.get_threshold()
    gc.collect()
    gc.freeze()
    best = dict.fromkeys(WAYS, float("inf"))
    for _ in range(3):
        for name, threshold in WAYS.items():
            if threshold is None:
                gc.disable()
            else:
                gc.set_threshold(*threshold)
            start = time.perf_counter()
            kept = run.apply_all(opened, stream.changes)
            best[name] = min(best[name], time.perf_counter() - start)
            gc.enable()
            gc.set_threshold(*default)
            del kept
            gc.collect()
    changes = len(stream.changes)
    print(f"apply, {changes:,} changes over {cases:,} cases, every trail kept:")
    first = best[next(iter(WAYS))]
    for name, seconds in best.items():
        print(f"  collector {name:26s} {seconds / changes * 1e6:6.2f} us/change   {first / seconds:.2f}x")


if __name__ == "__main__":
    main()
