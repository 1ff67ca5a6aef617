"""Store throughput against raw SQL on the same rows, measured in the same run.

    python benchmarks/store_bench.py            # 1,000,000 entries per engine
    python benchmarks/store_bench.py --quick    # 20,000 entries, for a smoke run

For each engine (SQLite in a temporary directory; PostgreSQL at --url, in a
throw-away schema, skipped when no server answers):

- bulk load: cases of 100 entries, each opened and then given 99 changes in
  one ``apply``; against ``executemany`` of the very rows the store wrote,
  into an identical empty table, in the same transactions. Store and raw
  writes alternate case by case, so both meet the machine in the same state.
- one change per transaction: against one ``INSERT`` and commit per row,
  alternating in the same way.
- load and verify a 100-entry case, in a fresh store (every entry checked)
  and again in the same store (the rows compared with those verified);
  against a plain ``SELECT`` of the same rows.

Targets: bulk load at least 50% of the raw rate; a cold load and verify of a
100-entry case at most 3x the plain SELECT.
"""

from __future__ import annotations

import argparse
import random
import re
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from casestate import Actor, Case, Change, Evidence, EvidenceKind
from casestate.store import PostgresStore, SQLiteStore

T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)
CASE_SIZE = 100
REPORTS = ("report_captured", "report_wounded", "report_dead")
FAMILY = Actor("family-1", "family")
_DOCUMENTED = re.search(r"synchronous\s*=\s*(\w+)", SQLiteStore.__doc__ or "")
SQLITE_SYNCHRONOUS = _DOCUMENTED.group(1).upper() if _DOCUMENTED else "FULL"
"""The raw side's ``synchronous``: the one ``SQLiteStore`` documents for its own connection.

SQLite keeps the setting per connection, out of another connection's sight:
the store's documentation is the one public place that says it.
"""
SYNCHRONOUS_DOCUMENTED = _DOCUMENTED is not None


def entry_columns(connection: Any) -> tuple[str, ...]:  # noqa: ANN401 - either driver's connection
    """The columns of the ``entries`` table, as the store made it: read, so that no private name is needed."""
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM entries WHERE 1 = 0")
    return tuple(column[0] for column in cursor.description)


def insert_sql(columns: tuple[str, ...], mark: str) -> str:
    """The statement that inserts one row of *columns* into ``entries``."""
    names = ", ".join(f'"{name}"' for name in columns)
    return f"INSERT INTO entries ({names}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608 - names read from the table


def select_trail_sql(columns: tuple[str, ...], mark: str) -> str:
    """The plain SELECT of one case's entries, every column the store reads (all but the position)."""
    names = ", ".join(f'"{name}"' for name in columns if name != "position")
    return f"SELECT {names} FROM entries WHERE case_id = {mark} ORDER BY seq"  # noqa: S608 - as above


def changes_for(case: Case, count: int, rng: random.Random) -> list[Change]:
    """*count* reports the default workflow accepts, one after another.

    Each happened a while before it was recorded, on evidence obtained in
    between, and no two cases share their times: a store may not count on
    timestamps repeating.
    """
    when = case.last_recorded_at
    made = []
    for number in range(count):
        when += timedelta(hours=rng.randrange(1, 48), microseconds=rng.randrange(3_600_000_000))
        happened = when - timedelta(microseconds=rng.randrange(3_000_000_000))
        obtained = when - timedelta(microseconds=rng.randrange(3_000_000_000))
        made.append(
            Change(
                trigger=REPORTS[rng.randrange(3)],
                actor=FAMILY,
                evidence=[Evidence(EvidenceKind.VIDEO, f"ref/{number}", "a channel", obtained)],
                reason=f"report {number}",
                effective_at=happened,
                recorded_at=when,
            )
        )
    return made


def opening_time(rng: random.Random) -> datetime:
    """When a case was opened: anywhere in the year after T0, to the microsecond."""
    return T0 + timedelta(microseconds=rng.randrange(365 * 24 * 3_600_000_000))


class Engine:
    """One engine: how to open a store, and how to run raw SQL on an identical empty copy."""

    name = ""
    mark = "?"

    def store(self, place: str) -> SQLiteStore | PostgresStore:
        """The store at *place* (created when new)."""
        raise NotImplementedError

    @contextmanager
    def raw(self, place: str) -> Iterator[Any]:
        """A plain driver connection to the database at *place*."""
        raise NotImplementedError

    def cleanup(self) -> None:
        """Remove what the benchmark made."""


