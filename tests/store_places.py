"""Where the store tests keep their stores, on each engine, and how they reach the database directly.

Importable by worker processes: a Place is a small picklable value, and the
workers below open their own store from it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

import casestate as cs
from casestate import Case, Change, Evidence, EvidenceKind
from casestate.store import (
    AsyncPostgresStore,
    AsyncSQLiteStore,
    ConcurrentUpdate,
    PostgresStore,
    SQLiteStore,
)
from support import actor, day

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
REPORTS = ("report_captured", "report_wounded", "report_dead")


@attrs.frozen
class Place:
    """One store location: a SQLite file, or a PostgreSQL schema."""

    engine: str
    target: str
    schema: str | None = None

    def open(self, **options: Any) -> SQLiteStore | PostgresStore:
        if self.engine == "sqlite":
            return SQLiteStore(self.target, **options)
        return PostgresStore(self.target, schema=self.schema or "casestate", **options)

    def open_async(self, **options: Any) -> AsyncSQLiteStore | AsyncPostgresStore:
        """The asynchronous store of this place: await it, or use it in ``async with``."""
        if self.engine == "sqlite":
            return AsyncSQLiteStore(self.target, **options)
        return AsyncPostgresStore(self.target, schema=self.schema or "casestate", **options)

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement straight on the database (``?`` placeholders), committed."""
        if self.engine == "sqlite":
            connection = sqlite3.connect(self.target)
            try:
                with connection:
                    return connection.execute(statement, params).fetchall()
            finally:
                connection.close()
        import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need it

        with psycopg.connect(POSTGRES_DSN, autocommit=True, options=f"-c search_path={self.schema}") as pg:
            cursor = pg.execute(statement.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def tables(self) -> set[str]:
        if self.engine == "sqlite":
            rows = self.sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = self.sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", (self.schema,)
            )
        return {name for (name,) in rows}

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's tables locked by another connection, as a stuck writer would."""
        if self.engine == "sqlite":
            connection = sqlite3.connect(self.target, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                connection.execute("ROLLBACK")
                connection.close()
            return
        import psycopg  # noqa: PLC0415

        with psycopg.connect(POSTGRES_DSN, options=f"-c search_path={self.schema}") as pg:
            pg.execute("LOCK TABLE cases, positions IN ACCESS EXCLUSIVE MODE")
            try:
                yield
            finally:
                pg.rollback()


def report(case: Case, note: str, number: int) -> Change:
    """A report that the default workflow always accepts: as a transition, corroboration or conflict."""
    when = case.last_recorded_at + timedelta(seconds=1)
    return Change(
        trigger=REPORTS[number % len(REPORTS)],
        actor=actor("family"),
        evidence=[Evidence(EvidenceKind.VIDEO, f"ref/{note}", "a channel", when)],
        reason=note,
        effective_at=when,
        recorded_at=when,
    )


def open_cases(place: Place, count: int) -> list[str]:
    ids = [f"case-{number:03d}" for number in range(count)]
    with place.open() as store:
        for case_id in ids:
            store.open_case(case_id, actor=actor("family"), effective_at=day(0), recorded_at=day(1))
    return ids


def contend(place: Place, case_ids: list[str], attempts: int, worker: int) -> tuple[list[str], int]:
    """Load a random case, change it, store it; count the changes accepted and those refused."""
    rng = random.Random(worker)  # noqa: S311 - a repeatable choice of cases, not a secret
    accepted: list[str] = []
    refused = 0
    with place.open() as store:
        for number in range(attempts):
            case_id = rng.choice(case_ids)
            case = store.load(case_id)
            note = f"w{worker}-{number}"
            try:
                store.apply(case_id, [report(case, note, number)], expected_version=case.version)
            except ConcurrentUpdate:
                refused += 1
            else:
                accepted.append(note)
    return accepted, refused


def sent_again(number: int, salt: bytes) -> Change:
    """The change a source sends as its *number*th, under its source id: the same whoever sends it.

    The *salt* is no part of what makes it the same change: it tells which writer stored it.
    """
    return Change(
        trigger=REPORTS[number % len(REPORTS)],
        actor=actor("family"),
        evidence=[Evidence(EvidenceKind.VIDEO, f"ref/{number}", "a channel", day(2 + number))],
        effective_at=day(2 + number),
        recorded_at=day(2 + number),
        source_id=f"feed/{number}",
        salt=salt,
    )


def send_the_same(
    place: Place, case_ids: list[str], count: int, worker: int, start_at: float = 0.0
) -> tuple[int, int, int]:
    """Send each case the same *count* changes another writer sends too, each under its source id.

    How many this writer stored, how many it found stored by another after it
    had read the case without them (the writers raced), and how many the store refused.
    Each writer waits for the wall-clock instant *start_at* once its store is open, so that
    writers started one after another on a loaded machine still send at once.
    """
    salt = bytes([worker + 1]) * 16
    stored = raced = refused = 0
    with place.open() as store:
        time.sleep(max(0.0, start_at - time.time()))
        for number in range(count):
            for case_id in case_ids:
                change = sent_again(number, salt)
                case = store.load(case_id)
                try:
                    updated = store.apply(case_id, [change], expected_version=case.version)
                except ConcurrentUpdate:
                    refused += 1
                    continue
                entry = updated.trail[updated.source_ids[change.source_id]]
                if entry.salt == salt:
                    stored += 1
                elif change.source_id not in case.source_ids:
                    raced += 1
    return stored, raced, refused


async def contend_in_tasks(
    store: AsyncSQLiteStore | AsyncPostgresStore, case_ids: list[str], attempts: int, worker: int
) -> tuple[list[str], int]:
    """:func:`contend`, as a task on an asynchronous store that other tasks share."""
    rng = random.Random(worker)  # noqa: S311 - as above
    accepted: list[str] = []
    refused = 0
    for number in range(attempts):
        case_id = rng.choice(case_ids)
        case = await store.load(case_id)
        await asyncio.sleep(0)  # let the other tasks come between the read and the write
        note = f"w{worker}-{number}"
        try:
            await store.apply(case_id, [report(case, note, number)], expected_version=case.version)
        except ConcurrentUpdate:
            refused += 1
        else:
            accepted.append(note)
    return accepted, refused


def contend_async(place: Place, case_ids: list[str], attempts: int, worker: int) -> tuple[list[str], int]:
    """A process of its own: four tasks on one asynchronous store, each as :func:`contend`."""

    async def tasks() -> tuple[list[str], int]:
        async with place.open_async() as store:
            results = await asyncio.gather(
                *(contend_in_tasks(store, case_ids, attempts, worker * 10 + task) for task in range(4))
            )
        return [note for notes, _ in results for note in notes], sum(count for _, count in results)

    return asyncio.run(tasks())


def write_in_one_async_block(place: Place, case_ids: list[str], marker: str) -> None:
    """:func:`write_in_one_block`, on the asynchronous store."""

    async def block() -> None:
        async with place.open_async() as store, store.atomic():
            await store.open_case(
                "case-in-block", actor=actor("family"), effective_at=day(0), recorded_at=day(1)
            )
            for case_id in case_ids:
                case = await store.load(case_id)
                await store.apply(case_id, [report(case, "in the block", 0)], expected_version=case.version)
            Path(marker).touch()  # noqa: ASYNC240 - a worker that is killed here
            await asyncio.sleep(60)

    asyncio.run(block())


def write_batches(place: Place, case_ids: list[str], size: int, marker: str | None) -> None:
    """Append batches of *size* changes until killed.

    With *marker*, stop inside the first write transaction, after the rows
    are inserted and before the commit: touch *marker* and wait to be killed.
    """
    if marker is not None:
        from casestate.store import _sql  # noqa: PLC0415 - the hook is this worker's alone

        original = _sql.SQLStore._append

        def append_then_wait(self: _sql.SQLStore, tx: _sql.Tx, *rows_and_last: Any) -> Any:
            yield from original(self, tx, *rows_and_last)
            Path(marker).touch()
            time.sleep(60)

        _sql.SQLStore._append = append_then_wait  # type: ignore[method-assign]
    with place.open() as store:
        number = 0
        while True:
            for case_id in case_ids:
                start = case = store.load(case_id)
                batch = []
                for _ in range(size):
                    change = report(case, f"b{number}", number)
                    case = store.workflow.apply(case, change)
                    batch.append(change)
                    number += 1
                store.apply(case_id, batch, expected_version=start.version)


def verified_store(place: Place, case_ids: list[str]) -> dict[str, Case]:
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


def check_no_update_lost(
    place: Place, case_ids: list[str], results: list[tuple[list[str], int]], tries: int
) -> None:
    """Racing writers' *results* (changes accepted, refusals): every accepted change is stored once, no other.

    *tries* is how many changes they tried in all; some must have been refused, or they never raced.
    """
    accepted = [note for notes, _ in results for note in notes]
    refused = sum(count for _, count in results)
    assert len(accepted) + refused == tries
    assert refused > 0, "the writers never raced: the test proves nothing"
    cases = verified_store(place, case_ids)
    stored = Counter(entry.reason for case in cases.values() for entry in case.trail[1:])
    assert stored == Counter(accepted)
    assert max(stored.values()) == 1
    assert sum(case.version for case in cases.values()) == len(case_ids) + len(accepted)


def wait_for(path: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not Path(path).exists():
        if time.monotonic() > deadline:
            msg = f"{path} did not appear within {seconds} s"
            raise TimeoutError(msg)
        time.sleep(0.01)


def write_in_one_block(place: Place, case_ids: list[str], marker: str) -> None:
    """Open a case and change every case in *case_ids*, all in one atomic block; touch *marker* and wait there."""
    with place.open() as store, store.atomic():
        store.open_case("case-in-block", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
        for case_id in case_ids:
            case = store.load(case_id)
            store.apply(case_id, [report(case, "in the block", 0)], expected_version=case.version)
        Path(marker).touch()
        time.sleep(60)


@attrs.define
class Fault:
    """Whether the next entry rows inserted fail, as on a disk gone or a connection lost."""

    now: bool = False


def transaction_class(store: SQLiteStore | PostgresStore) -> Any:
    """The class of *store*'s engine transactions, for a test to hook."""
    if isinstance(store, SQLiteStore):
        from casestate.store._sqlite import _SQLiteTransaction  # noqa: PLC0415 - the hook's own

        return _SQLiteTransaction
    from casestate.store._postgres import _PostgresTransaction  # noqa: PLC0415

    return _PostgresTransaction


def fault_on_insert(store: SQLiteStore | PostgresStore, monkeypatch: Any) -> Fault:
    """Make *store*'s engine fail inserting entry rows while the returned switch is on, with its own error."""
    fault = Fault()
    error: type[Exception] = sqlite3.OperationalError
    if not isinstance(store, SQLiteStore):
        import psycopg  # noqa: PLC0415

        error = psycopg.OperationalError
    Engine = transaction_class(store)  # noqa: N806 - a class
    insert = Engine.insert_entries

    def insert_or_fail(self: Any, rows: Any) -> None:
        if fault.now:
            raise error("the disk went away")
        insert(self, rows)

    monkeypatch.setattr(Engine, "insert_entries", insert_or_fail)
    return fault


def queries_starting(store: SQLiteStore | PostgresStore, monkeypatch: Any, prefix: str) -> list[str]:
    """The statements *store*'s engine runs from now on that start with *prefix*, as they run."""
    Engine = transaction_class(store)  # noqa: N806 - a class
    seen: list[str] = []
    query = Engine.query

    def counted(self: Any, sql: str, params: Any = None) -> Any:
        if sql.startswith(prefix):
            seen.append(sql)
        return query(self, sql, params)

    monkeypatch.setattr(Engine, "query", counted)
    return seen


def calls_of(store: SQLiteStore | PostgresStore, monkeypatch: Any, method: str) -> list[int]:
    """The calls *store*'s engine makes of its transaction's *method* from now on (the number of rows passed)."""
    Engine = transaction_class(store)  # noqa: N806 - a class
    seen: list[int] = []
    original = getattr(Engine, method)

    def counted(self: Any, *args: Any) -> Any:
        seen.append(len(args[-1]))
        return original(self, *args)

    monkeypatch.setattr(Engine, method, counted)
    return seen


def snapshot(place):
    """Everything the store holds, to show that a refused operation changed nothing."""
    return {
        table: place.sql(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed table names
        for table in ("meta", "positions", "cases", "entries")
    }


def killed(process):
    os.kill(process.pid, signal.SIGKILL)
    process.join(30)
    assert process.exitcode == -signal.SIGKILL
