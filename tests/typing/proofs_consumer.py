"""An app's use of checkpoints, receipts and erasure, type-checked with mypy --strict."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from casestate.proofs import Checkpoint, ConsistencyProof, Receipt, SigningKey, VerifierKey, open_checkpoint
from casestate.store import CaseStore, Erasure, LogMismatch


def sign_and_prove(store: CaseStore, key_file: Path, case_id: str, seq: int) -> Receipt:
    key = SigningKey.from_text(key_file.read_text(encoding="ascii"))
    note: str = store.checkpoint(key)
    return store.prove(case_id, seq, note)


def check_receipt(document: str, public_key_file: Path) -> tuple[int, datetime | None]:
    public = VerifierKey.from_text(public_key_file.read_text(encoding="ascii"))
    checkpoint: Checkpoint = Receipt.from_json(document).verify(public)
    return checkpoint.size, checkpoint.time


def audit(store: CaseStore, old: str, new: str, public: VerifierKey) -> bool:
    proof: ConsistencyProof = store.consistency(old, new)
    proof.verify(public)
    try:
        store.verify_log(new, public)
    except LogMismatch:
        return False
    return open_checkpoint(new, public).size == store.tree_size()


def withdraw_consent(store: CaseStore, case_id: str) -> list[Erasure]:
    return store.erase(case_id, by="data-protection-officer", reason="the family withdrew consent")
