"""AsyncSQLiteStore: the SQLite store for asyncio apps, on aiosqlite.

aiosqlite runs stdlib ``sqlite3`` in a thread of its own and hands each
call's result to the event loop, so the file, its pragmas and its errors
are those of :class:`~casestate.store.SQLiteStore`, and so is every
decision: both stores run the same steps. aiosqlite is imported when a
store is made, so that ``casestate.store`` works without the ``asyncio``
extra.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, TypeVar, cast

from ._base import StoreLocked
from ._schema import Row
from ._sql import AsyncSQLStore
from ._sqlite import INSERT_ENTRIES, SQLiteDialect, duplicate_or

if TYPE_CHECKING:
    import aiosqlite

_INSTALL = "AsyncSQLiteStore needs aiosqlite: pip install 'casestate[asyncio]'"
T = TypeVar("T")


async def _finished(statement: Awaitable[T]) -> T:
    """The result of *statement*, which runs to its end even when the task is cancelled meanwhile.

    aiosqlite's thread runs every statement it was handed: a cancellation
    that did not wait for it would leave the connection's transaction where
    nobody knows. It is raised once the statement is done, and the steps
    then roll the transaction back.
    """
    running = asyncio.ensure_future(statement)
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        await asyncio.wait({running})
        if not running.cancelled():
            running.exception()  # the cancellation goes on, not what the statement raised
        raise


class _AsyncSQLiteTransaction:
    """A transaction on the store's one connection, which it holds until it ends."""

    def __init__(self, store: AsyncSQLiteStore) -> None:
        self._store = store
        self._connection = store._connection  # noqa: SLF001 - the store's own

    async def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        return cast("list[Row]", list(await _finished(self._connection.execute_fetchall(sql, params or {}))))

    async def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        try:
            return await _finished(self._changed(self._connection.execute(sql, params or {})))
        except sqlite3.IntegrityError as error:
            raise duplicate_or(error) from None

    async def insert_entries(self, rows: Sequence[Row]) -> None:
        await self.execute_many(INSERT_ENTRIES, rows)

    async def execute_many(self, sql: str, params: Sequence[Mapping[str, object]] | Sequence[Row]) -> int:
        try:
            return await _finished(self._changed(self._connection.executemany(sql, params)))
        except sqlite3.IntegrityError as error:
            raise duplicate_or(error) from None

    @staticmethod
    async def _changed(statement: AbstractAsyncContextManager[aiosqlite.Cursor]) -> int:
        async with statement as cursor:
            return cursor.rowcount

    async def end(self, commit: bool) -> None:
        try:
            if commit:
                await _finished(self._connection.execute("COMMIT"))
        finally:
            await self._store._hand_on()  # noqa: SLF001 - as above


class AsyncSQLiteStore(AsyncSQLStore, SQLiteDialect):
    """A case store in one SQLite file for asyncio apps: :class:`SQLiteStore`'s file, awaited.

    Takes the arguments of :class:`SQLiteStore`; ``await`` it (or use it in
    ``async with``) to open it, and ``await`` each method. The store holds
    one connection: its tasks take turns, a transaction at a time, and a
    task that waits longer than *timeout* seconds for its turn (another
    task's atomic block holds it) is :class:`StoreLocked`, as a writer that
    waits for another process is. Several processes may share the file.

    >>> from casestate.store import AsyncSQLiteStore
    >>> async with AsyncSQLiteStore(tmp / "cases.db") as store:  # doctest: +SKIP
    ...     case = await store.load("case-1")
    """

    _connection: aiosqlite.Connection

    async def _connect(self) -> aiosqlite.Connection:
        try:
            import aiosqlite  # noqa: PLC0415 - optional: see the module docstring
        except ImportError:
            raise ImportError(_INSTALL) from None
        self._turn = asyncio.Lock()
        return await aiosqlite.connect(self.path, timeout=self._timeout, isolation_level=None)

    async def _transaction(self, *, write: bool) -> _AsyncSQLiteTransaction:
        try:
            async with asyncio.timeout(self._timeout):
                await self._turn.acquire()
        except TimeoutError:
            msg = f"{self.location} is held by another task of this store for longer than {self._timeout} s"
            raise StoreLocked(msg) from None
        try:
            # IMMEDIATE takes the write lock up front, as SQLiteStore does.
            await _finished(self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN"))
        except BaseException:
            await self._hand_on()
            raise
        return _AsyncSQLiteTransaction(self)

    async def _hand_on(self) -> None:
        """Roll back what the transaction left open (a failed commit, anything else), and hand on the turn."""
        connection = self._connection
        try:
            if not self._closed and connection.in_transaction:  # closing the store rolled it back
                await _finished(connection.execute("ROLLBACK"))
        finally:
            self._turn.release()

    async def _pragma(self, sql: str) -> None:
        async with self._turn:  # between two transactions of other tasks, never inside one
            await self._connection.execute(sql)

    async def _pause(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._closing()
        if self._connection is not None:
            await self._connection.close()  # a transaction still open is rolled back
