"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1: hashes and proofs.

Pure functions over 32-byte SHA-256 hashes. A tree of *size* leaves is never
held in memory: proofs are made from the hashes of its perfect subtrees (a
complete binary tree of ``2**level`` leaves starting at ``index << level``),
which a caller reads from wherever it keeps them (:data:`Nodes`), and a
:class:`Frontier` keeps just the right edge, so that the root of a grown tree
costs only the new leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs

HASH_SIZE = 32
"""The size of every hash in the tree (SHA-256)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the tree with no leaves: the hash of the empty string (RFC 9162, 2.1.1)."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

Nodes = Callable[[int, int], bytes]
"""``nodes(level, index)``: the hash of the perfect subtree of ``2**level`` leaves from ``index << level``."""


class ProofError(ValueError):
    """A proof that does not verify, or a request no proof answers (an index past the tree)."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf holding *data*: SHA-256 over 0x00 and the data."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node: SHA-256 over 0x01 and its children's hashes."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than *size* (which is at least 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def _subtree(nodes: Nodes, start: int, end: int) -> bytes:
    """The hash of the leaves ``[start, end)`` as RFC 9162 defines it, from perfect subtrees."""
    size = end - start
    if size & (size - 1) == 0 and start % size == 0:
        level = size.bit_length() - 1
        return nodes(level, start >> level)
    middle = start + _split(size)
    return node_hash(_subtree(nodes, start, middle), _subtree(nodes, middle, end))


def _check_size(size: int, name: str) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        msg = f"{name} must be a number of leaves (an int >= 0), got {size!r}"
        raise ValueError(msg)


def root_hash(nodes: Nodes, size: int) -> bytes:
    """The root of the first *size* leaves."""
    _check_size(size, "size")
    return EMPTY_ROOT if size == 0 else _subtree(nodes, 0, size)


def inclusion_proof(nodes: Nodes, index: int, size: int) -> tuple[bytes, ...]:
    """The audit path of leaf *index* in the tree of *size* leaves (RFC 9162, 2.1.3.1), leaf side first."""
    _check_size(size, "size")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        msg = f"leaf index {index!r} is not in a tree of {size} leaves"
        raise ProofError(msg)
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        middle = start + _split(end - start)
        if index < middle:
            path.append(_subtree(nodes, middle, end))
            end = middle
        else:
            path.append(_subtree(nodes, start, middle))
            start = middle
    return tuple(reversed(path))


def consistency_proof(nodes: Nodes, old_size: int, new_size: int) -> tuple[bytes, ...]:
    """The proof that the tree of *old_size* leaves is a prefix of that of *new_size* (RFC 9162, 2.1.4.1)."""
    _check_size(old_size, "old_size")
    _check_size(new_size, "new_size")
    if old_size > new_size:
        msg = f"a tree of {old_size} leaves cannot be a prefix of one of {new_size}"
        raise ProofError(msg)
    if old_size in {0, new_size}:
        return ()
    proof: list[bytes] = []
    start, end, whole = 0, new_size, True
    old = old_size
    while old != end - start:
        middle_size = _split(end - start)
        if old <= middle_size:
            proof.append(_subtree(nodes, start + middle_size, end))
            end = start + middle_size
        else:
            proof.append(_subtree(nodes, start, start + middle_size))
            start += middle_size
            old -= middle_size
            whole = False
    if not whole:
        proof.append(_subtree(nodes, start, end))
    return tuple(reversed(proof))