class SQLite(Engine):
    """SQLite files in a temporary directory."""

    name = "sqlite"

    def __init__(self) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="casestate-bench-")

    def store(self, place: str) -> SQLiteStore:
        """The store at *place* (created when new)."""
        return SQLiteStore(Path(self.directory.name) / f"{place}.db")

    @contextmanager
    def raw(self, place: str) -> Iterator[sqlite3.Connection]:
        """A plain driver connection to the database at *place*."""
        connection = sqlite3.connect(Path(self.directory.name) / f"{place}.db", isolation_level=None)
        connection.execute(f"PRAGMA synchronous = {SQLITE_SYNCHRONOUS}")
        try:
            yield connection
        finally:
            connection.close()

    def cleanup(self) -> None:
        """Remove what the benchmark made."""
        self.directory.cleanup()


class Postgres(Engine):
    """Throw-away schemas in a PostgreSQL database."""

    name = "postgresql"
    mark = "%s"

    def __init__(self, url: str, dsn: str) -> None:
        self.url = url
        self.dsn = dsn
        self.prefix = f"casestate_bench_{secrets.token_hex(4)}"
        self.schemas: set[str] = set()

    def store(self, place: str) -> PostgresStore:
        """The store at *place* (created when new)."""
        self.schemas.add(f"{self.prefix}_{place}")
        return PostgresStore(self.url, schema=f"{self.prefix}_{place}")

    @contextmanager
    def raw(self, place: str) -> Iterator[Any]:
        """A plain driver connection to the database at *place*."""
        import psycopg  # noqa: PLC0415 - only with PostgreSQL

        with psycopg.connect(
            self.dsn, autocommit=True, options=f"-c search_path={self.prefix}_{place}"
        ) as connection:
            yield connection

    def cleanup(self) -> None:
        """Remove what the benchmark made."""
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            for schema in self.schemas:
                connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def timed(action: Callable[[], object]) -> float:
    """Seconds *action* takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bulk_load(engine: Engine, cases: int, *, places: str = "") -> tuple[float, float, int]:
    """Seconds for the store, and for raw executemany of the very rows it wrote, interleaved.

    Each case's rows are copied right after the store wrote them, in the same
    transactions (the opening entry, then the batch), so that both see the
    same machine at the same moment. The store writes into ``bulk<places>``,
    the raw copy goes to ``raw<places>``: both made anew by the store.
    """
    rng = random.Random(1)
    store_seconds = raw_seconds = 0.0
    entries = 0
    select = f"SELECT * FROM entries WHERE case_id = {engine.mark} ORDER BY seq"  # noqa: S608 - fixed text
    engine.store(f"raw{places}").close()  # the same schema, empty
    with (
        engine.store(f"bulk{places}") as store,
        engine.raw(f"bulk{places}") as source,
        engine.raw(f"raw{places}") as target,
    ):
        insert = insert_sql(entry_columns(source), engine.mark)
        reader = source.cursor()
        for number in range(cases):
            case_id = f"case-{number:07d}"
            opened_at = opening_time(rng)
            start = time.perf_counter()
            case = store.open_case(case_id, actor=FAMILY, effective_at=opened_at, recorded_at=opened_at)
            store_seconds += time.perf_counter() - start
            batch = changes_for(case, CASE_SIZE - 1, rng)
            start = time.perf_counter()
            store.apply(case_id, batch, expected_version=1)
            store_seconds += time.perf_counter() - start
            reader.execute(select, (case_id,))
            rows = reader.fetchall()
            entries += len(rows)
            for chunk in (rows[:1], rows[1:]):
                start = time.perf_counter()
                with _transaction(target):
                    target.cursor().executemany(insert, chunk)
                raw_seconds += time.perf_counter() - start
    return store_seconds, raw_seconds, entries


@contextmanager
def _transaction(connection: Any) -> Iterator[None]:  # noqa: ANN401 - either driver's connection
    if isinstance(connection, sqlite3.Connection):
        connection.execute("BEGIN IMMEDIATE")
        yield
        connection.execute("COMMIT")
    else:
        with connection.transaction():
            yield


def one_per_transaction(engine: Engine, changes: int) -> tuple[float, float]:
    """Seconds for the store to apply *changes* one by one, and for raw single-row inserts, interleaved."""
    rng = random.Random(2)
    select = f"SELECT * FROM entries WHERE case_id = {engine.mark} AND seq = {engine.mark}"  # noqa: S608
    engine.store("single_raw").close()
    store_seconds = raw_seconds = 0.0
    with engine.store("single") as store, engine.raw("single") as source, engine.raw("single_raw") as target:
        insert = insert_sql(entry_columns(source), engine.mark)
        reader = source.cursor()
        ids = [f"case-{number:04d}" for number in range(100)]
        cases = {
            case_id: store.open_case(
                case_id, actor=FAMILY, effective_at=(at := opening_time(rng)), recorded_at=at
            )
            for case_id in ids
        }
        for _ in range(changes):
            case_id = rng.choice(ids)
            case = cases[case_id]
            [change] = changes_for(case, 1, rng)
            start = time.perf_counter()
            cases[case_id] = store.apply(case_id, [change], expected_version=case.version)
            store_seconds += time.perf_counter() - start
            reader.execute(select, (case_id, case.version))
            row = reader.fetchone()
            start = time.perf_counter()
            with _transaction(target):
                target.cursor().execute(insert, row)
            raw_seconds += time.perf_counter() - start
    return store_seconds, raw_seconds


def fill(engine: Engine, place: str, count: int) -> list[str]:
    """*count* cases of ``CASE_SIZE`` entries stored at *place*; their ids."""
    rng = random.Random(3)
    ids = [f"case-{number:04d}" for number in range(count)]
    with engine.store(place) as store:
        for case_id in ids:
            opened_at = opening_time(rng)
            case = store.open_case(case_id, actor=FAMILY, effective_at=opened_at, recorded_at=opened_at)
            store.apply(case_id, changes_for(case, CASE_SIZE - 1, rng), expected_version=1)
    return ids


def store_loads(engine: Engine, place: str, ids: list[str]) -> tuple[float, float]:
    """Seconds for a fresh store to load and verify every case (cold), then for it to load them again."""
    with engine.store(place) as store:
        cold = timed(lambda: [store.load(case_id) for case_id in ids])
        warm = timed(lambda: [store.load(case_id) for case_id in ids])
    return cold, warm


def plain_selects(engine: Engine, place: str, ids: list[str]) -> float:
    """Seconds for a plain SELECT of every case's rows, after one pass to warm the same cache."""
    with engine.raw(place) as connection:
        select = select_trail_sql(entry_columns(connection), engine.mark)
        cursor = connection.cursor()

        def plain() -> None:
            for case_id in ids:
                cursor.execute(select, (case_id,))
                assert len(cursor.fetchall()) == CASE_SIZE

        plain()  # the same warm cache the store's second pass had
        return timed(plain)


