"""The speed targets of issue 16, each subject timed beside its anchor, round after round.

    python benchmarks/targets.py                        # 1,000,000 changes over 100,000 cases
    python benchmarks/targets.py --quick                # 50,000 changes over 5,000 cases
    python benchmarks/targets.py --quick --against REV  # the same for commit REV and for this
                                                        # tree, in alternating processes

Each round times every subject and its anchor in the same process, one after
the other (the order turns round every other round); a ratio is the median of
the rounds' ratios. Only casestate's public API is used, so that the same
script measures any commit. With ``--against REV``, commit REV is checked out
in a temporary git worktree and each round runs in a process of its own, one
for REV and one for this tree, alternating; the before/after table says
whether a measure got worse. The machine may be busy with other work: only
figures of the same run mean anything.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import anchors
import attrs
import run
import store_bench

import casestate
import data

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
MIN_ROUNDS = 5


@dataclass(frozen=True)
class Sizes:
    """How much data a run uses."""

    cases: int
    changes: int
    load_cases: int
    """100-entry cases loaded cold in each round."""
    bulk_cases: int
    """100-entry cases bulk loaded in each round."""


FULL = Sizes(cases=100_000, changes=1_000_000, load_cases=300, bulk_cases=1_000)
QUICK = Sizes(cases=5_000, changes=50_000, load_cases=30, bulk_cases=30)


@dataclass(frozen=True)
class Target:
    """One line of the targets' table."""

    key: str
    title: str
    subject: str
    """What the subject's figure counts."""
    anchor: str
    """What the anchor's figure counts (empty for a plain value)."""
    bound: float
    sense: str
    """``>=``, ``<=`` or ``<``: how the ratio must stand to the bound."""

    def met(self, value: float) -> bool:
        """Whether *value* meets the target."""
        if self.sense == ">=":
            return value >= self.bound
        if self.sense == "<=":
            return value <= self.bound
        return value < self.bound

    def better(self, new: float, old: float) -> float:
        """How much better *new* is than *old*, as a share of *old* (negative when worse)."""
        change = (new - old) / old
        return change if self.sense == ">=" else -change


def targets(sizes: Sizes) -> list[Target]:
    """The seven measures of the restated targets (two of them on two engines, one of them twice)."""
    return [
        Target(
            "apply_same_content",
            f"apply / same-content anchor ({sizes.cases:,} cases, every trail held)",
            "changes/s",
            "changes/s",
            0.5,
            ">=",
        ),
        Target("check_floor", "check / bare-dict floor", "changes/s", "changes/s", 0.10, ">="),
        Target(
            "apply_transitions",
            "apply / transitions shared-machine trigger",
            "changes/s",
            "changes/s",
            0.5,
            ">=",
        ),
        Target(
            "replay_apply",
            "replay + verify (entries/s) / apply (changes/s)",
            "entries/s",
            "changes/s",
            1,
            ">=",
        ),
        *(
            Target(
                f"cold_load_{engine}",
                f"cold load + verify of a 100-entry case / plain SELECT of its rows, {engine}",
                "ms/case",
                "ms/case",
                5,
                "<=",
            )
            for engine in ("sqlite", "postgresql")
        ),
        *(
            Target(
                f"bulk_load_{engine}",
                f"bulk load / raw executemany, same synchronous setting, {engine}",
                "entries/s",
                "entries/s",
                0.5,
                ">=",
            )
            for engine in ("sqlite", "postgresql")
        ),
        Target("bytes_case", "bytes per opened case", "bytes", "", 1024, "<"),
        Target("bytes_entry", "bytes per entry, with the evidence and salt it keeps", "bytes", "", 1024, "<"),
    ]


@dataclass(frozen=True)
class Sample:
    """One round of one measure: the subject's figure, the anchor's, and the ratio the target reads."""

    subject: float
    anchor: float | None
    ratio: float


Round = dict[str, Sample]


def seconds(work: Callable[[], tuple[int, object]], refused: int | None = None) -> float:
    """Seconds *work* takes, after a full collection; what it built is freed outside the timing."""
    gc.collect()
    start = time.perf_counter()
    seen, built = work()
    elapsed = time.perf_counter() - start
    del built
    if refused is not None:
        assert seen == refused, f"refused {seen}, expected {refused}"
    return elapsed


