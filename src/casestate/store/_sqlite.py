"""SQLite: the embedded default, one file in WAL mode; SQLiteStore on stdlib ``sqlite3``.

:class:`SQLiteDialect` is what both SQLite stores share (the file, its
pragmas, the engine's SQL and errors); :class:`SQLiteStore` adds
``sqlite3``'s calls, and ``AsyncSQLiteStore`` aiosqlite's.
"""

from __future__ import annotations

import os
import sqlite3
import time
from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from casestate import DEFAULT_WORKFLOW, Workflow

from ._base import NotAStore, StoreError, StoreLocked
from ._clock import CLOCK_TOLERANCE, Clock, system_clock
from ._memo import DEFAULT_CACHE_ENTRIES
from ._schema import Duplicate, Row, insert_entries_sql, schema
from ._sql import SQLStore, SyncSQLStore
from ._statements import SELECT_CASE, SELECT_TRAIL
from ._steps import Call, Steps, Tx

INSERT_ENTRIES = insert_entries_sql("?")
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_NOT_A_DATABASE = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})
_KEY_CONFLICTS = frozenset({"SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE"})
_PRAGMAS = (
    "PRAGMA synchronous = FULL",
    # Freed space is overwritten: an erased personal part leaves no bytes behind in the file.
    "PRAGMA secure_delete = ON",
)
"""What every connection sets: each commit synced to disk, and nothing erased left in free pages."""


def duplicate_or(error: sqlite3.IntegrityError) -> Exception:
    """A key conflict as :class:`Duplicate`; any other refusal (a trigger's, a check's) as it came."""
    if getattr(error, "sqlite_errorname", None) in _KEY_CONFLICTS:
        return Duplicate(str(error))
    return error


class _SQLiteTransaction:
    def __init__(self, connection: sqlite3.Connection, closed: Callable[[], bool]) -> None:
        self._connection = connection
        self._closed = closed

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        return self._connection.execute(sql, params or {}).fetchall()

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        try:
            return self._connection.execute(sql, params or {}).rowcount
        except sqlite3.IntegrityError as error:
            raise duplicate_or(error) from None

    def insert_entries(self, rows: Sequence[Row]) -> None:
        try:
            self._connection.executemany(INSERT_ENTRIES, rows)
        except sqlite3.IntegrityError as error:
            raise duplicate_or(error) from None

    def execute_many(self, sql: str, params: Sequence[Mapping[str, object]]) -> int:
        try:
            return self._connection.executemany(sql, params).rowcount
        except sqlite3.IntegrityError as error:
            raise duplicate_or(error) from None

    def end(self, commit: bool) -> None:
        connection = self._connection
        try:
            if commit:
                connection.execute("COMMIT")
        finally:
            # A failed commit, or anything else, undoes the transaction; closing the store rolled it back.
            if not self._closed() and connection.in_transaction:
                connection.execute("ROLLBACK")


