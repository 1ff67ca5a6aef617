"""Run every benchmark on one seeded stream and print the table, the ratios and the targets.

    python benchmarks/run.py           # 1,000,000 changes over 100,000 cases
    python benchmarks/run.py --quick   # 100,000 changes over 10,000 cases

Every figure is the median (and min-max) of ``--repeat`` timed runs after a
warm-up on a tenth of the stream. Only ratios between figures of the same run
mean anything: the machine may be busy with other work.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

import anchors

import casestate
import data
from casestate import DEFAULT_WORKFLOW, Case, Change, Entry, Rejected, replay

WORKFLOW = DEFAULT_WORKFLOW
T = TypeVar("T")
Changes = Sequence[tuple[int, Change]]


@dataclass(frozen=True)
class Sizes:
    """How much data a run uses."""

    cases: int
    changes: int
    subset: int
    """Cases fed to the anchors that need one machine per case."""


FULL = Sizes(cases=100_000, changes=1_000_000, subset=3_000)
QUICK = Sizes(cases=10_000, changes=100_000, subset=1_000)


@dataclass(frozen=True)
class Row:
    """One benchmark's timings."""

    name: str
    items: int
    unit: str
    times: list[float]
    note: str = ""

    @property
    def median(self) -> float:
        """The median time, in seconds."""
        return statistics.median(self.times)

    @property
    def rate(self) -> float:
        """Items per second at the median time."""
        return self.items / self.median


