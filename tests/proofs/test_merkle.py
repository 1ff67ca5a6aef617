"""The RFC 9162 Merkle tree: published test vectors, and proofs for random logs that hold and break."""

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casestate.proofs import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    root_hash,
    tree_nodes,
    verify_consistency,
    verify_inclusion,
)
from merkle_logs import log_and_index, log_and_prefix

VECTORS = json.loads((Path(__file__).parents[1] / "data" / "merkle" / "vectors.json").read_text())
LEAVES = [leaf_hash(bytes.fromhex(data)) for data in VECTORS["leaves"]]
ROOTS = [bytes.fromhex(root) for root in VECTORS["roots"]]


def lookup(leaves):
    nodes = tree_nodes(leaves)
    return lambda level, index: nodes[level, index]


def reference_root(leaves):
    """MTH as RFC 9162 2.1.1 writes it, recursively, over leaf hashes."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


# -- published vectors ----------------------------------------------------------


def test_leaf_and_node_hashes_are_rfc_9162s():
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert EMPTY_ROOT.hex() == VECTORS["empty_root"]


@pytest.mark.parametrize("size", range(1, 9))
def test_the_roots_of_the_published_tree(size):
    assert root_hash(lookup(LEAVES[:size]), size) == ROOTS[size - 1]
    assert Frontier().extended(LEAVES[:size])[0].root == ROOTS[size - 1]


def test_the_empty_tree_has_the_empty_root():
    assert root_hash(lookup([]), 0) == EMPTY_ROOT == Frontier().root


@pytest.mark.parametrize("vector", VECTORS["inclusion"], ids=lambda v: f"{v['leaf']}-of-{v['size']}")
def test_the_published_inclusion_proofs(vector):
    index, size = vector["leaf"] - 1, vector["size"]
    proof = inclusion_proof(lookup(LEAVES), index, size)
    assert [item.hex() for item in proof] == vector["proof"]
    verify_inclusion(index, size, LEAVES[index], proof, ROOTS[size - 1])


@pytest.mark.parametrize("vector", VECTORS["consistency"], ids=lambda v: f"{v['size1']}-to-{v['size2']}")
def test_the_published_consistency_proofs(vector):
    old, new = vector["size1"], vector["size2"]
    proof = consistency_proof(lookup(LEAVES), old, new)
    assert [item.hex() for item in proof] == vector["proof"]
    verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


# -- properties -----------------------------------------------------------------


@given(log_and_index())
def test_every_inclusion_proof_verifies_and_any_change_breaks_it(case):
    data, index = case
    leaves = [leaf_hash(item) for item in data]
    size = len(leaves)
    root = reference_root(leaves)
    proof = inclusion_proof(lookup(leaves), index, size)
    assert root_from_inclusion(index, size, leaves[index], proof) == root
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([proof[position][0] ^ 1]) + proof[position][1:]
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaves[index], flipped, root)
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaf_hash(b"another leaf"), proof, root)
    with pytest.raises(ProofError):
        verify_inclusion(index, size, leaves[index], [*proof, root], root)
    if proof:
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaves[index], proof[:-1], root)
    for other in {index - 1, index + 1, index ^ 2} - {index}:
        if 0 <= other < size and leaves[other] != leaves[index]:
            with pytest.raises(ProofError):
                verify_inclusion(other, size, leaves[index], proof, root)


@given(log_and_prefix(), st.data())
def test_every_consistency_proof_verifies_and_any_change_breaks_it(case, data):
    items, old = case
    leaves = [leaf_hash(item) for item in items]
    new = len(leaves)
    old_root, new_root = reference_root(leaves[:old]), reference_root(leaves)
    proof = consistency_proof(lookup(leaves), old, new)
    verify_consistency(old, new, old_root, new_root, proof)
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([proof[position][0] ^ 1]) + proof[position][1:]
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, flipped)
    if old < new:
        with pytest.raises(ProofError):
            verify_consistency(old, new, leaf_hash(b"rewritten"), new_root, proof)
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, leaf_hash(b"rewritten"), proof)
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, proof[:-1])
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, [*proof, new_root])
    rewritten = data.draw(st.integers(0, old - 1), label="a leaf of the old tree rewritten")
    changed = [*leaves[:rewritten], leaf_hash(b"\xffrewritten"), *leaves[rewritten + 1 :]]
    if changed != leaves and old < new:
        forged = consistency_proof(lookup(changed), old, new)
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, reference_root(changed), forged)


@given(log_and_prefix())
def test_a_frontier_grown_in_steps_is_the_tree_built_at_once(case):
    items, cut = case
    leaves = [leaf_hash(item) for item in items]
    first, made_first = Frontier().extended(leaves[:cut])
    second, made_second = first.extended(leaves[cut:])
    assert second == Frontier().extended(leaves)[0]
    assert second.root == reference_root(leaves)
    assert {(n.level, n.index): n.hash for n in made_first + made_second} == tree_nodes(leaves)
    assert [node.hash for node in second.nodes()] == list(second.hashes)


def test_requests_no_proof_answers_are_refused():
    nodes = lookup(LEAVES)
    with pytest.raises(ProofError, match="not in a tree of 8 leaves"):
        inclusion_proof(nodes, 8, 8)
    with pytest.raises(ProofError, match="cannot be a prefix"):
        consistency_proof(nodes, 5, 4)
    with pytest.raises(ValueError, match="number of leaves"):
        root_hash(nodes, -1)
    with pytest.raises(ProofError, match="32 bytes"):
        verify_inclusion(0, 8, LEAVES[0], [b"short"], ROOTS[7])
    with pytest.raises(ProofError, match="leaf hash is 32 bytes"):
        verify_inclusion(0, 8, b"short", [], ROOTS[7])
    with pytest.raises(ProofError, match="empty"):
        verify_consistency(2, 5, ROOTS[1], ROOTS[4], [])
    with pytest.raises(ProofError, match="cannot be a prefix"):
        verify_consistency(5, 2, ROOTS[4], ROOTS[1], [])
    with pytest.raises(ProofError, match="roots are equal"):
        verify_consistency(3, 3, ROOTS[2], ROOTS[3], [])
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(0, 3, EMPTY_ROOT, ROOTS[2], [ROOTS[0]])
    verify_consistency(0, 3, EMPTY_ROOT, ROOTS[2], [])
    with pytest.raises(ValueError, match="edge hashes"):
        Frontier(3, (ROOTS[0],))