class Core:
    """The stream, and every input the in-memory measures need, made once before any timing."""

    def __init__(self, sizes: Sizes) -> None:
        workflow = run.WORKFLOW
        stream = data.generate(sizes.cases, sizes.changes)
        self.stream = stream
        self.sizes = sizes
        changes = stream.changes
        self.opened = run.open_cases(stream.openings)
        self.pairs, final = run.before_each(self.opened, changes)
        self.trails = [case.trail for case in final]
        self.entries = sum(len(trail) for trail in self.trails)
        self.decisions = anchors.decisions_of(changes, self.pairs, final)
        self.same_content_opened = anchors.same_content_cases(self.opened)
        self.table = anchors.table_of(workflow)
        self.shared = anchors.transitions_machine(workflow, model=None)
        self.notes = [self._same_bytes(final), self._widths()]

    def _same_bytes(self, final: Sequence[casestate.Case]) -> str:
        """Whether the same-content anchor hashes exactly what casestate hashes, entry by entry."""
        _, built = anchors.same_content(self.same_content_opened, self.stream.changes, self.decisions)
        made: list[anchors.SameContentCase] = built  # type: ignore[assignment]
        differ = sum(
            ours.hash != theirs.hash  # type: ignore[attr-defined]
            for mine, case in zip(made, final, strict=True)
            for ours, theirs in zip(mine.trail, case.trail, strict=True)
        )
        if differ:
            return f"WARNING: the same-content anchor's hash differs from casestate's in {differ:,} entries"
        return f"the same-content anchor's hashes equal casestate's in all {self.entries:,} entries"

    @staticmethod
    def _widths() -> str:
        """The width of the anchor's entry record beside ``casestate.Entry``'s, and of its case value."""

        def width(kind: type) -> int | str:
            return len(attrs.fields(kind)) if attrs.has(kind) else "?"

        entry, ours = width(casestate.Entry), width(anchors.SameContentEntry)
        said = f"the anchor's entry record has {ours} fields, casestate.Entry {entry}"
        if entry != ours:
            said = f"WARNING: {said}"
        return (
            f"{said}; its case value has {width(anchors.SameContentCase)} fields "
            f"(where a case stands and its trail, as casestate.Case held them at 803e136; "
            f"casestate.Case has {width(casestate.Case)})"
        )

    def work(self, part: float = 1.0) -> dict[str, Callable[[], float]]:
        """Each timed piece of a round, on *part* of the stream, in the round's order."""
        workflow = run.WORKFLOW
        cases = self.sizes.cases
        count = int(len(self.stream.changes) * part)
        changes = self.stream.changes[:count]
        pairs = self.pairs[:count]
        decisions = self.decisions[:count]
        trails = self.trails if part == 1.0 else self.trails[: max(1, int(len(self.trails) * part))]
        invalid = self.stream.invalid if part == 1.0 else None
        table, initial, shared, opened = self.table, workflow.initial, self.shared, self.opened
        return {
            "floor": lambda: seconds(lambda: anchors.floor(table, initial, cases, changes)),
            "check": lambda: seconds(lambda: run.check_all(pairs), invalid),
            "same_content": lambda: seconds(
                lambda: anchors.same_content(self.same_content_opened, changes, decisions), invalid
            ),
            "apply": lambda: seconds(lambda: run.apply_all(opened, changes), invalid),
            "replay": lambda: seconds(lambda: run.replay_all(trails)),
            "transitions": lambda: seconds(
                lambda: anchors.transitions_shared(
                    shared, anchors.transitions_models(workflow, cases), changes
                )
            ),
        }

    def round(self, number: int) -> Round:
        """One round of the in-memory measures; the order turns round on odd rounds."""
        pieces = self.work()
        order = list(pieces) if number % 2 == 0 else list(reversed(pieces))
        took = {name: pieces[name]() for name in order}
        changes = len(self.stream.changes)
        rate = {name: changes / took[name] for name in took}
        replayed = self.entries / took["replay"]
        return {
            "apply_same_content": Sample(
                rate["apply"], rate["same_content"], took["same_content"] / took["apply"]
            ),
            "check_floor": Sample(rate["check"], rate["floor"], took["floor"] / took["check"]),
            "apply_transitions": Sample(
                rate["apply"], rate["transitions"], took["transitions"] / took["apply"]
            ),
            "replay_apply": Sample(replayed, rate["apply"], replayed / rate["apply"]),
        }

    def memory(self) -> Round:
        """Bytes per opened case and per entry (tracemalloc, as run.py measures them)."""
        own = run.casestate_bytes(self.stream, self.sizes.cases)
        return {
            "bytes_case": Sample(own.opened, None, own.opened),
            "bytes_entry": Sample(own.entry_with_inputs, None, own.entry_with_inputs),
        }


