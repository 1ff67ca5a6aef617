"""The unit of work: ``store.atomic()``, and every read and write joining the block open.

Outside a block, each call runs in a transaction of its own. Inside one,
every call joins the block's transaction; a write the block can hold (entry
rows, apply's guarded summary update) is held and written in one statement
with the others, before a read that could see it and at the block's end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TypeVar

from ._base import StoreError
from ._block import Block, described
from ._engine import Engine
from ._schema import Row
from ._statements import LAST_POSITION, UPDATE_CASE
from ._steps import Steps, Tx, call

T = TypeVar("T")


class UnitOfWork(Engine):
    """Transactions of their own, or parts of the atomic block's."""

    def _transact(self, body: Callable[[Tx], Steps[T]], *, write: bool) -> Steps[T]:
        """Run *body* in a transaction of its own, or, inside :meth:`atomic`, in a part of the block's."""
        block = self._block
        if block is not None:
            return (yield from self._in_block(block, body, write=write))
        tx = yield from self._begin(write=write)
        try:
            result = yield from body(tx)
        except BaseException as error:
            yield from self._end(tx, error)
            raise
        yield from self._end(tx, None)
        return result

    def _read(self, sql: str, params: Mapping[str, object]) -> Steps[list[Row]]:
        """The rows *sql* selects, read in a transaction of its own or in the block's."""
        # Not mutated: write=None reads as write=False.
        return (yield from self._transact(lambda tx: tx.query(sql, params), write=False))  # pragma: no mutate

    def _begin(self, *, write: bool) -> Steps[Tx]:
        """A transaction of its own (a write one refused where the engine would lose it)."""
        self._check_open()
        if write:
            self._check_writable()
        try:
            return Tx((yield from call(partial(self._transaction, write=write))))
        except Exception as error:
            fault = self._database_fault(error)
            if fault is None:
                raise
            raise fault from error

    def _end(self, tx: Tx, error: BaseException | None) -> Steps[None]:
        """Commit *tx* or, after *error*, roll it back; a fault of the database is raised as the store's.

        Raises a commit's failure; returns when *error* is to go on as it is.
        """
        failed = None
        try:
            yield from tx.end(commit=error is None)
        # A failed commit was rolled back; a failed rollback changed nothing (its error is not the first).
        except Exception as failure:  # noqa: BLE001 - raised below, as the store's error if it is one
            failed = None if error is not None else failure
        error = error or failed
        # Not mutated: every engine's _database_fault(None) is None, as no error is the database's.
        fault = None if error is None else self._database_fault(error)  # pragma: no mutate
        if fault is not None:
            raise fault from error
        if failed is not None:
            raise failed

    def _open_block(self) -> Steps[tuple[Block, bool]]:
        """Open an atomic block, or join the one open: the block, and whether it was joined."""
        self._check_open()
        block = self._block
        if block is not None:
            block.inner += 1
            return block, True
        tx = yield from self._begin(write=True)
        try:
            yield from self._lock_writers(tx)
            found = yield from tx.query(LAST_POSITION)
        except BaseException as error:
            yield from self._end(tx, error)
            raise
        block = Block(tx, self.location, int(found[0][0]) if found else None, self._owner())
        self._blocks[block.owner] = block
        return block, False

    def _close_block(self, block: Block, joined: bool, error: BaseException | None) -> Steps[None]:
        """End *block*, left by *error* if any: store all of it, or nothing.

        Raises what kept the block from being stored; returns when *error*
        is to go on as it is.
        """
        if joined:
            self._leave_joined(block, error)
            return
        refused = None
        try:
            if error is None:
                yield from self._store_block(block)
        except BaseException as failure:  # noqa: BLE001 - raised below, once the transaction is undone
            refused = failure
        finally:
            block.ended = True
            if not block.inner:
                self._let_go(block)
        failed = error or refused
        try:
            yield from self._end(block.tx, failed)
        except BaseException:
            self._forget_remembered(block)
            raise
        # Not mutated: the memo is a cache; a case remembered in a block that stored nothing is never
        # trusted again (the mark is the block's own, and elsewhere the summary and rows are checked).
        if failed is not None:  # pragma: no mutate
            self._forget_remembered(block)
        if refused is not None:
            raise refused

    def _store_block(self, block: Block) -> Steps[None]:
        """Write what the block holds and the positions it took, unless it may not be stored."""
        if block.inner:
            # Blocks on one store object that take turns (two threads, a generator
            # paused inside one) would each store the other's writes.
            block.broken = block.broken or "a block inside it is still open (use a store per task)"
        if block.broken is not None:
            msg = f"{self.location}: nothing of the atomic block was stored: {block.broken}"
            raise StoreError(msg)
        self._check_writable()
        yield from block.write_held()
        if block.last != block.first:  # positions were taken
            yield from block.tx.execute(
                # Not mutated: SQL reads its keywords in any case.
                "UPDATE positions SET last = :last WHERE id = 1",  # pragma: no mutate
                {"last": block.last},
            )

    def _leave_joined(self, block: Block, error: BaseException | None) -> None:
        """Leave a block inside *block*: its writes are the outer block's, and so is its fate."""
        block.inner -= 1
        if error is not None:
            block.broken = block.broken or f"an exception left an inner block: {described(error)}"
        if block.ended and not block.inner:
            self._let_go(block)
        if error is None and block.ended:
            msg = f"{self.location}: the block this one joined ended before it; nothing of it was stored"
            raise StoreError(msg)

    def _let_go(self, block: Block) -> None:
        if self._blocks.get(block.owner) is block:
            del self._blocks[block.owner]

    def _forget_remembered(self, block: Block) -> None:
        """Forget the cases remembered in *block*: rows undone would be built on."""
        for case_id in block.remembered:
            # Not mutated: forgetting is hygiene, as above (_close_block).
            self._memo.forget(case_id)  # pragma: no mutate

    def _in_block(self, block: Block, body: Callable[[Tx], Steps[T]], *, write: bool) -> Steps[T]:
        """Run *body* in the atomic block's transaction; a failed write, or a fault, ends the block's work."""
        if block.broken is not None or block.ended:
            why = block.broken or "it has ended"
            msg = f"{self.location}: the atomic block cannot go on ({why}); leave it: nothing of it is stored"
            raise StoreError(msg)
        try:
            self._check_open()
            if write:
                self._check_writable()
            return (yield from body(block.tx))
        except BaseException as error:
            fault = self._database_fault(error)
            if write or fault is not None:
                block.broken = described(error if fault is None else fault)
            if fault is not None:
                raise fault from error
            raise

    def _write_summary(
        self, tx: Tx, sql: str, params: Mapping[str, object], count: int
    ) -> Steps[tuple[bool, int | None]]:
        """Insert or update the summary row; if that changed it, take *count* positions.

        Returns whether the row changed, and the last position taken (``None``
        if the counter is gone).
        """
        block = self._block
        if block is None:
            return (yield from self._change_summary(tx, sql, params, count))
        if not (yield from self._summary_row(tx, sql, params)):
            return False, None
        return True, block.take(count)

    def _change_or_hold(
        self, tx: Tx, case_id: str, params: dict[str, object], count: int
    ) -> Steps[tuple[bool, int | None]]:
        """Apply's guarded update of the summary row: run now, or, inside a block, held.

        The block keeps every other writer out, and apply has just checked the
        version it read there, so the guard will hold when the update is written.
        """
        block = self._block
        if block is None:
            return (yield from self._change_summary(tx, UPDATE_CASE, params, count))
        block.hold_summary(case_id, params)
        return True, block.take(count)

    def _settle(self, case_id: str | None = None) -> Steps[None]:
        """Before a read inside a block: write what it holds, if the read could see it.

        *case_id* for a read of one case, ``None`` for a read across cases.
        A read of a case the block holds nothing for needs nothing written, so
        the block goes on holding: most of an import reads cases it has not yet
        changed.
        """
        block = self._block
        if block is not None and block.holds(case_id):
            yield from self._in_block(block, lambda _: block.write_held(), write=True)

    def _closing(self) -> None:
        """Mark the store closed; an atomic block open on it can no longer be stored."""
        self._closed = True
        for block in self._blocks.values():
            block.broken = block.broken or "the store was closed inside it"
