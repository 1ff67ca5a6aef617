"""An open ``store.atomic()`` block: its transaction, the positions it took, and the writes it holds.

Nobody else writes while a block is open, so what ``apply`` decided on is
what will be stored: the block holds entry rows and summary updates and
writes each kind in one statement, before a read that could see them and at
its end, rather than one statement a case.
"""

from __future__ import annotations

from itertools import count

import attrs

from ._base import StoreError
from ._schema import Duplicate, Row
from ._statements import UPDATE_CASE
from ._steps import Steps, Tx

HELD_ROWS = 10_000
"""Entry rows a block holds before it writes them: a bound on its memory."""
_TOKENS = count(1)


@attrs.define
class Block:
    """An open block of one store (see ``UnitOfWork.atomic``)."""

    tx: Tx
    location: str
    """The store's location, for messages."""
    last: int | None
    """The last position taken (``None`` if the store's counter is gone)."""
    owner: object = None
    """Who opened it: a store used by one thread at a time, or a task of an asynchronous store."""
    broken: str | None = None
    """Why the block may not go on, once a write in it failed."""
    inner: int = 0
    """The blocks open inside it (or joined to it by a task that runs between its steps)."""
    ended: bool = False
    rows: list[Row] = attrs.field(factory=list)
    """Entry rows to insert, positions first."""
    summaries: dict[str, dict[str, object]] = attrs.field(factory=dict)
    """The guarded update of each changed case's summary row, with its latest values."""
    held_cases: set[str] = attrs.field(factory=set)
    """The cases whose rows are among :attr:`rows`."""
    remembered: set[str] = attrs.field(factory=set)
    """The cases the store remembered verified inside the block: forgotten if it stores nothing."""
    token: int = attrs.field(factory=lambda: next(_TOKENS))
    """The block's own mark on what the store remembers in it (another task may remember a case too)."""

    first: int | None = attrs.field(init=False)
    """The last position taken before the block began."""

    def __attrs_post_init__(self) -> None:
        self.first = self.last

    def take(self, count: int) -> int | None:
        """Take *count* positions; the last of them (``None`` if the store's counter is gone).

        Counted here and written once, at the block's end: one row updated
        thousands of times in one transaction grows slower each time.
        """
        if self.last is None:
            return None
        self.last += count
        return self.last

    def hold_rows(self, case_id: str, rows: list[Row]) -> Steps[None]:
        """Hold *rows* of case *case_id* (positions first); write all held once there are many."""
        self.rows += rows
        self.held_cases.add(case_id)
        if len(self.rows) >= HELD_ROWS:
            yield from self.write_held()

    def hold_summary(self, case_id: str, params: dict[str, object]) -> None:
        """Hold apply's guarded update of the case's summary row.

        The guard stays what the row holds now (the first update held since the
        last write); the values are the latest.
        """
        earlier = self.summaries.get(case_id)
        if earlier is not None:
            params = {**params, "expected": earlier["expected"], "expected_head": earlier["expected_head"]}
        self.summaries[case_id] = params

    def holds(self, case_id: str | None) -> bool:
        """Whether a read of *case_id* (``None``: of several cases) could see what the block holds."""
        if not (self.rows or self.summaries):
            return False
        return case_id is None or case_id in self.summaries or case_id in self.held_cases

    def write_held(self) -> Steps[None]:
        """Write the entry rows and summary updates held, each kind in one statement.

        Every held update must change its row, and no held row may collide:
        otherwise the store was damaged, as nobody else wrote meanwhile.
        """
        if self.rows:
            try:
                yield from self.tx.insert_entries(self.rows)
            except Duplicate as taken:  # not a refusal of one call: rows of any case held may collide
                msg = f"{self.location}: a held entry's position or number is taken: the store is damaged"
                raise StoreError(f"{msg} ({taken})") from None
            self.rows = []
            self.held_cases = set()
        if self.summaries:
            held = list(self.summaries.values())
            self.summaries = {}
            if (yield from self.tx.execute_many(UPDATE_CASE, held)) != len(held):
                msg = f"{self.location}: a summary row changed inside the atomic block: the store is damaged"
                raise StoreError(msg)


def described(error: BaseException) -> str:
    """*error* as a block's reason not to go on."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
