"""How long ``casestate apply`` takes to store a file, against ``casestate validate`` of it.

Writes a JSON Lines file of changes every line of which the default workflow
accepts (by default 50,000 lines over 5,000 cases, the stories of
``validate_bench.py`` without its refused lines), then measures in the same
run, each store a fresh one:

- validate (``casestate validate FILE``): the check alone, nothing stored;
  the baseline;
- all or nothing (``casestate apply FILE``): the file checked in full, then
  read and checked again and written, in one transaction (``store.atomic()``);
- line by line (``casestate apply FILE --per-line``): the file checked and
  written as it is read, up to 10,000 lines at a time in one transaction.

The ratios say what storing adds to checking. SQLite runs in a temporary
directory; PostgreSQL (skipped when no server answers) in a database of its
own, made and dropped by the benchmark (``casestate_apply_bench_<pid>``).

    python benchmarks/apply_bench.py            # 50,000 lines over 5,000 cases
    python benchmarks/apply_bench.py --quick    # 10,000 lines over 1,000 cases
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import validate_bench

from casestate.cli import main

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
DATABASE = f"casestate_apply_bench_{os.getpid()}"
"""The benchmark's own database, one per run, so that two runs never drop each other's."""
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"


def accepted_lines(path: Path, lines: int, cases: int) -> int:
    """Write *lines* changes over *cases* cases to *path*, keep those the workflow accepts; how many."""
    validate_bench.REFUSED_SHARE = 0.0
    validate_bench.write_changes(path, lines, cases)
    _, report = validate_bench.validate(path)
    refused = {item["line"] for item in json.loads(report)["findings"] if item["outcome"] == "rejected"}
    # A refused line leaves no entry, so the lines after it mean the same without it.
    kept = [line for number, line in enumerate(path.read_text().splitlines(), 1) if number not in refused]
    path.write_text("\n".join(kept) + "\n")
    return len(kept)


def stored(path: Path, store: str, *options: str) -> float:
    """Seconds for ``casestate apply PATH --store STORE --quiet OPTIONS``; every line must be stored."""
    sink = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            main.main(args=["apply", str(path), "--store", store, "--quiet", *options], prog_name="casestate")
        except SystemExit as done:
            if done.code not in (0, None):
                msg = f"casestate apply exited {done.code}: {sink.getvalue()[-500:]}"
                raise RuntimeError(msg) from None
    return time.perf_counter() - started


@contextlib.contextmanager
def sqlite_stores(folder: Path) -> Iterator[Iterator[str]]:
    """New SQLite store paths in *folder*, one per run."""

    def fresh() -> Iterator[str]:
        number = 0
        while True:
            number += 1
            yield str(folder / f"cases-{number}.db")

    yield fresh()


@contextlib.contextmanager
def postgres_stores() -> Iterator[Iterator[str]]:
    """The URL of the benchmark's own database, made anew for each run and dropped at the end."""
    import psycopg  # noqa: PLC0415 - only with a server

    def recreate() -> None:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            admin.execute(f"CREATE DATABASE {DATABASE}")

    def fresh() -> Iterator[str]:
        while True:
            recreate()
            yield URL

    try:
        yield fresh()
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


def postgres_answers() -> bool:
    """Whether the local PostgreSQL server answers (and why not, printed, when it does not)."""
    try:
        import psycopg  # noqa: PLC0415

        psycopg.connect(ADMIN_DSN, connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 - any failure means: skip the engine
        print(f"PostgreSQL skipped: {error}")
        return False
    return True


def main_() -> None:
    """Measure both modes on each engine and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 lines over 1,000 cases")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the best kept (default 2)")
    options = parser.parse_args()
    lines, cases = (10_000, 1_000) if options.quick else (50_000, 5_000)
    with tempfile.TemporaryDirectory(prefix="casestate-bench-") as folder:
        path = Path(folder) / "changes.jsonl"
        kept = accepted_lines(path, lines, cases)
        print(f"{kept:,} lines over {cases:,} cases, every one accepted")
        engines = [("sqlite", sqlite_stores(Path(folder)))]
        if postgres_answers():
            engines.append(("postgresql", postgres_stores()))
        checked = min(validate_bench.validate(path)[0] for _ in range(options.repeat))
        print(f"validate (the baseline): {checked:.2f} s ({kept / checked:,.0f} lines/s)")
        print(f"{'engine':<11} {'all or nothing':>16} {'--per-line':>16}   ratios to validate")
        for name, places in engines:
            with places as fresh:
                whole = per_line = float("inf")
                for _ in range(options.repeat):  # interleaved: the machine may be shared
                    whole = min(whole, stored(path, next(fresh)))
                    per_line = min(per_line, stored(path, next(fresh), "--per-line"))
            print(
                f"{name:<11} {whole:>14.2f} s {per_line:>14.2f} s   "
                f"{whole / checked:.2f}x and {per_line / checked:.2f}x"
            )


if __name__ == "__main__":
    main_()