def _hash_list(proof: Sequence[bytes]) -> list[bytes]:
    hashes = list(proof)
    if any(not isinstance(item, bytes) or len(item) != HASH_SIZE for item in hashes):
        msg = f"every hash of a proof is {HASH_SIZE} bytes"
        raise ProofError(msg)
    return hashes


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that *proof* leads to from the leaf hash *leaf* at *index* (RFC 9162, 2.1.3.2).

    Raises :class:`ProofError` for a proof of the wrong length or shape.
    """
    _check_size(size, "size")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        msg = f"leaf index {index!r} is not in a tree of {size} leaves"
        raise ProofError(msg)
    hashes = _hash_list(proof)
    if not isinstance(leaf, bytes) or len(leaf) != HASH_SIZE:
        msg = f"a leaf hash is {HASH_SIZE} bytes"
        raise ProofError(msg)
    root = leaf
    for sibling, left in _walk(index, size - 1, hashes):
        root = node_hash(sibling, root) if left else node_hash(root, sibling)
    return root


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that the leaf hash *leaf* is at *index* in the tree of *size* leaves whose root is *root*.

    Raises :class:`ProofError` when it is not.
    """
    if root_from_inclusion(index, size, leaf, proof) != root:
        msg = f"the inclusion proof of leaf {index} does not lead to the root of the tree of {size} leaves"
        raise ProofError(msg)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of *old_size* leaves and root *old_root* is a prefix of the newer one.

    The check of RFC 9162, 2.1.4.2.

    Raises :class:`ProofError` when *proof* does not show it.
    """
    _check_size(old_size, "old_size")
    _check_size(new_size, "new_size")
    hashes = _hash_list(proof)
    if old_size > new_size:
        msg = f"a tree of {old_size} leaves cannot be a prefix of one of {new_size}"
        raise ProofError(msg)
    if old_size == new_size:
        if hashes or old_root != new_root:
            msg = "two trees of one size are consistent only when their roots are equal and the proof empty"
            raise ProofError(msg)
        return
    if old_size == 0:
        if hashes:
            msg = "the empty tree is a prefix of every tree, with an empty proof"
            raise ProofError(msg)
        return
    if not hashes:
        msg = "the consistency proof is empty"
        raise ProofError(msg)
    if old_size & (old_size - 1) == 0:  # a perfect tree: its root is the proof's unwritten first hash
        hashes.insert(0, old_root)
    fr, sr = _consistency_roots(old_size, new_size, hashes)
    if fr != old_root or sr != new_root:
        msg = f"the consistency proof does not show the tree of {old_size} leaves inside that of {new_size}"
        raise ProofError(msg)


def _consistency_roots(old_size: int, new_size: int, hashes: list[bytes]) -> tuple[bytes, bytes]:
    """The two roots a consistency proof leads to: the old tree's and the new one's."""
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = hashes[0]
    for sibling, left in _walk(fn, sn, hashes[1:]):
        if left:
            fr, sr = node_hash(sibling, fr), node_hash(sibling, sr)
        else:
            sr = node_hash(sr, sibling)
    return fr, sr


def _walk(fn: int, sn: int, hashes: Sequence[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each hash of a proof, and whether it is a left sibling, as RFC 9162's checks climb the tree.

    *fn* is the node being climbed from and *sn* the last node of its level;
    a proof longer or shorter than the climb to the root is refused.
    """
    for sibling in hashes:
        if sn == 0:
            msg = "the proof is longer than the tree is deep"
            raise ProofError(msg)
        left = bool(fn & 1) or fn == sn
        yield sibling, left
        if left and not fn & 1:  # the last node of its level: up to where it is a right child
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        msg = "the proof is shorter than the tree is deep"
        raise ProofError(msg)


@attrs.frozen
class Node:
    """A perfect subtree's hash: ``2**level`` leaves from ``index << level``."""

    level: int
    index: int
    hash: bytes


@attrs.frozen
class Frontier:
    """The right edge of a tree: the hashes of the perfect subtrees that cover its leaves, largest first.

    Enough to compute the root and to add leaves, with no other hash of the
    tree: a tree of *size* leaves has one subtree per bit set in *size*.
    """

    size: int = 0
    hashes: tuple[bytes, ...] = ()

    def __attrs_post_init__(self) -> None:
        _check_size(self.size, "size")
        if len(self.hashes) != self.size.bit_count():
            count = self.size.bit_count()
            msg = f"a tree of {self.size} leaves has {count} edge hashes, not {len(self.hashes)}"
            raise ValueError(msg)

    @property
    def root(self) -> bytes:
        """The root of the tree."""
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def nodes(self) -> tuple[Node, ...]:
        """The edge's subtrees, with their levels and indexes."""
        found: list[Node] = []
        start = 0
        hashes = iter(self.hashes)
        for level in reversed(range(self.size.bit_length())):
            if self.size >> level & 1:
                found.append(Node(level, start >> level, next(hashes)))
                start += 1 << level
        return tuple(found)

    def extended(self, leaves: Iterable[bytes]) -> tuple[Frontier, list[Node]]:
        """This tree with *leaves* (leaf hashes) added, and every perfect subtree they complete.

        The subtrees are the nodes a caller keeps to make proofs later: the
        leaves themselves (level 0) and each inner node the new leaves finish.
        """
        stack = list(self.hashes)
        size = self.size
        made: list[Node] = []
        for leaf in leaves:
            made.append(Node(0, size, leaf))
            hashed, level, index = leaf, 0, size
            # Each trailing one bit of the old size is a subtree the new leaf completes a sibling of.
            while (size >> level) & 1:
                hashed = node_hash(stack.pop(), hashed)
                level += 1
                index >>= 1
                made.append(Node(level, index, hashed))
            stack.append(hashed)
            size += 1
        return Frontier(size, tuple(stack)), made


def tree_nodes(leaves: Sequence[bytes]) -> dict[tuple[int, int], bytes]:
    """Every perfect subtree of the tree of *leaves* (leaf hashes), by ``(level, index)``."""
    _, made = Frontier().extended(leaves)
    return {(node.level, node.index): node.hash for node in made}
