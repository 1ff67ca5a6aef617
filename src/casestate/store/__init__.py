"""Durable case stores: SQLite (embedded, the default) and PostgreSQL (shared by many app servers).

Each engine has a synchronous store and an asynchronous one for asyncio
apps (:class:`AsyncSQLiteStore`, :class:`AsyncPostgresStore`), which run the
same logic and await its I/O. Both engines keep the same guarantees: a batch of changes is stored whole or
not at all; a writer that read an older version of a case is refused
(:class:`ConcurrentUpdate`) and writes nothing; every load replays and
verifies the trail; the HMAC key never reaches the database.
"""

from casestate import publish as _publish

from ._base import (
    CaseExists,
    CaseStore,
    CaseSummary,
    ConcurrentUpdate,
    Erasure,
    KeyRequired,
    NotAStore,
    SchemaVersionError,
    StoredEntry,
    StoreError,
    StoreLocked,
    UnknownCase,
    WrongKey,
)
from ._keyfile import read_key_file
from ._log import STORED_LEVEL, LogMismatch
from ._postgres import PostgresStore
from ._postgres_async import AsyncPostgresStore
from ._schema import SCHEMA_VERSION
from ._sqlite import SQLiteStore
from ._sqlite_async import AsyncSQLiteStore

__all__ = [
    "SCHEMA_VERSION",
    "STORED_LEVEL",
    "AsyncPostgresStore",
    "AsyncSQLiteStore",
    "CaseExists",
    "CaseStore",
    "CaseSummary",
    "ConcurrentUpdate",
    "Erasure",
    "KeyRequired",
    "LogMismatch",
    "NotAStore",
    "PostgresStore",
    "SQLiteStore",
    "SchemaVersionError",
    "StoreError",
    "StoreLocked",
    "StoredEntry",
    "UnknownCase",
    "WrongKey",
    "read_key_file",
]

_publish(__name__, globals(), __all__)
