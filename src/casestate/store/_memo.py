"""The memory of trails already verified: a load or apply replays only the rows that changed."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from casestate import Case

from ._schema import Row

DEFAULT_CACHE_ENTRIES = 50_000
"""How many entries a store remembers verified, unless told otherwise."""


class Memo:
    """Cases already verified, by the exact rows they were read from.

    Verification is a function of the rows and the key alone: rows equal to
    rows verified before give the same case, so only changed rows are replayed.
    Bounded by the number of entries held.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.held = 0
        self.cases: OrderedDict[str, tuple[list[Row], Case]] = OrderedDict()
        self._put_since: set[str] | None = None
        """The cases put since the open :meth:`undone_on_error` block began."""

    @contextmanager
    def undone_on_error(self) -> Iterator[None]:
        """Forget every case put inside the block when an exception leaves it.

        A transaction undone takes its rows with it: a case remembered from
        them would let a later apply build on entries the database no longer
        holds.
        """
        self._put_since = set()
        try:
            yield
        except BaseException:
            for case_id in self._put_since:
                self.forget(case_id)
            raise
        finally:
            self._put_since = None

    def get(self, case_id: str, rows: list[Row]) -> Case | None:
        """The case verified from *rows*, or from the first of them (a trail that grew since)."""
        found = self.cases.get(case_id)
        if found is None:
            return None
        known_rows, case = found
        count = len(known_rows)
        if len(rows) < count or rows[:count] != known_rows:
            return None
        self.cases.move_to_end(case_id)
        return case

    def put_in_block(self, case_id: str) -> bool:
        """Whether *case_id* was put since the open :meth:`undone_on_error` block began."""
        return self._put_since is not None and case_id in self._put_since

    def put(self, case_id: str, rows: list[Row], case: Case) -> None:
        if self._put_since is not None:
            self._put_since.add(case_id)
        self.forget(case_id)
        if len(rows) > self.capacity:
            return
        self.cases[case_id] = (rows, case)
        self.held += len(rows)
        while self.held > self.capacity:
            _, (old, _) = self.cases.popitem(last=False)
            self.held -= len(old)

    def latest(self, case_id: str) -> tuple[list[Row], Case] | None:
        return self.cases.get(case_id)

    def forget(self, case_id: str) -> None:
        found = self.cases.pop(case_id, None)
        if found is not None:
            self.held -= len(found[0])
