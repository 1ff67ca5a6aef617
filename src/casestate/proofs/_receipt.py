"""Receipts and consistency proofs: self-contained JSON documents anyone can check with the public key.

A receipt proves that one entry is in the log at a signed checkpoint; a
consistency proof, that a later checkpoint extends an earlier one. Each
carries the signed checkpoints, so it is checked offline, with the log's
verifier key alone. A receipt carries the entry's public part (no actor,
reason or evidence details) as a JSON object; its canonical bytes, which are
the leaf, are that object written as compact JSON with sorted keys, ASCII
only (:func:`casestate.canonical_bytes`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs

from casestate import Entry, canonical_bytes

from ._checkpoint import Checkpoint, open_checkpoint
from ._merkle import HASH_SIZE, ProofError, leaf_hash, verify_consistency, verify_inclusion
from ._note import NoteError, VerifierKey

RECEIPT_FORMAT = "casestate.receipt"
CONSISTENCY_FORMAT = "casestate.consistency"
PROOF_VERSION = 1
"""The version of the receipt and consistency proof formats."""


def entry_leaf(entry: Entry) -> bytes:
    """The leaf hash of *entry* in the store's log: RFC 9162's leaf hash of its canonical bytes.

    The canonical bytes are the public part the entry's own hash covers
    (its commitment stands in for the personal part), so an entry's leaf is
    the same before and after its personal part is redacted or erased.
    """
    return leaf_hash(canonical_bytes(entry))


def _hashes(proof: Sequence[bytes]) -> tuple[bytes, ...]:
    hashes = tuple(proof)
    if any(not isinstance(item, bytes) or len(item) != HASH_SIZE for item in hashes):
        msg = f"every hash of a proof is {HASH_SIZE} bytes"
        raise ValueError(msg)
    return hashes


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        msg = "a key is given twice"
        raise NoteError(msg)
    return found


def _document(text: str | bytes, form: str, keys: frozenset[str]) -> dict[str, Any]:
    """The JSON object of a proof document of *form*, with exactly *keys*; :class:`NoteError` otherwise."""
    try:
        data = json.loads(text, object_pairs_hook=_unique)
    except (ValueError, UnicodeDecodeError) as error:
        msg = f"not a {form} document: {error}"
        raise NoteError(msg) from None
    if not isinstance(data, dict) or data.get("format") != form:
        msg = f"not a {form} document"
        raise NoteError(msg)
    if data.get("version") != PROOF_VERSION:
        found = data.get("version")
        msg = f"a {form} document of version {found!r}; this casestate reads version {PROOF_VERSION}"
        raise NoteError(msg)
    if set(data) != keys:
        msg = f"a {form} document holds exactly the fields {sorted(keys)}, not {sorted(data)}"
        raise NoteError(msg)
    return data


def _canonical(fields: dict[str, Any]) -> bytes:
    """An entry's canonical bytes from its public fields, as :func:`casestate.canonical_bytes` writes them."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def _written(form: str, fields: dict[str, object], proof: tuple[bytes, ...]) -> str:
    """A proof document of *form*: its format and version, *fields*, and the proof's hashes in hex."""
    document = {"format": form, "version": PROOF_VERSION, **fields, "proof": [item.hex() for item in proof]}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _read_hashes(values: object, form: str) -> tuple[bytes, ...]:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        msg = f"a {form} document's proof is a list of hexadecimal hashes"
        raise NoteError(msg)
    try:
        return _hashes([bytes.fromhex(value) for value in values])
    except ValueError:
        msg = f"a {form} document's proof is a list of {HASH_SIZE}-byte hexadecimal hashes"
        raise NoteError(msg) from None


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        msg = f"{what} is a text"
        raise NoteError(msg)
    return value