class Stores:
    """The store measures on each engine that answers."""

    def __init__(self, sizes: Sizes, engine: str, url: str, dsn: str) -> None:
        self.sizes = sizes
        self.engines: list[store_bench.Engine] = []
        self.notes: list[str] = []
        if engine in {"sqlite", "both"}:
            self.engines.append(store_bench.SQLite())
            said = (
                "as SQLiteStore documents for its own"
                if store_bench.SYNCHRONOUS_DOCUMENTED
                else "WARNING: SQLiteStore no longer documents its own, check that it is the same"
            )
            self.notes.append(
                f"sqlite: PRAGMA synchronous = {store_bench.SQLITE_SYNCHRONOUS} on the raw side ({said}); "
                "the raw table made by the store, so the same journal mode"
            )
        if engine in {"postgresql", "both"}:
            postgres = store_bench.postgres_or_none(url, dsn)
            if postgres is not None:
                self.engines.append(postgres)
                with postgres.raw("") as connection:
                    setting = connection.execute("SHOW synchronous_commit").fetchone()[0]
                self.notes.append(f"postgresql: synchronous_commit = {setting} (the server's, on both sides)")
        self.loaded: dict[str, list[str]] = {}

    def fill(self) -> None:
        """Store the cases each round loads cold, on every engine."""
        for engine in self.engines:
            self.loaded[engine.name] = store_bench.fill(engine, "load", self.sizes.load_cases)

    def round(self, number: int) -> Round:
        """One round of the store measures on every engine."""
        measured: Round = {}
        for engine in self.engines:
            ids = self.loaded[engine.name]
            if number % 2 == 0:
                cold, _ = store_bench.store_loads(engine, "load", ids)
                plain = store_bench.plain_selects(engine, "load", ids)
            else:
                plain = store_bench.plain_selects(engine, "load", ids)
                cold, _ = store_bench.store_loads(engine, "load", ids)
            per = 1_000 / len(ids)
            measured[f"cold_load_{engine.name}"] = Sample(cold * per, plain * per, cold / plain)
            stored, raw, entries = store_bench.bulk_load(engine, self.sizes.bulk_cases, places=f"_{number}")
            measured[f"bulk_load_{engine.name}"] = Sample(entries / stored, entries / raw, raw / stored)
        return measured

    def cleanup(self) -> None:
        """Remove the databases the measures made."""
        for engine in self.engines:
            engine.cleanup()


def measure(sizes: Sizes, rounds: int, engine: str, url: str, dsn: str) -> tuple[list[Round], list[str]]:
    """Every measure, *rounds* times in this process; and what the reader should know about them."""
    print(
        f"casestate from {Path(casestate.__file__).parent}: making the stream ...",
        file=sys.stderr,
        flush=True,
    )
    core = Core(sizes)
    stores = Stores(sizes, engine, url, dsn)
    try:
        stores.fill()
        for piece in core.work(0.1).values():  # a warm-up on a tenth
            piece()
        # The inputs live through every round: keep them out of the collector's
        # full passes, so that each measure pays for collecting what it makes itself.
        gc.collect()
        gc.freeze()
        made = []
        for number in range(rounds):
            print(f"  round {number + 1} of {rounds} ...", file=sys.stderr, flush=True)
            made.append(core.round(number) | stores.round(number))
        gc.unfreeze()
        print("  memory ...", file=sys.stderr, flush=True)
        made[0] |= core.memory()
    finally:
        stores.cleanup()
    return made, [*core.notes, *stores.notes]


def medians(rounds: Sequence[Round]) -> dict[str, tuple[Sample, float, float]]:
    """Per measure: the median sample, and the lowest and highest ratio of the rounds."""
    keys = dict.fromkeys(key for each in rounds for key in each)
    found = {}
    for key in keys:
        samples = [each[key] for each in rounds if key in each]
        anchored = [sample.anchor for sample in samples if sample.anchor is not None]
        ratios = [sample.ratio for sample in samples]
        found[key] = (
            Sample(
                statistics.median(sample.subject for sample in samples),
                statistics.median(anchored) if anchored else None,
                statistics.median(ratios),
            ),
            min(ratios),
            max(ratios),
        )
    return found