def measure(
    name: str,
    unit: str,
    work: Callable[[Sequence[T]], tuple[int, object]],
    changes: Sequence[T],
    *,
    repeat: int,
    items: int | None = None,
    refused: int | None = None,
    note: str = "",
) -> Row:
    """Time *work* on *changes*: a warm-up on a tenth of them, then *repeat* timed runs."""
    work(changes[: max(1, len(changes) // 10)])
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        seen, built = work(changes)
        times.append(time.perf_counter() - start)
        del built
        if refused is not None:
            assert seen == refused, f"{name}: refused {seen}, expected {refused}"
    row = Row(name, len(changes) if items is None else items, unit, times, note)
    print(f"  {name}: {row.rate:,.0f} {unit}/s", file=sys.stderr, flush=True)
    return row


def open_cases(openings: Sequence[data.Opening]) -> list[Case]:
    """Every case of the stream, freshly opened."""
    return [
        WORKFLOW.open(
            opening.case_id,
            actor=opening.actor,
            effective_at=opening.effective_at,
            recorded_at=opening.recorded_at,
            salt=opening.salt,
        )
        for opening in openings
    ]


def apply_all(opened: list[Case], changes: Changes) -> tuple[int, object]:
    """Apply, as casestate does it, over the stream: validation, audit entry and hash chain."""
    cases = list(opened)
    apply = WORKFLOW.apply
    refused = 0
    for index, change in changes:
        try:
            cases[index] = apply(cases[index], change)
        except Rejected:
            refused += 1
    return refused, cases


def check_all(pairs: Sequence[tuple[Case, Change]]) -> tuple[int, object]:
    """Check, as casestate does it, over the stream, each change against the case it met."""
    check = WORKFLOW.check
    refused = 0
    for case, change in pairs:
        if not check(case, change).ok:
            refused += 1
    return refused, None


def replay_all(trails: Sequence[tuple[Entry, ...]]) -> tuple[int, object]:
    """Verify every trail and rebuild its case."""
    return 0, [replay(trail) for trail in trails]


def before_each(opened: list[Case], changes: Changes) -> tuple[list[tuple[Case, Change]], list[Case]]:
    """Each change with the case as it stood when the change came, and the cases at the end."""
    cases = list(opened)
    pairs = []
    for index, change in changes:
        case = cases[index]
        pairs.append((case, change))
        with contextlib.suppress(Rejected):
            cases[index] = WORKFLOW.apply(case, change)
    return pairs, cases


def timings(sizes: Sizes, stream: data.Stream, repeat: int) -> list[Row]:
    """Every throughput figure, anchors first."""
    changes = stream.changes
    subset = [(index, change) for index, change in changes if index < sizes.subset]
    table = anchors.table_of(WORKFLOW)
    initial = WORKFLOW.initial
    case_ids = [opening.case_id for opening in stream.openings]
    shared = anchors.transitions_machine(WORKFLOW, model=None)
    machine_class = anchors.statemachine_class(WORKFLOW)
    triggers = frozenset(rule.trigger for rule in WORKFLOW.rules)
    on_subset = f"{sizes.subset:,} cases"

    opened = open_cases(stream.openings)
    pairs, final = before_each(opened, changes)
    trails = [case.trail for case in final]
    entries = sum(len(trail) for trail in trails)
    for trail, case in zip(trails[:1000], final, strict=False):
        assert replay(trail) == case
    # The inputs live through every run: keep them out of the garbage collector's
    # full passes, so that each benchmark pays for collecting what it makes itself.
    gc.collect()
    gc.freeze()

    rows = [
        measure(
            "floor: dict[(status, trigger)] -> status",
            "changes",
            lambda part: anchors.floor(table, initial, sizes.cases, part),
            changes,
            repeat=repeat,
        ),
        measure(
            "floor + frozen attrs record + SHA-256 chain",
            "changes",
            lambda part: anchors.floor_with_audit(table, initial, case_ids, part),
            changes,
            repeat=repeat,
        ),
        measure(
            "transitions: lookup in machine.events[t].transitions[s]",
            "changes",
            lambda part: anchors.transitions_lookup(shared, initial, sizes.cases, part),
            changes,
            repeat=repeat,
        ),
        measure(
            "transitions: shared machine, events[t].trigger(model)",
            "changes",
            lambda part: anchors.transitions_shared(
                shared, anchors.transitions_models(WORKFLOW, sizes.cases), part
            ),
            changes,
            repeat=repeat,
            note="models made inside the timing (one small object per case)",
        ),
        measure(
            "transitions: one Machine per case, trigger(t)",
            "changes",
            lambda part: anchors.transitions_per_case(
                anchors.transitions_per_case_machines(WORKFLOW, sizes.subset), part
            ),
            subset,
            repeat=repeat,
            note=f"subset: {on_subset}; making the machines is timed too",
        ),
        measure(
            "python-statemachine: one instance per case, send(t)",
            "changes",
            lambda part: anchors.statemachine_per_case(
                [machine_class() for _ in range(sizes.subset)], triggers, part
            ),
            subset,
            repeat=repeat,
            note=f"subset: {on_subset}; making the instances is timed too",
        ),
        measure(
            "casestate: check (validation only)",
            "changes",
            check_all,
            pairs,
            repeat=repeat,
            refused=stream.invalid,
            note="each change against the case as it stood",
        ),
        measure(
            "casestate: apply (validation, audit entry, hash chain)",
            "changes",
            lambda part: apply_all(opened, part),
            changes,
            repeat=repeat,
            refused=stream.invalid,
        ),
        measure(
            "casestate: replay + verify",
            "entries",
            replay_all,
            trails,
            repeat=repeat,
            items=entries,
            note=f"{len(trails):,} trails",
        ),
    ]
    gc.unfreeze()
    return rows


def traced(make: Callable[[], object]) -> tuple[int, object]:
    """Bytes that what *make* builds still holds once built (tracemalloc), and the thing itself."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        built = make()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, built
    finally:
        tracemalloc.stop()


def kept_inputs(cases: Sequence[Case], first_new: Sequence[int]) -> int:
    """Bytes of the caller's objects (salt, evidence) that the new entries keep alive."""
    seen: set[int] = set()
    total = 0
    for case, start in zip(cases, first_new, strict=True):
        for entry in case.trail[start:]:
            private = entry.private
            assert private is not None
            for thing in (private.salt, private.evidence, *private.evidence):
                if id(thing) not in seen:
                    seen.add(id(thing))
                    total += sys.getsizeof(thing)
            for item in private.evidence:
                for part in (item.reference, item.source, item.obtained_at):
                    if id(part) not in seen:
                        seen.add(id(part))
                        total += sys.getsizeof(part)
    return total


@dataclass(frozen=True)
class Memory:
    """Bytes per thing, measured with tracemalloc."""

    name: str
    per: float
    count: int
    note: str = ""


@dataclass(frozen=True)
class CasestateBytes:
    """What casestate's values cost in memory, measured with tracemalloc."""

    opened: float
    """Bytes per freshly opened case."""
    entry: float
    """Bytes apply allocates per audit entry."""
    entry_with_inputs: float
    """The same, with the caller's evidence objects and salt that the entry keeps alive."""
    cases: int
    entries: int


def casestate_bytes(stream: data.Stream, cases: int) -> CasestateBytes:
    """Bytes per freshly opened case, and per audit entry of the stream's first two rounds."""
    openings = stream.openings
    opened_bytes, built = traced(
        lambda: [
            WORKFLOW.open(
                opening.case_id,
                actor=opening.actor,
                effective_at=opening.effective_at,
                recorded_at=opening.recorded_at,
            )
            for opening in openings
        ]
    )
    opened: list[Case] = built  # type: ignore[assignment]
    rounds = stream.changes[: 2 * cases]
    entry_bytes, built = traced(lambda: apply_all(opened, rounds))
    applied: list[Case] = built[1]  # type: ignore[index]
    added = sum(len(case.trail) for case in applied) - len(applied)
    inputs = kept_inputs(applied, [1] * len(applied))
    return CasestateBytes(
        opened_bytes / len(applied), entry_bytes / added, (entry_bytes + inputs) / added, len(applied), added
    )


def memory(sizes: Sizes, stream: data.Stream) -> list[Memory]:
    """Bytes per freshly opened case and per audit entry, and the anchors' per-case cost."""
    own = casestate_bytes(stream, sizes.cases)
    rounds = stream.changes[: 2 * sizes.cases]
    table = anchors.table_of(WORKFLOW)
    case_ids = [opening.case_id for opening in stream.openings]
    record_bytes, built = traced(lambda: anchors.floor_with_audit(table, WORKFLOW.initial, case_ids, rounds))
    records = len(rounds) - built[0]  # type: ignore[index]
    del built
    count = min(sizes.subset, 1_000)
    machine_bytes, _ = traced(lambda: anchors.transitions_per_case_machines(WORKFLOW, count))
    machine_class = anchors.statemachine_class(WORKFLOW)
    instance_bytes, _ = traced(lambda: [machine_class() for _ in range(count)])
    return [
        Memory("casestate: freshly opened case", own.opened, own.cases),
        Memory(
            "casestate: audit entry",
            own.entry,
            own.entries,
            "what apply allocates; the Change, its evidence and salt were made before",
        ),
        Memory(
            "casestate: audit entry, with the evidence and salt it keeps",
            own.entry_with_inputs,
            own.entries,
            "the caller's evidence objects and salt that the entry keeps alive, added",
        ),
        Memory("floor: frozen attrs audit record + chain", record_bytes / records, records),
        Memory("transitions: one Machine per case", machine_bytes / count, count),
        Memory("python-statemachine: one instance per case", instance_bytes / count, count),
    ]


def installed(name: str) -> str:
    """The version of package *name*, or ``not installed`` (targets.py runs without the bench extra)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """What ran the benchmark."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_total = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        memory_total = f"{int(first[1]) / 1024 / 1024:.1f} GiB"
    packages = ", ".join(
        f"{name} {installed(name)}" for name in ("casestate", "attrs", "transitions", "python-statemachine")
    )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs ({cpu}), {memory_total} RAM, {platform.system()} "
        f"{platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": packages,
        "command": "python " + " ".join(sys.argv),
    }


def report(sizes: Sizes, stream: data.Stream, rows: list[Row], sizes_in_memory: list[Memory]) -> bool:
    """Print the tables and the targets; whether every target is met."""
    for key, value in machine().items():
        print(f"- {key}: {value}")
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in sorted(stream.kinds.items()))
    print(
        f"- data: seed {data.SEED}, {sizes.changes:,} changes over {sizes.cases:,} cases ({kinds}); "
        f"the per-case anchors run on the first {sizes.subset:,} cases"
    )
    print()
    print("| benchmark | items | median s | min-max s | rate /s (median) | note |")
    print("|---|--:|--:|--:|--:|---|")
    for row in rows:
        print(
            f"| {row.name} | {row.items:,} {row.unit} | {row.median:.3f} | "
            f"{min(row.times):.3f}-{max(row.times):.3f} | {row.rate:,.0f} | {row.note} |"
        )
    print()
    print("| memory (tracemalloc) | bytes each | over | note |")
    print("|---|--:|--:|---|")
    for item in sizes_in_memory:
        print(f"| {item.name} | {item.per:,.0f} | {item.count:,} | {item.note} |")
    by = {row.name: row.rate for row in rows}
    floor = by["floor: dict[(status, trigger)] -> status"]
    audit = by["floor + frozen attrs record + SHA-256 chain"]
    shared = by["transitions: shared machine, events[t].trigger(model)"]
    check = by["casestate: check (validation only)"]
    apply = by["casestate: apply (validation, audit entry, hash chain)"]
    again = by["casestate: replay + verify"]
    bytes_by = {item.name: item.per for item in sizes_in_memory}
    targets = [
        ("check / floor", check / floor, 0.25, ">="),
        ("apply / (floor + record + chain)", apply / audit, 0.50, ">="),
        ("apply / transitions shared trigger", apply / shared, 1.00, ">="),
        ("replay + verify (entries/s) / apply (changes/s)", again / apply, 0.50, ">="),
        ("bytes per freshly opened case", bytes_by["casestate: freshly opened case"], 1024, "<"),
        (
            "bytes per audit entry (with the evidence and salt it keeps)",
            bytes_by["casestate: audit entry, with the evidence and salt it keeps"],
            1024,
            "<",
        ),
    ]
    print()
    print("| target | measured | needed | met |")
    print("|---|--:|--:|:-:|")
    met = True
    for name, value, bound, sense in targets:
        ok = value >= bound if sense == ">=" else value < bound
        met = met and ok
        shown = f"{value:.2f}" if bound < 10 else f"{value:,.0f}"
        print(f"| {name} | {shown} | {sense} {bound:g} | {'yes' if ok else 'NO'} |")
    return met


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the data (under 2 minutes)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per benchmark (default 5)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    print(f"casestate {casestate.__version__}: generating the stream ...", file=sys.stderr, flush=True)
    stream = data.generate(sizes.cases, sizes.changes)
    rows = timings(sizes, stream, args.repeat)
    print("  memory ...", file=sys.stderr, flush=True)
    sizes_in_memory = memory(sizes, stream)
    met = report(sizes, stream, rows, sizes_in_memory)
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
