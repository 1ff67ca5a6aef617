"""PostgreSQL: one database shared by many app servers; PostgresStore on SQLAlchemy 2 Core and psycopg 3.

:class:`PostgresDialect` is what both PostgreSQL stores share (the URL, the
schema, the engine's SQL and errors); :class:`PostgresStore` adds
SQLAlchemy's engine and psycopg's calls, ``AsyncPostgresStore`` SQLAlchemy's
asyncio extension and psycopg's async ones.

SQLAlchemy is imported when a store is made, not before, so that
``casestate.store`` works without the ``postgres`` extra.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from casestate import DEFAULT_WORKFLOW, Workflow

from ._base import StoreError, StoreLocked
from ._clock import CLOCK_TOLERANCE, Clock, system_clock
from ._memo import DEFAULT_CACHE_ENTRIES
from ._schema import ENTRY_COLUMNS, Duplicate, Row, insert_entries_sql, schema
from ._sql import SQLStore, SyncSQLStore
from ._statements import INSERT_CASE
from ._steps import Steps, Tx

if TYPE_CHECKING:
    from sqlalchemy import Connection, TextClause

INSERT_ENTRIES = insert_entries_sql("%s")
COPY_ENTRIES = f"COPY entries (position, {ENTRY_COLUMNS}) FROM STDIN"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_LOCK_NOT_AVAILABLE = "55P03"
_INSTALL = "{store} needs SQLAlchemy and psycopg: pip install 'casestate[postgres]'"
_LONGEST_WAIT = 86_400
_DEFAULT_DRIVER = "postgresql+psycopg"
"""The driver casestate[postgres] installs: a URL that names none gets it, not SQLAlchemy's psycopg2."""


def _postgres_url(sqlalchemy: Any, url: object, store: str) -> Any:  # noqa: ANN401 - SQLAlchemy is imported only when used
    """*url* as SQLAlchemy's URL, for PostgreSQL through psycopg unless it names another driver.

    ``postgres://`` (as many hosting services write it) and ``postgresql://``
    both mean psycopg; a URL for another database is refused.
    """
    try:
        address = sqlalchemy.make_url(url)
    except (sqlalchemy.exc.ArgumentError, TypeError) as error:
        raise StoreError(f"not a database URL: {error}") from None
    if address.drivername in {"postgres", "postgresql"}:
        return address.set(drivername=_DEFAULT_DRIVER)
    if address.get_backend_name() != "postgresql":
        shown = address.render_as_string(hide_password=True)
        msg = f"{shown} is not a PostgreSQL URL; {store} takes postgresql+psycopg://..."
        raise StoreError(msg)
    return address


@lru_cache(maxsize=256)
def _text(sql: str) -> TextClause:
    from sqlalchemy import text  # noqa: PLC0415 - SQLAlchemy is optional; see the module docstring

    return text(sql)


_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([a-z_]\w*)")


@lru_cache(maxsize=256)
def pyformat(sql: str) -> str:
    """*sql* with psycopg's ``%(name)s`` for each ``:name`` (and ``%%`` for ``%``)."""
    return _NAMED_PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


def _integrity_errors(connection: Connection) -> tuple[type[Exception], ...]:
    from sqlalchemy.exc import IntegrityError  # noqa: PLC0415 - optional, as above

    # What goes to the driver directly raises the driver's errors, unwrapped.
    return IntegrityError, connection.dialect.loaded_dbapi.IntegrityError


_UNIQUE_VIOLATION = "23505"


def duplicate_or(error: Exception) -> Exception:
    """A key conflict as :class:`Duplicate`; any other refusal (a trigger's, a check's) as it came."""
    if getattr(getattr(error, "orig", error), "sqlstate", None) == _UNIQUE_VIOLATION:
        return Duplicate(str(error))
    return error


def _invalidate_if_lost(connection: Connection) -> None:
    """Tell the pool that *connection* is lost, when the driver lost it under a statement of psycopg's own.

    A statement sent to psycopg directly raises psycopg's error, which the
    pool never sees: it would take the connection back, fail to roll it
    back, and log the failure as an ERROR with its traceback, though the
    caller has its own error already. Invalidated, the connection is closed
    and replaced, without a word.
    """
    if connection.invalidated:  # SQLAlchemy saw the fault itself
        return
    driver = connection.connection.driver_connection
    if getattr(driver, "closed", False):
        connection.invalidate()


