"""SQLiteStore: the embedded default, one file, stdlib ``sqlite3`` in WAL mode."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from casestate import DEFAULT_WORKFLOW, Workflow

from ._base import NotAStore, StoreError, StoreLocked
from ._clock import CLOCK_TOLERANCE, Clock, system_clock
from ._memo import DEFAULT_CACHE_ENTRIES
from ._schema import Duplicate, Row, Transaction, insert_entries_sql, schema
from ._sql import SQLStore
from ._statements import SELECT_CASE, SELECT_TRAIL

_INSERT_ENTRIES = insert_entries_sql("?")
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_NOT_A_DATABASE = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})


def _wal(connection: sqlite3.Connection, timeout: float) -> None:
    """Put the file in WAL mode, waiting up to *timeout* for others opening it at the same moment.

    SQLite does not wait on a lock for this pragma as it does for a statement:
    several processes creating one store at once would fail at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            busy = (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _BUSY
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
        else:
            return


class _SQLiteTransaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        return self._connection.execute(sql, params or {}).fetchall()

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        try:
            return self._connection.execute(sql, params or {}).rowcount
        except sqlite3.IntegrityError as error:
            raise _duplicate_or(error) from None

    def insert_entries(self, rows: Sequence[Row]) -> None:
        try:
            self._connection.executemany(_INSERT_ENTRIES, rows)
        except sqlite3.IntegrityError as error:
            raise _duplicate_or(error) from None

    def execute_many(self, sql: str, params: Sequence[Mapping[str, object]]) -> int:
        try:
            return self._connection.executemany(sql, params).rowcount
        except sqlite3.IntegrityError as error:
            raise _duplicate_or(error) from None


_KEY_CONFLICTS = frozenset({"SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE"})


def _duplicate_or(error: sqlite3.IntegrityError) -> Exception:
    """A key conflict as :class:`Duplicate`; any other refusal (a trigger's, a check's) as it came."""
    if getattr(error, "sqlite_errorname", None) in _KEY_CONFLICTS:
        return Duplicate(str(error))
    return error


class SQLiteStore(SQLStore):
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
        self.path = Path(path)
        self.location = str(self.path)
        if not create and not self.path.exists():
            raise NotAStore(f"{self.location} does not exist (and create=False)")
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        try:
            self._connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"{self.location} cannot be opened: {error}") from None
        self._absolute = self.path.absolute()  # the file opened, whatever the working folder becomes
        self._file = self._identity()
        try:
            if fresh and create:
                # WAL is a property of the file, set once, before the schema;
                # a file that is someone else's database is left as it is.
                _wal(self._connection, timeout)
            self._connection.execute("PRAGMA synchronous = FULL")
            # Freed space is overwritten: an erased personal part leaves no bytes behind in the file.
            self._connection.execute("PRAGMA secure_delete = ON")
            self._setup(create=create)
        except sqlite3.Error as error:
            self._connection.close()
            raise self._translate(error) from None
        except UnicodeDecodeError:  # SQLite's own message quotes the bytes, which Python cannot decode
            self._connection.close()
            raise NotAStore(f"{self.location} is not a casestate store: its schema is not UTF-8") from None
        except BaseException:
            self._connection.close()
            raise

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Transaction]:
        self._check_open()
        if write:  # a read of a file taken away reads what it held; a write would be lost
            self._check_same_file()
        connection = self._connection
        try:
            # IMMEDIATE takes the write lock up front, so two writers never
            # both read and then collide at commit.
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SQLiteTransaction(connection)
            except BaseException:
                if not self._closed and connection.in_transaction:  # closing rolled it back
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            if not self._closed and connection.in_transaction:
                connection.execute("ROLLBACK")
            raise self._translate(error) from error

    def _after_erasure(self) -> None:
        """Copy the write-ahead log into the file and empty it: older frames still hold the erased bytes.

        A connection still reading keeps the log from being emptied; the next
        checkpoint of SQLite's, once it is done, overwrites those frames.
        """
        try:
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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

    def _read_case(self, tx: Transaction, case_id: str) -> tuple[Row, list[Row]] | None:
        # A read transaction holds one snapshot from its first statement on,
        # so two statements see one state; the trail alone, without a copy of
        # the summary on every row, is read faster.
        found = tx.query(SELECT_CASE, {"case_id": case_id})
        if not found:
            return None
        summary = found[0]
        return summary, tx.query(SELECT_TRAIL, {"case_id": case_id})

    def _tables(self, tx: Transaction) -> set[str]:
        return {str(name) for (name,) in tx.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

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

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._closing()
        self._connection.close()  # a transaction still open is rolled back
