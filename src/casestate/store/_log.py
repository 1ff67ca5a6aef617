"""The feed as a transparency log: signed checkpoints, receipts and consistency proofs from the store.

The leaves of the Merkle tree are the store's entries in feed order (the
entry at position *p* is leaf *p - 1*), each leaf the entry's canonical
bytes. A checkpoint hashes only the entries since the last one: the tree's
right edge is kept in ``tree_head``, and every perfect subtree of at least
``2**STORED_LEVEL`` leaves in ``tree_nodes``, from which proofs are made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TypeVar

from casestate import Entry, canonical_bytes
from casestate.proofs import (
    Checkpoint,
    ConsistencyProof,
    Frontier,
    ProofError,
    Receipt,
    SigningKey,
    VerifierKey,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    open_checkpoint,
    root_from_inclusion,
    sign_checkpoint,
    verify_consistency,
)

from ._arguments import LARGEST, check_text
from ._base import StoreError
from ._rows import ANY_ERASED, row_entry
from ._schema import ENTRY_COLUMNS
from ._statements import LAST_POSITION
from ._steps import Steps, Tx, operation
from ._unit import UnitOfWork

T = TypeVar("T")
Nodes = Callable[[int, int], bytes]

STORED_LEVEL = 4
"""The smallest subtrees kept are of ``2**STORED_LEVEL`` leaves: a proof hashes at most that many
entries again for each level below, and the store keeps about one node for every eight entries."""
_CHUNK = 10_000
"""How many entries a checkpoint hashes in one transaction: writers wait for one chunk at most."""

_SELECT_LEAVES = (
    f"SELECT position, {ENTRY_COLUMNS} FROM entries "  # noqa: S608 - fixed names
    "WHERE position > :after AND position <= :upto ORDER BY position LIMIT :limit"
)
_SELECT_NODE = "SELECT hash FROM tree_nodes WHERE level = :level AND idx = :idx"
_INSERT_NODE = "INSERT INTO tree_nodes (level, idx, hash) VALUES (:level, :idx, :hash)"
_SELECT_HEAD = "SELECT size, edge FROM tree_head WHERE id = 1"
# An update that changes nothing, first in the transaction: it locks the row (PostgreSQL),
# so two checkpoints hash the same entries one after the other, not both at once.
_LOCK_HEAD = "UPDATE tree_head SET size = size WHERE id = 1"
_UPDATE_HEAD = "UPDATE tree_head SET size = :size, edge = :edge WHERE id = 1"
_POSITION_OF = "SELECT position FROM entries WHERE case_id = :case_id AND seq = :seq"


class LogMismatch(StoreError):
    """The store does not hold the log a checkpoint signed: entries were cut off, or rewritten."""


def _unsigned(note: str) -> Checkpoint:
    """The checkpoint a signed note holds, its signature not checked (the store's own, to prove against)."""
    if not isinstance(note, str):
        msg = f"a checkpoint is the text of a signed note, not {type(note).__name__}"
        raise TypeError(msg)
    return Checkpoint.from_text(note[: note.rfind("\n\n") + 1])


class Log(UnitOfWork):
    """Checkpoints, receipts and consistency proofs of the store's feed."""

    @operation
    def checkpoint(self, key: SigningKey, *, now: datetime | None = None) -> Steps[str]:
        """Hash the entries since the last checkpoint, and sign the tree's head with *key*.

        Returns the signed checkpoint: a C2SP tlog-checkpoint note whose
        origin is the key's name, with the time (*now*, the store's clock
        unless given). Keep it outside the database, and give it to whoever
        should be able to hold the store to it. Entries are hashed
        :data:`_CHUNK` at a time, each chunk a transaction of its own, so
        writers wait for one chunk at most.
        """
        if not isinstance(key, SigningKey):
            msg = f"key must be a casestate.proofs.SigningKey, not {type(key).__name__}"
            raise TypeError(msg)
        if self._block is not None:
            msg = f"{self.location}: make a checkpoint outside an atomic block, once its entries are stored"
            raise StoreError(msg)
        when = self._clock() if now is None else now
        target = yield from self._transact(self._last_position, write=False)

        def grown(tx: Tx) -> Steps[Frontier]:
            yield from tx.execute(_LOCK_HEAD)
            frontier = yield from self._frontier(tx)
            if frontier.size < target:
                frontier = yield from self._grow(tx, frontier, min(target, frontier.size + _CHUNK))
            return frontier

        while True:
            frontier = yield from self._transact(grown, write=True)
            if frontier.size >= target:
                checkpoint = Checkpoint(key.name, frontier.size, frontier.root, when)
                return sign_checkpoint(checkpoint, key)

    @operation
    def tree_size(self) -> Steps[int]:
        """How many entries the last checkpoint covered (0 before the first)."""
        return (yield from self._transact(self._frontier, write=False)).size

    @operation
    def prove(self, case_id: str, seq: int, checkpoint: str) -> Steps[Receipt]:
        """A receipt: proof that entry *seq* of case *case_id* is in the log at signed *checkpoint*.

        The receipt carries the checkpoint, the entry's public part and the
        audit path; whoever holds the log's public key checks it offline
        (:meth:`Receipt.verify <casestate.proofs.Receipt.verify>`). Raises
        :class:`StoreError` for an entry the checkpoint does not cover, and
        :class:`LogMismatch` if the store no longer holds the log it signed.
        """
        check_text(case_id, "case_id")
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= LARGEST:
            msg = f"seq must be an entry's number (an int >= 0), got {seq!r}"
            raise ValueError(msg)
        signed = _unsigned(checkpoint)

        def proved(tx: Tx) -> Steps[tuple[int, bytes, tuple[bytes, ...]]]:
            found = yield from tx.query(_POSITION_OF, {"case_id": case_id, "seq": seq})
            if not found:
                msg = f"{self.location}: case {case_id!r} has no entry {seq}"
                raise StoreError(msg)
            position = int(found[0][0])
            if position > signed.size:
                msg = (
                    f"{self.location}: case {case_id!r}, entry {seq} (position {position}) came after the "
                    f"checkpoint of {signed.size} entries: make a newer checkpoint to prove it"
                )
                raise StoreError(msg)
            yield from self._check_covered(tx, signed)
            (data,) = yield from self._leaf_data(tx, position - 1, position)
            proof = yield from self._with_nodes(
                tx, lambda nodes: inclusion_proof(nodes, position - 1, signed.size)
            )
            return position, data, proof

        position, data, proof = yield from self._transact(proved, write=False)
        if root_from_inclusion(position - 1, signed.size, leaf_hash(data), proof) != signed.root:
            msg = f"{self.location}: the store no longer holds the log of the checkpoint of {signed.size}"
            raise LogMismatch(msg)
        return Receipt(checkpoint, position, data, proof)

    @operation
    def consistency(self, old: str, new: str) -> Steps[ConsistencyProof]:
        """Proof that the log at signed checkpoint *new* extends the log at *old* (both this store's).

        Raises :class:`LogMismatch` if the store cannot show it: the log was
        rewritten between them, or since.
        """
        earlier, later = _unsigned(old), _unsigned(new)

        def proved(tx: Tx) -> Steps[tuple[bytes, ...]]:
            yield from self._check_covered(tx, later)
            return (
                yield from self._with_nodes(
                    tx, lambda nodes: consistency_proof(nodes, earlier.size, later.size)
                )
            )

        proof = yield from self._transact(proved, write=False)
        try:
            verify_consistency(earlier.size, later.size, earlier.root, later.root, proof)
        except ProofError as error:
            msg = (
                f"{self.location}: the store cannot show that the checkpoint of {later.size} entries "
                f"extends the one of {earlier.size}: {error}"
            )
            raise LogMismatch(msg) from None
        return ConsistencyProof(old, new, proof)

    @operation
    def verify_log(self, checkpoint: str, key: VerifierKey) -> Steps[Checkpoint]:
        """Check that the store holds the log *checkpoint* signed: its entries, none cut off, none rewritten.

        The checkpoint is opened with the log's public *key*, then the root
        of the store's first entries, as many as it covers, is computed again
        from the entries themselves (not from the stored tree) and compared.
        Returns the checkpoint; raises :class:`LogMismatch` when the store
        fails it, and :class:`~casestate.proofs.NoteError` for a checkpoint
        that is not the log's.
        """
        signed = open_checkpoint(checkpoint, key)
        frontier = Frontier()
        last = yield from self._transact(self._last_position, write=False)
        if last < signed.size:
            msg = (
                f"{self.location} holds {last} entries, fewer than the {signed.size} the checkpoint "
                "covers: entries were cut off"
            )
            raise LogMismatch(msg)
        done = 0
        while done < signed.size:
            upto = min(signed.size, done + _CHUNK)
            leaves = yield from self._transact(partial(self._leaf_data, start=done, end=upto), write=False)
            frontier, _ = frontier.extended(map(leaf_hash, leaves))
            done = upto
        if frontier.root != signed.root:
            msg = (
                f"{self.location}: its first {signed.size} entries are not those the checkpoint covers: "
                "the log was rewritten"
            )
            raise LogMismatch(msg)
        return signed

    # -- the tree -------------------------------------------------------------------

    def _last_position(self, tx: Tx) -> Steps[int]:
        found = yield from tx.query(LAST_POSITION)
        if not found:
            raise StoreError(f"{self.location} is a damaged casestate store: its position counter is gone")
        return int(found[0][0])

    def _frontier(self, tx: Tx) -> Steps[Frontier]:
        found = yield from tx.query(_SELECT_HEAD)
        try:
            ((size, edge),) = found
            return Frontier(
                int(size), tuple(bytes.fromhex(edge[at : at + 64]) for at in range(0, len(edge), 64))
            )
        except (TypeError, ValueError) as error:
            msg = f"{self.location} is a damaged casestate store: its tree's head was altered ({error})"
            raise StoreError(msg) from None

    def _grow(self, tx: Tx, frontier: Frontier, upto: int) -> Steps[Frontier]:
        """*frontier* grown by the entries up to position *upto*; the nodes it completes kept."""
        leaves = yield from self._leaf_data(tx, frontier.size, upto)
        grown, made = frontier.extended(map(leaf_hash, leaves))
        kept = [
            {"level": node.level, "idx": node.index, "hash": node.hash.hex()}
            for node in made
            if node.level >= STORED_LEVEL
        ]
        if kept:
            yield from tx.execute_many(_INSERT_NODE, kept)
        yield from tx.execute(
            _UPDATE_HEAD, {"size": grown.size, "edge": "".join(h.hex() for h in grown.hashes)}
        )
        return grown

    def _leaf_data(self, tx: Tx, start: int, end: int) -> Steps[list[bytes]]:
        """The leaves ``[start, end)``: the canonical bytes of the entries after position *start* to *end*."""
        expected = start + 1
        leaves: list[bytes] = []
        while expected <= end:
            rows = yield from tx.query(
                _SELECT_LEAVES, {"after": expected - 1, "upto": end, "limit": self._page}
            )
            for row in rows:
                if row[0] != expected:
                    raise self._missing(expected)
                leaves.append(canonical_bytes(self._leaf_entry(row)))
                expected += 1
            if not rows:
                raise self._missing(expected)
        return leaves

    def _missing(self, position: int) -> LogMismatch:
        text = f"{self.location}: the entry at position {position} is missing: removed behind the store"
        return LogMismatch(text)

    def _leaf_entry(self, row: tuple[object, ...]) -> Entry:
        return row_entry(row[1:], str(row[1]), 0, erased=ANY_ERASED)

    def _with_nodes(self, tx: Tx, prove: Callable[[Nodes], T]) -> Steps[T]:
        """*prove* run with the hashes of the subtrees it asks for, read first.

        Which subtrees a proof asks for depends on the sizes alone: a first run
        with stand-in hashes names them.
        """
        asked: dict[tuple[int, int], bytes] = {}

        def named(level: int, index: int) -> bytes:
            asked[level, index] = b""
            return bytes(32)

        prove(named)
        for level, index in asked:
            asked[level, index] = yield from self._node(tx, level, index)

        def read(level: int, index: int) -> bytes:
            return asked[level, index]

        return prove(read)

    def _node(self, tx: Tx, level: int, index: int) -> Steps[bytes]:
        """The hash of a perfect subtree: kept, or hashed again from its entries if it is a small one."""
        if level < STORED_LEVEL:
            leaves = yield from self._leaf_data(tx, index << level, (index + 1) << level)
            return Frontier().extended(map(leaf_hash, leaves))[0].root
        found = yield from tx.query(_SELECT_NODE, {"level": level, "idx": index})
        if not found:
            msg = f"{self.location}: the tree's node {level}/{index} is missing: its tree was altered"
            raise LogMismatch(msg)
        return bytes.fromhex(str(found[0][0]))

    def _check_covered(self, tx: Tx, checkpoint: Checkpoint) -> Steps[None]:
        size = (yield from self._frontier(tx)).size
        if checkpoint.size > size:
            msg = (
                f"{self.location}: the checkpoint covers {checkpoint.size} entries, but this store's "
                f"tree only {size}: it is another store's, or this one lost its tree"
            )
            raise LogMismatch(msg)
