"""The unit of work: ``store.atomic()``, and every read and write joining the block open.

Outside a block, each call runs in a transaction of its own. Inside one,
every call joins the block's transaction; a write the block can hold (entry
rows, apply's guarded summary update) is held and written in one statement
with the others, before a read that could see it and at the block's end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager

from ._base import StoreError
from ._block import Block, described
from ._engine import Engine
from ._schema import Transaction
from ._statements import LAST_POSITION, UPDATE_CASE


class UnitOfWork(Engine):
    """Transactions of their own, or parts of the atomic block's."""

    def _begin(self, *, write: bool) -> AbstractContextManager[Transaction]:
        """A transaction of its own, or, inside :meth:`atomic`, a part of the block's."""
        if self._block is not None:
            return self._in_block(self._block, write=write)
        return self._transaction(write=write)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A block whose writes, on any number of cases, are stored together or not at all.

        Every ``open_case`` and ``apply`` inside the block joins one
        transaction, committed when the block ends. An exception that leaves
        the block undoes every write made in it; so does a process killed
        inside it. Reads inside the block see its writes; other connections
        see none of them until it ends.

        A change refused inside the block (:class:`ConcurrentUpdate`,
        :class:`CaseExists`, ``Rejected``) writes nothing, so the block may
        catch it and go on. A fault of the database (:class:`StoreLocked`, a
        lost connection) may have left part of a write: the block then
        refuses every further call, and stores nothing when it ends. A block
        inside a block joins it: an exception that leaves the inner one means
        the outer one stores nothing either.

        The block holds the store's write lock until it ends: other writers
        wait for it, and give up with :class:`StoreLocked` after their
        timeout. Keep a block to one unit of work, such as one file imported.
        Positions that :meth:`entries` reads inside a block count only once
        it is stored. Use one store object per thread and per task: two
        blocks that take turns on one store object store neither.

        >>> with store.atomic():  # doctest: +SKIP
        ...     store.open_case("ua-1", actor=family, effective_at=seen, recorded_at=told)
        ...     store.apply("ua-1", [report], expected_version=1)
        """
        self._check_open()
        block = self._block
        if block is not None:
            yield from self._joined(block)
            return
        with self._memo.undone_on_error(), self._transaction(write=True) as tx:
            self._lock_writers(tx)
            found = tx.query(LAST_POSITION)
            first = int(found[0][0]) if found else None
            block = self._block = Block(tx, self.location, first)
            try:
                yield
                if block.inner:
                    # Blocks on one store object that take turns (two tasks, a generator
                    # paused inside one) would each store the other's writes.
                    block.broken = block.broken or "a block inside it is still open (use a store per task)"
                if block.broken is not None:
                    msg = f"{self.location}: nothing of the atomic block was stored: {block.broken}"
                    raise StoreError(msg)
                self._check_writable()
                block.write_held()
                if block.last != first:  # positions were taken
                    tx.execute("UPDATE positions SET last = :last WHERE id = 1", {"last": block.last})
            finally:
                block.ended = True
                if not block.inner:
                    self._block = None

    def _joined(self, block: Block) -> Iterator[None]:
        """A block inside *block*: its writes are the outer block's, and so is its fate."""
        block.inner += 1
        try:
            yield
        except BaseException as error:
            block.broken = block.broken or f"an exception left an inner block: {described(error)}"
            raise
        finally:
            block.inner -= 1
            if block.ended and not block.inner:
                self._block = None
        if block.ended:
            msg = f"{self.location}: the block this one joined ended before it; nothing of it was stored"
            raise StoreError(msg)

    @contextmanager
    def _in_block(self, block: Block, *, write: bool) -> Iterator[Transaction]:
        """A part of the atomic block's transaction; a write that fails, or a fault, ends the block's work."""
        if block.broken is not None or block.ended:
            why = block.broken or "it has ended"
            msg = f"{self.location}: the atomic block cannot go on ({why}); leave it: nothing of it is stored"
            raise StoreError(msg)
        try:
            self._check_open()
            if write:
                self._check_writable()
            yield block.tx
        except BaseException as error:
            fault = self._database_fault(error)
            if write or fault is not None:
                block.broken = described(error if fault is None else fault)
            if fault is not None:
                raise fault from error
            raise

    def _write_summary(
        self, tx: Transaction, sql: str, params: Mapping[str, object], count: int
    ) -> tuple[bool, int | None]:
        """Insert or update the summary row; if that changed it, take *count* positions.

        Returns whether the row changed, and the last position taken (``None``
        if the counter is gone).
        """
        block = self._block
        if block is None:
            return self._change_summary(tx, sql, params, count)
        if not self._summary_row(tx, sql, params):
            return False, None
        return True, block.take(count)

    def _change_or_hold(
        self, tx: Transaction, case_id: str, params: dict[str, object], count: int
    ) -> tuple[bool, int | None]:
        """Apply's guarded update of the summary row: run now, or, inside a block, held.

        The block keeps every other writer out, and apply has just checked the
        version it read there, so the guard will hold when the update is written.
        """
        block = self._block
        if block is None:
            return self._change_summary(tx, UPDATE_CASE, params, count)
        block.hold_summary(case_id, params)
        return True, block.take(count)

    def _settle(self, case_id: str | None = None) -> None:
        """Before a read inside a block: write what it holds, if the read could see it.

        *case_id* for a read of one case, ``None`` for a read across cases.
        A read of a case the block holds nothing for needs nothing written, so
        the block goes on holding: most of an import reads cases it has not yet
        changed.
        """
        block = self._block
        if block is not None and block.holds(case_id):
            with self._in_block(block, write=True):
                block.write_held()

    def _closing(self) -> None:
        """Mark the store closed; an atomic block open on it can no longer be stored."""
        self._closed = True
        if self._block is not None:
            self._block.broken = self._block.broken or "the store was closed inside it"
