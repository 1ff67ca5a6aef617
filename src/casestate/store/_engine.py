"""What an engine gives the store: its transactions and faults, its tables, and how a write takes positions.

The store's jobs (the unit of work, opening, cases, queries) are written once
over these hooks, as steps (``_steps``); each engine's SQL dialect provides
them, and each kind of store (synchronous, asynchronous) its transactions.
The state every job shares is declared here and set by ``SQLStore``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ._base import StoreError
from ._schema import Duplicate
from ._statements import LAST_POSITION
from ._steps import Steps, Tx

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
    _blocks: dict[object, Block]
    """The :meth:`atomic` blocks open, by who opened them (see ``_owner``)."""
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

    @property
    def _block(self) -> Block | None:
        """The atomic block open, if one is, for whoever calls now (see ``_owner``)."""
        return self._blocks.get(self._owner()) if self._blocks else None

    @abstractmethod
    def _owner(self) -> object:
        """Who an atomic block opened now belongs to (a thread's store: one; an async one: the task)."""

    @abstractmethod
    def _transaction(self, *, write: bool) -> Any:  # noqa: ANN401 - a Transaction, or an awaitable of one
        """Begin a transaction; *write* ones exclude other writers as early as the engine can.

        Called as a step: a synchronous store returns the transaction, an
        asynchronous one an awaitable of it.
        """

    @abstractmethod
    def _database_fault(self, error: BaseException) -> StoreError | None:
        """*error* as the store's error if the database raised it; ``None`` for any other."""

    def _lock_writers(self, tx: Tx) -> Steps[None]:  # noqa: ARG002 - an engine's may use it
        """Keep every other writer out until *tx* ends, before the atomic block writes anything.

        An engine whose write transaction locks out writers needs nothing.
        """
        yield from ()

    def _check_writable(self) -> None:  # noqa: B027 - most engines need nothing here
        """Refuse a write the engine would lose (a file replaced under the store)."""

    @abstractmethod
    def _tables(self, tx: Tx) -> Steps[set[str]]:
        """The names of the tables where the store lives."""

    @abstractmethod
    def _schema(self) -> tuple[str, ...]:
        """The statements that create the schema in this engine."""

    def _take_positions(self, tx: Tx, count: int) -> Steps[int | None]:
        """Reserve *count* positions; the last of them (``None`` if the counter is gone).

        The counter row stays locked until the transaction ends, so positions
        are committed in the order they are handed out.
        """
        taken = yield from tx.execute(
            "UPDATE positions SET last = last + :count WHERE id = 1", {"count": count}
        )
        if taken != 1:
            return None
        return int((yield from tx.query(LAST_POSITION))[0][0])

    def _change_summary(
        self, tx: Tx, sql: str, params: Mapping[str, object], count: int
    ) -> Steps[tuple[bool, int | None]]:
        """Run *sql* (the summary row's insert or guarded update); if it changed the row, take positions.

        Returns whether the row changed, and the last position taken (``None``
        if the counter is gone). Positions are taken after the summary row, so the
        counter, which every writer needs, stays locked only for the rest of
        the transaction. An engine may do both in one statement.
        """
        if not (yield from self._summary_row(tx, sql, params)):
            return False, None
        return True, (yield from self._take_positions(tx, count))

    def _summary_row(self, tx: Tx, sql: str, params: Mapping[str, object]) -> Steps[bool]:
        """Run the summary row's insert or guarded update; whether it changed the row.

        A taken case id changes nothing: an engine where the failed insert undoes
        that statement alone raises :class:`Duplicate` for it (PostgreSQL, where it
        would abort the whole transaction, inserts with ``ON CONFLICT DO NOTHING``).
        """
        try:
            return (yield from tx.execute(sql, params)) == 1
        except Duplicate:
            return False

    def _after_erasure(self) -> Steps[None]:
        """Once an erasure is stored: let go of any copy of the erased bytes kept outside the rows.

        An engine that keeps no copy of what was erased needs nothing.
        """
        yield from ()

    def _prepare_setup(self, tx: Tx) -> Steps[None]:  # noqa: ARG002 - an engine's may use it
        """Make concurrent first openings wait for each other (within *tx*); most engines need nothing."""
        yield from ()