class SQLiteDialect(SQLStore):
    """What both SQLite stores share: the file, its pragmas, and the engine's SQL and errors."""

    path: Path
    _absolute: Path
    _file: tuple[int, int] | None

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        workflow: Workflow = DEFAULT_WORKFLOW,
        key: bytes | None = None,
        create: bool = True,
        timeout: float = 5.0,
        cache_entries: int = DEFAULT_CACHE_ENTRIES,
        clock: Clock = system_clock,
        clock_tolerance: timedelta = CLOCK_TOLERANCE,
    ) -> None:
        super().__init__(
            workflow=workflow,
            key=key,
            cache_entries=cache_entries,
            clock=clock,
            clock_tolerance=clock_tolerance,
        )
        self._connection: Any = None
        self._timeout = timeout
        self._start_with(self._opening(fresh=self._locate(path, create=create), create=create))

    @abstractmethod
    def _start_with(self, steps: Steps[None]) -> None:
        """Open the store with *steps*: now, or when the store is awaited."""

    @abstractmethod
    def _connect(self) -> Any:  # noqa: ANN401 - a connection, or an awaitable of one
        """Open the connection to :attr:`path`."""

    def _locate(self, path: str | os.PathLike[str], *, create: bool) -> bool:
        """Take *path*; whether the store is new there (no file, or an empty one)."""
        self.path = Path(path)
        self.location = str(self.path)
        if not create and not self.path.exists():
            raise NotAStore(f"{self.location} does not exist (and create=False)")
        return not self.path.exists() or self.path.stat().st_size == 0

    def _connected(self) -> None:
        """Note the file the connection opened, whatever the working folder becomes."""
        self._absolute = self.path.absolute()
        self._file = self._identity()

    def _opening(self, *, fresh: bool, create: bool) -> Steps[None]:
        """Connect and set the connection up, then check (or create, or upgrade) the schema and the key."""
        try:
            self._connection = yield Call(self._connect)
        except sqlite3.Error as error:
            raise StoreError(f"{self.location} cannot be opened: {error}") from None
        self._connected()
        try:
            if fresh and create:
                # WAL is a property of the file, set once, before the schema;
                # a file that is someone else's database is left as it is.
                yield from self._wal(self._timeout)
            for pragma in _PRAGMAS:
                yield Call(self._pragma, (pragma,))
            yield from self._setup(create=create)
        except sqlite3.Error as error:
            raise self._translate(error) from None
        except UnicodeDecodeError:  # SQLite's own message quotes the bytes, which Python cannot decode
            raise NotAStore(f"{self.location} is not a casestate store: its schema is not UTF-8") from None

    def _wal(self, timeout: float) -> Steps[None]:
        """Put the file in WAL mode, waiting up to *timeout* for others opening it at the same moment.

        SQLite does not wait on a lock for this pragma as it does for a statement:
        several processes creating one store at once would fail at once.
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                yield Call(self._pragma, ("PRAGMA journal_mode = WAL",))
            except sqlite3.OperationalError as error:
                busy = (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _BUSY
                if not busy or time.monotonic() >= deadline:
                    raise
                yield Call(self._pause, (0.01,))
            else:
                return

    @abstractmethod
    def _pragma(self, sql: str) -> Any:  # noqa: ANN401 - None, or an awaitable of it
        """Run a pragma on the connection, outside any transaction."""

    @abstractmethod
    def _pause(self, seconds: float) -> Any:  # noqa: ANN401 - None, or an awaitable of it
        """Wait *seconds*, as the kind of store waits."""

    def _after_erasure(self) -> Steps[None]:
        """Copy the write-ahead log into the file and empty it: older frames still hold the erased bytes.

        A connection still reading keeps the log from being emptied; the next
        checkpoint of SQLite's, once it is done, overwrites those frames.
        """
        try:
            yield Call(self._pragma, ("PRAGMA wal_checkpoint(TRUNCATE)",))
        except sqlite3.Error as error:
            raise self._translate(error) from None

    def _database_fault(self, error: BaseException) -> StoreError | None:
        return self._translate(error) if isinstance(error, sqlite3.Error) else None

    def _check_writable(self) -> None:
        self._check_same_file()

    def _translate(self, error: sqlite3.Error) -> StoreError:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code in _BUSY:
            return StoreLocked(f"{self.location} is locked by another connection: {error}")
        if code in _NOT_A_DATABASE:
            return NotAStore(f"{self.location} is not a casestate store: {error}")
        return StoreError(f"{self.location}: {error}")

    def _read_case(self, tx: Tx, case_id: str) -> Steps[tuple[Row, list[Row]] | None]:
        # A read transaction holds one snapshot from its first statement on,
        # so two statements see one state; the trail alone, without a copy of
        # the summary on every row, is read faster.
        found = yield from tx.query(SELECT_CASE, {"case_id": case_id})
        if not found:
            return None
        summary = found[0]
        return summary, (yield from tx.query(SELECT_TRAIL, {"case_id": case_id}))

    def _tables(self, tx: Tx) -> Steps[set[str]]:
        rows = yield from tx.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(name) for (name,) in rows}

    def _schema(self) -> tuple[str, ...]:
        # INTEGER PRIMARY KEY makes the position the row id: entries append in order.
        return schema(position="INTEGER", key_text="TEXT")

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = self._absolute.stat()
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def _check_same_file(self) -> None:
        """Refuse to go on when the file was deleted, moved or replaced (a backup restored) under the store.

        The connection would go on writing to the file it opened, which is no
        longer the one at the path: the writes would be lost, or overwrite the
        file put in its place.
        """
        if self._identity() != self._file:
            msg = f"{self.location} was deleted, moved or replaced while the store had it open; open it again"
            raise StoreError(msg)


class SQLiteStore(SyncSQLStore, SQLiteDialect):
    """A case store in one SQLite file: no server to run.

    The file is created with its schema when it does not exist (unless
    *create* is false). WAL mode lets readers go on while one writer
    commits; writers wait for each other up to *timeout* seconds, then
    :class:`StoreLocked`. Each commit is synced to disk (``synchronous=FULL``).

    *key* seals every trail with an HMAC; the store records only the key's
    id, and refuses to open without the key (:class:`KeyRequired`) or with
    another one (:class:`WrongKey`).

    The store refuses a change recorded later than now plus *clock_tolerance*
    (five minutes unless given: app servers' clocks differ) as
    ``recorded_in_future``: such a time would lock its case for ever, as
    nothing may be recorded before it. Now is *clock*'s answer (the
    machine's time in UTC unless given), or the ``now=`` an ``open_case`` or
    ``apply`` passes.

    Use one store object per thread; several processes may share the file.

    >>> from casestate.store import SQLiteStore
    >>> with SQLiteStore(tmp / "cases.db") as store:  # doctest: +SKIP
    ...     case = store.load("case-1")
    """

    _connection: sqlite3.Connection

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)

    def _transaction(self, *, write: bool) -> _SQLiteTransaction:
        # IMMEDIATE takes the write lock up front, so two writers never
        # both read and then collide at commit.
        self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        return _SQLiteTransaction(self._connection, lambda: self._closed)

    def _pragma(self, sql: str) -> None:
        self._connection.execute(sql)

    def _pause(self, seconds: float) -> None:
        time.sleep(seconds)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._closing()
        if self._connection is not None:
            self._connection.close()  # a transaction still open is rolled back
