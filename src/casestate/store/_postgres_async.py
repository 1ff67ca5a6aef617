"""AsyncPostgresStore: the PostgreSQL store for asyncio apps, on SQLAlchemy's asyncio extension and psycopg.

SQLAlchemy keeps the pool and the transactions, as for
:class:`~casestate.store.PostgresStore`; the statements go to psycopg's
async connection directly. The URL, the schema, the SQL, the errors and
every decision are those of ``PostgresStore``: both stores run the same
steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._base import StoreError
from ._postgres import COPY_ENTRIES, INSERT_ENTRIES, PostgresDialect, duplicate_or, pyformat
from ._schema import Row
from ._sql import AsyncSQLStore

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.ext.asyncio import AsyncConnection


class _AsyncPostgresTransaction:
    """Statements sent to psycopg's async connection, in SQLAlchemy's transaction (or none, to read)."""

    def __init__(
        self, connection: AsyncConnection, driver: psycopg.AsyncConnection[Any], closed: Callable[[], bool]
    ) -> None:
        self._connection = connection
        self._driver = driver
        self._closed = closed

    async def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        import psycopg  # noqa: PLC0415 - with the postgres extra, as SQLAlchemy

        try:
            cursor = await self._driver.execute(pyformat(sql), dict(params or {}))
            return await cursor.fetchall()
        except psycopg.IntegrityError as error:  # a statement that writes, and returns rows
            raise duplicate_or(error) from None

    async def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        import psycopg  # noqa: PLC0415

        try:
            return (await self._driver.execute(pyformat(sql), dict(params or {}))).rowcount
        except psycopg.IntegrityError as error:
            raise duplicate_or(error) from None

    async def execute_many(self, sql: str, params: Sequence[Mapping[str, object]]) -> int:
        import psycopg  # noqa: PLC0415

        try:
            # psycopg sends them in one pipeline: one round trip, not one per statement.
            async with self._driver.cursor() as cursor:
                await cursor.executemany(pyformat(sql), [dict(each) for each in params])
                return cursor.rowcount
        except psycopg.IntegrityError as error:
            raise duplicate_or(error) from None

    async def insert_entries(self, rows: Sequence[Row]) -> None:
        import psycopg  # noqa: PLC0415

        try:
            if len(rows) == 1:  # one INSERT is one round trip, COPY two
                await self._driver.execute(INSERT_ENTRIES, rows[0])
                return
            async with self._driver.cursor() as cursor, cursor.copy(COPY_ENTRIES) as copy:
                for row in rows:
                    await copy.write_row(row)
        except psycopg.IntegrityError as error:
            raise duplicate_or(error) from None

    async def end(self, commit: bool) -> None:
        connection = self._connection
        try:
            if commit:
                await connection.commit()
            elif self._driver.closed:
                # Lost under a statement sent to psycopg, which the pool never saw: it would try
                # to roll the connection back and log the failure. Invalidated, it is let go quietly.
                await connection.invalidate()
            else:
                await connection.rollback()
        except BaseException:
            await connection.invalidate()  # a connection that failed here may be lost: the pool lets it go
            raise
        finally:
            if self._closed():  # closed inside an atomic block: the pool let this one go
                await connection.invalidate()
            await connection.close()


class AsyncPostgresStore(AsyncSQLStore, PostgresDialect):
    """A case store in a PostgreSQL schema for asyncio apps: :class:`PostgresStore`'s schema, awaited.

    Takes the arguments of :class:`PostgresStore` (*engine_options* go to
    ``sqlalchemy.ext.asyncio.create_async_engine``); ``await`` it (or use it
    in ``async with``) to open it, and ``await`` each method. The URL names
    psycopg (``postgresql+psycopg://``, or none). One store serves many
    tasks, each transaction on a connection of the pool. Needs the
    ``postgres`` extra.

    >>> from casestate.store import AsyncPostgresStore
    >>> async with AsyncPostgresStore("postgresql+psycopg://app@db/cases") as store:  # doctest: +SKIP
    ...     case = await store.load("case-1")
    """

    def _make_engine(self, address: Any, **options: Any) -> Any:  # noqa: ANN401 - SQLAlchemy's, imported when used
        from sqlalchemy.ext.asyncio import create_async_engine  # noqa: PLC0415 - optional, as SQLAlchemy

        if address.get_driver_name() != "psycopg":
            shown = address.render_as_string(hide_password=True)
            msg = f"{shown}: AsyncPostgresStore takes psycopg's async driver: postgresql+psycopg://..."
            raise StoreError(msg)
        return create_async_engine(address, **options)

    async def _transaction(self, *, write: bool) -> _AsyncPostgresTransaction:
        # Reads need no transaction of their own, as in PostgresStore.
        connection = await (self._engine if write else self._reader).connect()
        try:
            if write:
                await connection.begin()
            raw = await connection.get_raw_connection()
            return _AsyncPostgresTransaction(connection, raw.driver_connection, lambda: self._closed)
        except BaseException:
            await connection.close()
            raise

    async def close(self) -> None:
        """Close every pooled connection; the store cannot be used afterwards."""
        self._closing()  # an atomic block still open is rolled back when it ends
        await self._engine.dispose()