@attrs.frozen
class Receipt:
    """Proof that one entry is in the log at a signed checkpoint.

    *checkpoint* is the signed note; *position* the entry's place in the
    store's feed (from 1; its leaf index is one less); *entry* its canonical
    bytes (the leaf); *proof* the RFC 9162 audit path.
    """

    checkpoint: str
    position: int
    entry: bytes = attrs.field(repr=False)
    proof: tuple[bytes, ...] = attrs.field(converter=_hashes, repr=False)

    @property
    def fields(self) -> dict[str, object]:
        """The entry's public fields (case id, sequence number, trigger, statuses, times...)."""
        found: dict[str, object] = json.loads(self.entry)
        return found

    def verify(self, key: VerifierKey, *, entry: Entry | None = None) -> Checkpoint:
        """Check the receipt with the log's public *key*; the checkpoint it proves the entry in.

        With *entry*, also check that the receipt is of that entry (its public
        part; the personal part may be redacted). Raises :class:`ProofError`
        or :class:`NoteError` when the receipt does not hold.
        """
        checkpoint = open_checkpoint(self.checkpoint, key)
        if entry is not None and canonical_bytes(entry) != self.entry:
            msg = f"the receipt is of another entry than case {entry.case_id!r}, entry {entry.seq}"
            raise ProofError(msg)
        verify_inclusion(
            self.position - 1, checkpoint.size, leaf_hash(self.entry), self.proof, checkpoint.root
        )
        return checkpoint

    def to_json(self) -> str:
        """The receipt as a JSON document (keys in a fixed order, one per line)."""
        fields = {
            "checkpoint": self.checkpoint,
            "position": self.position,
            "entry": self.fields,
        }
        return _written(RECEIPT_FORMAT, fields, self.proof)

    @classmethod
    def from_json(cls, text: str | bytes) -> Receipt:
        """Read a receipt document; :class:`NoteError` names what is wrong with one that is not."""
        data = _document(text, RECEIPT_FORMAT, _RECEIPT_KEYS)
        position = data["position"]
        if isinstance(position, bool) or not isinstance(position, int) or position < 1:
            msg = "a receipt's position is an int >= 1"
            raise NoteError(msg)
        entry = data["entry"]
        if not isinstance(entry, dict):
            msg = "a receipt's entry is the entry's public part, a JSON object"
            raise NoteError(msg)
        return cls(
            _text(data["checkpoint"], "a receipt's checkpoint"),
            position,
            _canonical(entry),
            _read_hashes(data["proof"], RECEIPT_FORMAT),
        )


_RECEIPT_KEYS = frozenset({"format", "version", "checkpoint", "position", "entry", "proof"})


@attrs.frozen
class ConsistencyProof:
    """Proof that the log at signed checkpoint *new* extends that at *old*: nothing rewritten or dropped."""

    old: str
    new: str
    proof: tuple[bytes, ...] = attrs.field(converter=_hashes, repr=False)

    def verify(self, key: VerifierKey) -> tuple[Checkpoint, Checkpoint]:
        """Check the proof with the log's public *key*; the two checkpoints, older first.

        Raises :class:`ProofError` or :class:`NoteError` when it does not hold.
        """
        old, new = open_checkpoint(self.old, key), open_checkpoint(self.new, key)
        verify_consistency(old.size, new.size, old.root, new.root, self.proof)
        return old, new

    def to_json(self) -> str:
        """The proof as a JSON document."""
        return _written(CONSISTENCY_FORMAT, {"old": self.old, "new": self.new}, self.proof)

    @classmethod
    def from_json(cls, text: str | bytes) -> ConsistencyProof:
        """Read a consistency proof document; :class:`NoteError` names what is wrong with one that is not."""
        data = _document(text, CONSISTENCY_FORMAT, _CONSISTENCY_KEYS)
        return cls(
            _text(data["old"], "a consistency proof's old checkpoint"),
            _text(data["new"], "a consistency proof's new checkpoint"),
            _read_hashes(data["proof"], CONSISTENCY_FORMAT),
        )


_CONSISTENCY_KEYS = frozenset({"format", "version", "old", "new", "proof"})
