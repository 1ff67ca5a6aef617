"""What an engine gives the store: its transactions and faults, its tables, and how a write takes positions.

The store's jobs (the unit of work, opening, cases, queries) are written once
over these hooks; :class:`~casestate.store.SQLiteStore` and
:class:`~casestate.store.PostgresStore` provide them. The state every job
shares is declared here and set by ``SQLStore``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Self

from ._base import StoreError
from ._schema import Duplicate, Transaction
from ._statements import LAST_POSITION

if TYPE_CHECKING:
    from casestate import Workflow

    from ._block import Block
    from ._clock import Clock
    from ._memo import Memo


class Engine(ABC):
    """The hooks an engine provides, and the state the store's jobs share."""

    workflow: Workflow
    location: str
    _key: bytes | None
    _chain: str
    """What the store's trails are sealed with: ``sha256``, or ``hmac-sha256:<key id>``."""
    _memo: Memo
    _clock: Clock
    _clock_tolerance: timedelta
    _closed: bool
    _block: Block | None
    """The :meth:`atomic` block open, if one is."""
    _insert_case: str
    """How the store inserts a summary row: an engine whose transaction a failed statement
    aborts as a whole adds a clause that makes a taken case id change nothing instead."""
    _page: int
    """How many rows a read that pages through the store reads at a time."""

    def _check_open(self) -> None:
        """A closed store is refused with its own error, not its driver's."""
        if self._closed:
            msg = f"{self.location} is closed; open the store again"
            raise StoreError(msg)

    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Transaction]:
        """A transaction; *write* ones exclude other writers as early as the engine can."""

    @abstractmethod
    def _database_fault(self, error: BaseException) -> StoreError | None:
        """*error* as the store's error if the database raised it; ``None`` for any other."""

    def _lock_writers(self, tx: Transaction) -> None:  # noqa: B027 - an engine whose write transaction locks out writers needs nothing
        """Keep every other writer out until *tx* ends, before the atomic block writes anything."""

    def _check_writable(self) -> None:  # noqa: B027 - most engines need nothing here
        """Refuse a write the engine would lose (a file replaced under the store)."""

    @abstractmethod
    def _tables(self, tx: Transaction) -> set[str]:
        """The names of the tables where the store lives."""

    @abstractmethod
    def _schema(self) -> tuple[str, ...]:
        """The statements that create the schema in this engine."""

    def _take_positions(self, tx: Transaction, count: int) -> int | None:
        """Reserve *count* positions; the last of them (``None`` if the counter is gone).

        The counter row stays locked until the transaction ends, so positions
        are committed in the order they are handed out.
        """
        if tx.execute("UPDATE positions SET last = last + :count WHERE id = 1", {"count": count}) != 1:
            return None
        return int(tx.query(LAST_POSITION)[0][0])

    def _change_summary(
        self, tx: Transaction, sql: str, params: Mapping[str, object], count: int
    ) -> tuple[bool, int | None]:
        """Run *sql* (the summary row's insert or guarded update); if it changed the row, take positions.

        Returns whether the row changed, and the last position taken (``None``
        if the counter is gone). Positions are taken after the summary row, so the
        counter, which every writer needs, stays locked only for the rest of
        the transaction. An engine may do both in one statement.
        """
        if not self._summary_row(tx, sql, params):
            return False, None
        return True, self._take_positions(tx, count)

    def _summary_row(self, tx: Transaction, sql: str, params: Mapping[str, object]) -> bool:
        """Run the summary row's insert or guarded update; whether it changed the row.

        A taken case id changes nothing: an engine where the failed insert undoes
        that statement alone raises :class:`Duplicate` for it (PostgreSQL, where it
        would abort the whole transaction, inserts with ``ON CONFLICT DO NOTHING``).
        """
        try:
            return tx.execute(sql, params) == 1
        except Duplicate:
            return False

    def _after_erasure(self) -> None:  # noqa: B027 - an engine that keeps no copy of what was erased needs nothing
        """Once an erasure is stored: let go of any copy of the erased bytes kept outside the rows."""

    def _prepare_setup(self, tx: Transaction) -> None:  # noqa: B027 - most engines need nothing here
        """Make concurrent first openings wait for each other (within *tx*)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection(s); the store cannot be used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
