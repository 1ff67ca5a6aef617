"""The store a feed starts its cases from, or is applied to, named by where it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from casestate import DEFAULT_WORKFLOW, Case, Workflow

if TYPE_CHECKING:
    from casestate.store import CaseStore

Load = Callable[[str], "Case | None"]
"""Where a check finds the cases a feed changes: a case id in, the case or ``None`` out."""

_POSTGRES_SCHEMES = ("postgresql:", "postgresql+", "postgres:")


def names_a_database(location: str) -> bool:
    """Whether *location* is a PostgreSQL URL rather than the path of a SQLite file.

    >>> names_a_database("postgresql+psycopg://app@db.example.org/cases"), names_a_database("cases.db")
    (True, False)
    """
    return location.startswith(_POSTGRES_SCHEMES)


def open_store(
    location: str, *, workflow: Workflow = DEFAULT_WORKFLOW, key: bytes | None = None, create: bool = False
) -> CaseStore:
    """The store at *location*: a PostgreSQL URL (``postgresql+psycopg://...``), else a SQLite file.

    Faults are the store's own (:class:`casestate.store.StoreError` and
    what its engine raises); close the store when done, or use it in a
    ``with`` block.

    >>> import pathlib, tempfile
    >>> from casestate.feeds import open_store
    >>> with open_store(str(pathlib.Path(tempfile.mkdtemp()) / "cases.db"), create=True) as store:
    ...     print(list(store.case_ids()))
    []
    """
    # Imported when a store is named: checking a feed against no store needs none.
    from casestate.store import PostgresStore, SQLiteStore  # noqa: PLC0415

    if names_a_database(location):
        return PostgresStore(location, workflow=workflow, key=key, create=create)
    return SQLiteStore(location, workflow=workflow, key=key, create=create)


def loader(store: CaseStore) -> Load:
    """A :data:`Load` of the cases of *store*: ``None`` for a case it does not hold.

    >>> import pathlib, tempfile
    >>> from casestate.feeds import loader, open_store
    >>> with open_store(str(pathlib.Path(tempfile.mkdtemp()) / "cases.db"), create=True) as store:
    ...     print(loader(store)("ua-0173"))
    None
    """
    from casestate.store import UnknownCase  # noqa: PLC0415 - as in open_store

    def load(case_id: str) -> Case | None:
        try:
            return store.load(case_id)
        except UnknownCase:
            return None

    return load