def figure(value: float | None, unit: str) -> str:
    """*value* as the table shows it."""
    if value is None or not unit:
        return "-"
    if unit == "ms/case":
        return f"{value:.2f} {unit}"
    if unit == "bytes":
        return f"{value:,.0f}"
    return f"{value:,.0f} {unit}"


def table(sizes: Sizes, rounds: Sequence[Round]) -> tuple[list[str], bool]:
    """The targets' table of one tree's rounds, and whether every target measured is met."""
    found = medians(rounds)
    lines = [
        "| measure | subject | anchor | ratio (median) | min-max | target | met |",
        "|---|--:|--:|--:|--:|--:|:-:|",
    ]
    met = True
    for target in targets(sizes):
        if target.key not in found:
            lines.append(f"| {target.title} | - | - | not measured | | {target.sense} {target.bound:g} | |")
            continue
        sample, low, high = found[target.key]
        ok = target.met(sample.ratio)
        met = met and ok
        shown = f"{sample.ratio:,.0f}" if target.bound >= 10 else f"{sample.ratio:.2f}"
        spread = f"{low:,.0f}-{high:,.0f}" if target.bound >= 10 else f"{low:.2f}-{high:.2f}"
        lines.append(
            f"| {target.title} | {figure(sample.subject, target.subject)} | "
            f"{figure(sample.anchor, target.anchor)} | {shown} | {spread} | "
            f"{target.sense} {target.bound:g} | {'yes' if ok else 'NO'} |"
        )
    return lines, met


def before_after(
    sizes: Sizes, old: Sequence[Round], new: Sequence[Round], names: tuple[str, str], tolerance: float
) -> tuple[list[str], bool]:
    """The ratios of both trees side by side; and whether none got worse by more than *tolerance*."""
    before, after = medians(old), medians(new)
    lines = [
        f"| measure | {names[0]} | {names[1]} | change | target | worse |",
        "|---|--:|--:|--:|--:|:-:|",
    ]
    none_worse = True
    for target in targets(sizes):
        if target.key not in before or target.key not in after:
            continue
        was, now = before[target.key][0].ratio, after[target.key][0].ratio
        better = target.better(now, was)
        worse = better < -tolerance
        none_worse = none_worse and not worse
        digits = ",.0f" if target.bound >= 10 else ".2f"
        lines.append(
            f"| {target.title} | {was:{digits}} | {now:{digits}} | {better:+.0%} | "
            f"{target.sense} {target.bound:g} | {'WORSE' if worse else 'no'} |"
        )
    return lines, none_worse


