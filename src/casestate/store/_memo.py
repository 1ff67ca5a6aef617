"""The memory of trails already verified: a load or apply replays only the rows that changed."""

from __future__ import annotations

from collections import OrderedDict

from casestate import Case

from ._schema import Row

DEFAULT_CACHE_ENTRIES = 50_000
"""How many entries a store remembers verified, unless told otherwise."""


class Memo:
    """Cases already verified, by the exact rows they were read from.

    Verification is a function of the rows and the key alone: rows equal to
    rows verified before give the same case, so only changed rows are replayed.
    Bounded by the number of entries held. Each case is remembered with the
    mark of the atomic block that read or wrote it (0 outside a block): a
    block trusts only what it remembered itself.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.held = 0
        self.cases: OrderedDict[str, tuple[list[Row], Case, int]] = OrderedDict()

    def get(self, case_id: str, rows: list[Row]) -> Case | None:
        """The case verified from *rows*, or from the first of them (a trail that grew since)."""
        found = self.cases.get(case_id)
        if found is None:
            return None
        known_rows, case, _ = found
        count = len(known_rows)
        if len(rows) < count or rows[:count] != known_rows:
            return None
        self.cases.move_to_end(case_id)
        return case

    def put(self, case_id: str, rows: list[Row], case: Case, block: int = 0) -> None:
        self.forget(case_id)
        if len(rows) > self.capacity:
            return
        self.cases[case_id] = (rows, case, block)
        self.held += len(rows)
        while self.held > self.capacity:
            _, (old, _, _) = self.cases.popitem(last=False)
            self.held -= len(old)

    def latest(self, case_id: str) -> tuple[list[Row], Case, int] | None:
        return self.cases.get(case_id)

    def forget(self, case_id: str) -> None:
        found = self.cases.pop(case_id, None)
        if found is not None:
            self.held -= len(found[0])
