"""The store's logic, the same on every engine: one class composed of its jobs.

Each job is a class of its own module, over the hooks an engine provides
(``_engine``): the unit of work (``_unit``), opening with the schema and the
key (``_opening``), whole cases with the memory of verified trails
(``_cases``), erasure (``_erasing``), the queries and the feed (``_queries``), and the feed as a
transparency log (``_log``). They are mixins
over one base rather than collaborators: each job calls the engine's hooks
and the unit of work (every read and write joins the atomic block open), and
an engine overrides hooks that several jobs use (its transactions, how it
reads a case, how it takes positions), so one object holds one set of hooks
and every method is written once.
"""

from __future__ import annotations

from datetime import timedelta

from casestate import Workflow

from ._clock import Clock, checked_clock
from ._erasing import Erasing
from ._log import Log
from ._memo import Memo
from ._opening import Opening
from ._queries import Queries
from ._schema import Transaction
from ._statements import INSERT_CASE

# Transaction: what a hook on SQLStore's methods receives, named beside it.
__all__ = ["SQLStore", "Transaction"]

_PAGE = 1000
"""How many rows ``entries`` and ``case_ids`` read at a time."""


class SQLStore(Erasing, Queries, Log, Opening):
    """The store's logic over an engine's transactions; the engines subclass it."""

    def __init__(
        self,
        *,
        workflow: Workflow,
        key: bytes | None,
        cache_entries: int,
        clock: Clock,
        clock_tolerance: timedelta,
    ) -> None:
        if not isinstance(workflow, Workflow):
            msg = f"workflow must be a Workflow, not {type(workflow).__name__}"
            raise TypeError(msg)
        if isinstance(cache_entries, bool) or not isinstance(cache_entries, int) or cache_entries < 0:
            msg = f"cache_entries must be a number of entries (an int >= 0), got {cache_entries!r}"
            raise ValueError(msg)
        self.workflow = workflow
        self._take_key(key)
        self._memo = Memo(cache_entries)
        self._clock, self._clock_tolerance = checked_clock(clock, clock_tolerance)
        self._closed = False
        self._block = None
        self._insert_case = INSERT_CASE
        self._page = _PAGE
