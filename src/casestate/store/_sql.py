"""The store's logic, the same on every engine and for both kinds of store: one class composed of its jobs.

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

Every method is written as steps (``_steps``): :class:`SyncSQLStore` runs
them calling the engine, :class:`AsyncSQLStore` awaiting it. An engine's SQL
dialect subclasses :class:`SQLStore`; its two stores add the I/O.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Generator
from datetime import timedelta
from typing import Any, Self

from casestate import Workflow

from ._atomic_doc import atomic_doc
from ._base import StoreError
from ._block import Block
from ._clock import Clock, checked_clock
from ._erasing import Erasing
from ._log import Log
from ._memo import Memo
from ._opening import Opening
from ._queries import Queries
from ._statements import INSERT_CASE
from ._steps import Asynchronous, Steps, Synchronous, Tx, arun, run

# Tx: what a hook on SQLStore's methods receives, named beside it.
__all__ = ["AsyncSQLStore", "SQLStore", "SyncSQLStore", "Tx"]

_PAGE = 1000
"""How many rows ``entries`` and ``case_ids`` read at a time."""


class SQLStore(Erasing, Queries, Log, Opening):
    """The store's logic over an engine's transactions; the engines' dialects subclass it."""

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
        self._blocks = {}
        self._insert_case = INSERT_CASE
        self._page = _PAGE


class _Block:
    """``with store.atomic():`` on a synchronous store."""

    def __init__(self, store: SQLStore) -> None:
        self._store = store
        self._opened: tuple[Block, bool] | None = None

    def __enter__(self) -> None:
        self._opened = run(self._store._open_block())  # noqa: SLF001 - the store's own block

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> None:
        if self._opened is not None:
            run(self._store._close_block(*self._opened, error))  # noqa: SLF001 - as above


class _AsyncBlock(_Block):
    """``async with store.atomic():`` on an asynchronous store."""

    async def __aenter__(self) -> None:
        self._opened = await arun(self._store._open_block())  # noqa: SLF001 - as above

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: object
    ) -> None:
        if self._opened is not None:
            await arun(self._store._close_block(*self._opened, error))  # noqa: SLF001 - as above


class SyncSQLStore(Synchronous, SQLStore):
    """A store whose methods return their results: the engine's calls are made as they come."""

    def atomic(self) -> _Block:
        return _Block(self)

    atomic.__doc__ = atomic_doc(asynchronous=False)

    def _start_with(self, steps: Steps[None]) -> None:
        """Open the store with *steps*, now; release what they took if they fail."""
        try:
            run(steps)
        except BaseException:
            self.close()
            raise

    @abstractmethod
    def close(self) -> None:
        """Release the connection(s); the store cannot be used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


class AsyncSQLStore(Asynchronous, SQLStore):
    """A store whose methods are coroutines: the engine's calls are awaited.

    Made without I/O; ``await store`` (or ``async with store``) opens it:
    checks, creates or upgrades its schema, and checks the key.
    """

    _opening_steps: Steps[None] | None = None

    def atomic(self) -> _AsyncBlock:
        return _AsyncBlock(self)

    atomic.__doc__ = atomic_doc(asynchronous=True)

    def _start_with(self, steps: Steps[None]) -> None:
        """Open the store with *steps* when it is awaited."""
        self._opening_steps = steps

    async def _opened(self) -> Self:
        steps, self._opening_steps = self._opening_steps, None
        if steps is not None:
            try:
                await arun(steps)
            except BaseException:
                await self.close()
                raise
        return self

    def _check_open(self) -> None:
        if self._opening_steps is not None:
            msg = f"{self.location} is not open yet: await the store, or use it in async with"
            raise StoreError(msg)
        super()._check_open()

    def __await__(self) -> Generator[Any, None, Self]:
        return self._opened().__await__()

    @abstractmethod
    async def close(self) -> None:
        """Release the connection(s); the store cannot be used afterwards."""

    async def __aenter__(self) -> Self:
        return await self._opened()

    async def __aexit__(self, *exception: object) -> None:
        await self.close()