def describe(source: Path) -> str:
    """The commit the casestate in *source* comes from, and whether its sources differ from it."""

    def git(*arguments: str) -> str:
        done = subprocess.run(  # noqa: S603 - git, with arguments of our own
            ["git", "-C", str(source), *arguments],  # noqa: S607 - git as the user's PATH finds it
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    changed = git("status", "--porcelain", "--", ".")
    return f"{commit} + uncommitted changes" if changed else commit


def header(sizes: Sizes, rounds: int, notes: Sequence[str]) -> list[str]:
    """What ran, on what, and what the reader should know."""
    lines = [f"- {key}: {value}" for key, value in run.machine().items() if key != "packages"]
    lines.append(
        f"- data: seed {data.SEED}, {sizes.changes:,} changes over {sizes.cases:,} cases; "
        f"cold loads of {sizes.load_cases:,} cases and bulk loads of {sizes.bulk_cases * 100:,} entries "
        f"a round; {rounds} rounds, each subject beside its anchor"
    )
    if rounds < MIN_ROUNDS:
        lines.append(f"- fewer than {MIN_ROUNDS} rounds: a smoke run, not a result")
    lines.extend(f"- {note}" for note in notes)
    return lines


@contextmanager
def worktree(revision: str) -> Iterator[tuple[Path, str]]:
    """Commit *revision* checked out in a temporary git worktree: its ``src`` folder and short id."""
    found = subprocess.run(  # noqa: S603 - git, asked to name a commit: nothing runs from the text given
        ["git", "-C", str(REPOSITORY), "rev-parse", "--verify", "--short", f"{revision}^{{commit}}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        msg = f"no commit {revision!r} in {REPOSITORY}: {found.stderr.strip()}"
        raise SystemExit(msg)
    short = found.stdout.strip()
    with tempfile.TemporaryDirectory(prefix="casestate-targets-") as folder:
        place = Path(folder) / short
        subprocess.run(  # noqa: S603 - git, with a commit id git itself printed
            ["git", "-C", str(REPOSITORY), "worktree", "add", "--detach", "--quiet", str(place), short],  # noqa: S607
            check=True,
        )
        try:
            yield place / "src", short
        finally:
            subprocess.run(  # noqa: S603 - as above
                ["git", "-C", str(REPOSITORY), "worktree", "remove", "--force", str(place)],  # noqa: S607
                check=False,
            )


def worker_round(source: Path, options: argparse.Namespace) -> tuple[Round, list[str]]:
    """One round, in a process of its own that imports casestate from *source*."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--rounds", "1"]
    command += ["--engine", options.engine, "--url", options.url, "--dsn", options.dsn]
    if options.quick:
        command.append("--quick")
    environment = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(command, env=environment, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        msg = f"the round on {source} failed (exit status {done.returncode})"
        raise SystemExit(msg)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    came = Path(report["casestate"]).resolve().parent.parent
    assert came == source.resolve(), f"casestate came from {came}, not {source}"
    return {key: Sample(**sample) for key, sample in report["round"].items()}, report["notes"]


def against(sizes: Sizes, options: argparse.Namespace) -> int:
    """Both trees, round by round in alternating processes; the tables and the before/after table."""
    here = REPOSITORY / "src"
    with worktree(options.against) as (there, short):
        sides = {f"{short} (--against)": there, f"this tree ({describe(here)})": here}
        found: dict[str, list[Round]] = {name: [] for name in sides}
        notes: dict[str, list[str]] = {}
        for number in range(options.rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for name in order:
                print(f"round {number + 1} of {options.rounds}: {name}", file=sys.stderr, flush=True)
                made, notes[name] = worker_round(sides[name], options)
                found[name].append(made)
    old, new = found.values()
    print("\n".join(header(sizes, options.rounds, ())))
    met = True
    for name, rounds in found.items():
        lines, met = table(sizes, rounds)  # the last is this tree: its targets decide
        print(f"\n{name}:\n")
        print("\n".join(f"- {note}" for note in notes[name]))
        print()
        print("\n".join(lines))
    lines, none_worse = before_after(sizes, old, new, tuple(sides), options.tolerance)  # type: ignore[arg-type]
    print(f"\nBefore and after (ratios; worse means by more than {options.tolerance:.0%}):\n")
    print("\n".join(lines))
    return 0 if met and none_worse else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Measure; exit status 1 when a target is missed (or, with --against, a measure got worse)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="50,000 changes over 5,000 cases, smaller store runs"
    )
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS, help=f"rounds (default {MIN_ROUNDS})")
    parser.add_argument("--against", metavar="REV", help="also measure commit REV, round by round")
    parser.add_argument(
        "--tolerance", type=float, default=0.05, help="with --against: how much worse counts as noise (0.05)"
    )
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=postgres dbname=test")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.rounds < 1:
        parser.error("--rounds must be at least 1")
    sizes = QUICK if options.quick else FULL
    started = time.perf_counter()
    if options.against:
        status = against(sizes, options)
        print(f"\n({time.perf_counter() - started:.0f} s in all)")
        return status
    rounds, notes = measure(sizes, options.rounds, options.engine, options.url, options.dsn)
    if options.worker:
        report = {"casestate": casestate.__file__, "round": asdict_round(rounds[0]), "notes": notes}
        print(json.dumps(report))
        return 0
    source = f"casestate: {describe(Path(casestate.__file__).parent)}"
    print("\n".join(header(sizes, options.rounds, [source, *notes])))
    lines, met = table(sizes, rounds)
    print()
    print("\n".join(lines))
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    return 0 if met else 1


def asdict_round(made: Round) -> dict[str, dict[str, float | None]]:
    """A round as JSON can carry it."""
    return {key: asdict(sample) for key, sample in made.items()}


if __name__ == "__main__":
    sys.exit(main())