def load_and_verify(engine: Engine, rounds: int) -> tuple[float, float, float]:
    """Per case: a cold load (fresh store), a warm load (same store), and a plain SELECT."""
    ids = fill(engine, "load", rounds)
    cold, warm = store_loads(engine, "load", ids)
    raw = plain_selects(engine, "load", ids)
    return cold / rounds, warm / rounds, raw / rounds


def postgres_or_none(url: str, dsn: str) -> Postgres | None:
    """The PostgreSQL engine, or None (and why) when no server answers."""
    try:
        import psycopg  # noqa: PLC0415

        psycopg.connect(dsn, connect_timeout=3).close()
    except (ImportError, OSError, Exception) as error:  # noqa: BLE001 - any failure means: skip the engine
        print(f"PostgreSQL skipped: {error}")
        return None
    return Postgres(url, dsn)


def main() -> None:
    """Run every measure on every engine available and print one table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--entries", type=int, help="entries in the bulk load (default 1,000,000)")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 user=postgres dbname=test")
    arguments = parser.parse_args()
    entries = arguments.entries or (20_000 if arguments.quick else 1_000_000)
    singles = 300 if arguments.quick else 3_000
    rounds = 50 if arguments.quick else 300
    engines: list[Engine] = []
    if arguments.engine in ("sqlite", "both"):
        engines.append(SQLite())
    if arguments.engine in ("postgresql", "both"):
        postgres = postgres_or_none(arguments.url, arguments.dsn)
        if postgres is not None:
            engines.append(postgres)
    lines = [
        f"{'engine':<11} {'measure':<34} {'store':>14} {'raw SQL':>14} {'ratio':>9}  target",
        "-" * 96,
    ]
    for engine in engines:
        try:
            store_s, raw_s, written = bulk_load(engine, entries // CASE_SIZE)
            lines.append(
                f"{engine.name:<11} {f'bulk load, {written:,} entries':<34} "
                f"{written / store_s:>10,.0f} e/s {written / raw_s:>10,.0f} e/s "
                f"{raw_s / store_s:>8.0%}  >= 50% of raw"
            )
            store_s, raw_s = one_per_transaction(engine, singles)
            lines.append(
                f"{engine.name:<11} {f'one change per transaction, {singles:,}':<34} "
                f"{singles / store_s:>10,.0f} t/s {singles / raw_s:>10,.0f} t/s {raw_s / store_s:>8.0%}"
            )
            cold, warm, plain = load_and_verify(engine, rounds)
            lines.append(
                f"{engine.name:<11} {'load+verify 100 entries, cold':<34} "
                f"{cold * 1e3:>11.2f} ms {plain * 1e3:>11.2f} ms {cold / plain:>8.1f}x  <= 3x the SELECT"
            )
            lines.append(
                f"{engine.name:<11} {'load+verify 100 entries, same store':<34} "
                f"{warm * 1e3:>11.2f} ms {plain * 1e3:>11.2f} ms {warm / plain:>8.1f}x"
            )
        finally:
            engine.cleanup()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