class _PostgresTransaction:
    """Statements in SQLAlchemy's transaction; with psycopg 3, they go to psycopg directly.

    SQLAlchemy keeps the pool and the transactions. A load reads a hundred
    rows, and psycopg's own tuples cost a fraction of SQLAlchemy's rows; COPY
    writes a batch in one command.
    """

    def __init__(self, connection: Connection, *, direct: bool, closed: Callable[[], bool]) -> None:
        self._connection = connection
        self._driver = connection.connection.driver_connection if direct else None
        self._integrity = _integrity_errors(connection)
        self._closed = closed

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        try:
            if self._driver is not None:
                rows: list[Row] = self._driver.execute(pyformat(sql), dict(params or {})).fetchall()
                return rows
            result = self._connection.execute(_text(sql), dict(params or {}))
        except self._integrity as error:  # a statement that writes, and returns rows
            raise duplicate_or(error) from None
        return [tuple(row) for row in result.fetchall()]

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        try:
            if self._driver is not None:
                changed: int = self._driver.execute(pyformat(sql), dict(params or {})).rowcount
                return changed
            return self._connection.execute(_text(sql), dict(params or {})).rowcount
        except self._integrity as error:
            raise duplicate_or(error) from None

    def execute_many(self, sql: str, params: Sequence[Mapping[str, object]]) -> int:
        try:
            if self._driver is None:  # statement by statement: SQLAlchemy may not count an executemany
                return sum(self._connection.execute(_text(sql), dict(each)).rowcount for each in params)
            # psycopg sends them in one pipeline: one round trip, not one per statement.
            with self._driver.cursor() as cursor:
                cursor.executemany(pyformat(sql), [dict(each) for each in params])
                changed: int = cursor.rowcount
                return changed
        except self._integrity as error:
            raise duplicate_or(error) from None

    def insert_entries(self, rows: Sequence[Row]) -> None:
        try:
            if self._driver is None:
                self._connection.exec_driver_sql(INSERT_ENTRIES, list(rows))
            elif len(rows) == 1:
                # One row: one INSERT is one round trip, COPY two.
                self._driver.execute(INSERT_ENTRIES, rows[0])
            else:
                # One COPY for the whole batch: the server runs one command,
                # not one INSERT per row, and psycopg encodes the rows in C.
                with self._driver.cursor() as cursor, cursor.copy(COPY_ENTRIES) as copy:
                    for row in rows:
                        copy.write_row(row)
        except self._integrity as error:
            raise duplicate_or(error) from None

    def end(self, commit: bool) -> None:
        connection = self._connection
        try:
            if commit:
                connection.commit()
            else:
                _invalidate_if_lost(connection)
                connection.rollback()
        except BaseException:
            _invalidate_if_lost(connection)
            raise
        finally:
            if self._closed():  # closed inside an atomic block: the pool let this one go
                connection.invalidate()
            connection.close()


