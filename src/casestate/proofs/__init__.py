"""Proof others can check: the store's feed as an RFC 9162 Merkle tree, signed checkpoints, receipts.

An edge of casestate over the core's public API; signing and checking
signatures need the ``proofs`` extra (``pip install 'casestate[proofs]'``),
which brings the ``cryptography`` package. The tree's hashes and proofs need
nothing but the standard library.

- The leaves are the store's entries in feed order, each leaf the entry's
  canonical bytes (:func:`entry_leaf`); :func:`inclusion_proof`,
  :func:`consistency_proof` and their checks are RFC 9162's.
- A :class:`Checkpoint` is written and signed as a C2SP tlog-checkpoint
  note (:func:`sign_checkpoint`, :func:`open_checkpoint`) with an Ed25519
  :class:`SigningKey`; a partner holds the :class:`VerifierKey`.
- A :class:`Receipt` proves one entry is in the log at a checkpoint; a
  :class:`ConsistencyProof` that a later checkpoint extends an earlier one.
"""

from casestate import publish as _publish

from ._checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from ._merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    Frontier,
    Node,
    Nodes,
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
from ._note import NoteError, ProofsUnavailable, SigningKey, VerifierKey, open_note, sign_note
from ._receipt import PROOF_VERSION, ConsistencyProof, Receipt, entry_leaf

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "PROOF_VERSION",
    "Checkpoint",
    "ConsistencyProof",
    "Frontier",
    "Node",
    "Nodes",
    "NoteError",
    "ProofError",
    "ProofsUnavailable",
    "Receipt",
    "SigningKey",
    "VerifierKey",
    "consistency_proof",
    "entry_leaf",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "open_checkpoint",
    "open_note",
    "root_from_inclusion",
    "root_hash",
    "sign_checkpoint",
    "sign_note",
    "tree_nodes",
    "verify_consistency",
    "verify_inclusion",
]

_publish(__name__, globals(), __all__)