class PostgresDialect(SQLStore):
    """What both PostgreSQL stores share: the URL, the schema, and the engine's SQL and errors."""

    def __init__(
        self,
        url: str,
        *,
        workflow: Workflow = DEFAULT_WORKFLOW,
        key: bytes | None = None,
        schema: str = "casestate",
        create: bool = True,
        lock_timeout: float = 5.0,
        cache_entries: int = DEFAULT_CACHE_ENTRIES,
        clock: Clock = system_clock,
        clock_tolerance: timedelta = CLOCK_TOLERANCE,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            workflow=workflow,
            key=key,
            cache_entries=cache_entries,
            clock=clock,
            clock_tolerance=clock_tolerance,
        )
        # An error aborts a PostgreSQL transaction as a whole, an atomic block's other writes with it.
        self._insert_case = f"{INSERT_CASE} ON CONFLICT (case_id) DO NOTHING"
        if not isinstance(schema, str) or not _SCHEMA_NAME.fullmatch(schema):
            msg = f"schema must be a lower-case SQL name (letters, digits, _), got {schema!r}"
            raise ValueError(msg)
        store = type(self).__name__
        try:
            import sqlalchemy  # noqa: PLC0415 - optional, as above
            import sqlalchemy.exc  # noqa: PLC0415
        except ImportError:
            raise ImportError(_INSTALL.format(store=store)) from None
        self._sqlalchemy = sqlalchemy
        self.schema = schema
        if (
            isinstance(lock_timeout, bool)
            or not isinstance(lock_timeout, int | float)
            or not 0 <= lock_timeout < _LONGEST_WAIT
        ):
            msg = f"lock_timeout must be a number of seconds (0 or more, under a day), got {lock_timeout!r}"
            raise ValueError(msg)
        address = _postgres_url(sqlalchemy, url, store)
        shown = address.render_as_string(hide_password=True)
        self.location = f"schema {schema!r} of {shown}"
        milliseconds = max(1, round(lock_timeout * 1000))
        options = f"-c search_path={schema} -c lock_timeout={milliseconds}"
        extra = dict(engine_options or {})
        connect_args = {**extra.pop("connect_args", {}), "options": options}
        try:
            self._engine = self._make_engine(address, connect_args=connect_args, **extra)
        except ImportError as missing:
            driver = address.get_driver_name()
            msg = f"{shown}: the {driver} driver is not installed ({missing}); use postgresql+psycopg://"
            raise StoreError(msg) from None
        self._reader = self._engine.execution_options(isolation_level="AUTOCOMMIT")
        # Under another driver, every statement goes through SQLAlchemy.
        self._direct = self._engine.dialect.driver == "psycopg"
        self._driver_error: type[Exception] = self._engine.dialect.loaded_dbapi.Error
        self._start_with(self._setup(create=create))

    @abstractmethod
    def _make_engine(self, address: Any, **options: Any) -> Any:  # noqa: ANN401 - SQLAlchemy's, imported when used
        """The engine this kind of store connects with (its pool, its transactions)."""

    @abstractmethod
    def _start_with(self, steps: Steps[None]) -> None:
        """Open the store with *steps*: now, or when the store is awaited."""

    def _database_fault(self, error: BaseException) -> StoreError | None:
        if isinstance(error, self._sqlalchemy.exc.DBAPIError):
            return self._translate(error.orig)
        if isinstance(error, self._driver_error):
            return self._translate(error)
        return None

    def _lock_writers(self, tx: Tx) -> Steps[None]:
        # Every writer changes a summary row first: with the table locked against
        # them up front, none can hold a case the block needs, and none deadlocks with it.
        yield from tx.execute("LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE")

    def _translate(self, error: BaseException | None) -> StoreError:
        if getattr(error, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            return StoreLocked(f"{self.location} is locked by another connection: {error}")
        return StoreError(f"{self.location}: {error}")

    def _tables(self, tx: Tx) -> Steps[set[str]]:
        rows = yield from tx.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :schema",
            {"schema": self.schema},
        )
        return {str(name) for (name,) in rows}

    def _schema(self) -> tuple[str, ...]:
        # COLLATE "C" orders case ids by code point, as SQLite does.
        return schema(position="BIGINT", key_text='TEXT COLLATE "C"')

    def _change_summary(
        self, tx: Tx, sql: str, params: Mapping[str, object], count: int
    ) -> Steps[tuple[bool, int | None]]:
        # One statement, one round trip: the counter is updated only if the
        # summary row was, and after it (the EXISTS gate runs first).
        found = yield from tx.query(
            f"WITH changed AS ({sql} RETURNING 1), "  # noqa: S608 - sql is one of the store's fixed statements
            "taken AS (UPDATE positions SET last = last + :count WHERE id = 1 "
            "AND EXISTS (SELECT FROM changed) RETURNING last) "
            "SELECT (SELECT count(*) FROM changed), (SELECT last FROM taken)",
            {**params, "count": count},
        )
        changed, last = found[0]
        return changed == 1, None if last is None else int(last)

    def _prepare_setup(self, tx: Tx) -> Steps[None]:
        # Two processes opening a new store at once: the second waits, then finds the tables.
        yield from tx.query(
            "SELECT pg_advisory_xact_lock(hashtext(:name))", {"name": f"casestate:{self.schema}"}
        )
        yield from tx.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")


class PostgresStore(SyncSQLStore, PostgresDialect):
    """A case store in a PostgreSQL schema, for several app processes on several machines.

    *url* is a SQLAlchemy URL (``postgresql+psycopg://user@host:5432/db``);
    the store's tables live in *schema* (created, with its tables, when
    missing unless *create* is false). Writers on the same case are kept
    apart by optimistic concurrency; a lock held by another connection for
    longer than *lock_timeout* seconds is :class:`StoreLocked`.
    *engine_options* go to ``sqlalchemy.create_engine`` (pool size, ...).

    *key* seals every trail with an HMAC; the database holds only the key's
    id. Needs the ``postgres`` extra: ``pip install 'casestate[postgres]'``.

    *clock* and *clock_tolerance* refuse recorded times in the future, as in
    :class:`SQLiteStore`.
    """

    def _make_engine(self, address: Any, **options: Any) -> Any:  # noqa: ANN401 - as above
        return self._sqlalchemy.create_engine(address, **options)

    def _transaction(self, *, write: bool) -> _PostgresTransaction:
        # Reads need no transaction of their own: each statement sees what was
        # committed when it ran, which is all a reading relies on (see
        # Cases._load), and it saves two round trips.
        connection = (self._engine if write else self._reader).connect()
        try:
            if write:
                connection.begin()
            return _PostgresTransaction(connection, direct=self._direct, closed=lambda: self._closed)
        except BaseException:
            connection.close()
            raise

    def close(self) -> None:
        """Close every pooled connection; the store cannot be used afterwards."""
        self._closing()  # an atomic block still open is rolled back when it ends
        self._engine.dispose()
