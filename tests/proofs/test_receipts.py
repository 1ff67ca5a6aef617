"""Receipt and consistency proof documents: written, read back, and every malformed one refused by name."""

import json

import pytest

from casestate.proofs import (
    Checkpoint,
    ConsistencyProof,
    NoteError,
    ProofError,
    Receipt,
    SigningKey,
    VerifierKey,
    leaf_hash,
    root_from_inclusion,
    sign_checkpoint,
    sign_note,
)

KEY = SigningKey.generate("registry.example.org/cases")
ENTRY = {"case_id": "ua-1", "seq": 0, "trigger": "open", "to_status": "missing"}
LEAF = json.dumps(ENTRY, sort_keys=True, separators=(",", ":")).encode("ascii")
ONE_LEAF = sign_checkpoint(Checkpoint(KEY.name, 1, leaf_hash(LEAF)), KEY)


def receipt_document(**changes):
    data = json.loads(Receipt(ONE_LEAF, 1, LEAF, ()).to_json())
    data.update(changes)
    return json.dumps(data)


def test_a_receipt_of_a_one_entry_log_reads_back_and_verifies():
    receipt = Receipt.from_json(receipt_document())
    assert receipt.entry == LEAF
    assert receipt.fields == ENTRY
    assert receipt.verify(KEY.verifier).size == 1


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "not a casestate.receipt document"),
        ("[1, 2]", "not a casestate.receipt document"),
        (receipt_document(format="casestate.case"), "not a casestate.receipt document"),
        (receipt_document(version=2), "of version 2; this casestate reads version 1"),
        (receipt_document(extra=1), "holds exactly the fields"),
        (receipt_document(position=0), "position is an int >= 1"),
        (receipt_document(position=True), "position is an int >= 1"),
        (receipt_document(position="1"), "position is an int >= 1"),
        (receipt_document(entry="{}"), "a JSON object"),
        (receipt_document(checkpoint=7), "checkpoint is a text"),
        (receipt_document(proof="ab"), "list of hexadecimal hashes"),
        (receipt_document(proof=["zz"]), "32-byte hexadecimal hashes"),
        (receipt_document(proof=["ab"]), "32-byte hexadecimal hashes"),
        (receipt_document().replace('"position": 1', '"position": 1, "position": 2'), "given twice"),
    ],
)
def test_a_malformed_receipt_is_refused_by_name(document, message):
    with pytest.raises(NoteError, match=message):
        Receipt.from_json(document)


def test_a_consistency_proof_document_reads_back_and_malformed_ones_are_refused():
    later = sign_checkpoint(Checkpoint(KEY.name, 1, leaf_hash(LEAF)), KEY)
    proof = ConsistencyProof(ONE_LEAF, later, ())
    assert ConsistencyProof.from_json(proof.to_json()) == proof
    assert proof.verify(KEY.verifier)[1].size == 1
    data = json.loads(proof.to_json())
    with pytest.raises(NoteError, match=r"not a casestate\.consistency document"):
        ConsistencyProof.from_json(receipt_document())
    with pytest.raises(NoteError, match="old checkpoint is a text"):
        ConsistencyProof.from_json(json.dumps({**data, "old": None}))


def test_values_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        Receipt(ONE_LEAF, 1, LEAF, (b"short",))
    with pytest.raises(ProofError, match="not in a tree of 1 leaves"):
        root_from_inclusion(True, 1, leaf_hash(LEAF), ())
    with pytest.raises(NoteError, match="is a text"):
        VerifierKey.from_text(b"bytes")
    with pytest.raises(NoteError, match="a signing key: keep it secret"):
        VerifierKey.from_text(KEY.to_text())
    with pytest.raises(NoteError, match="ends with a newline"):
        sign_note("no newline", KEY)
    with pytest.raises(NoteError, match="signed note is a text"):
        Receipt(b"bytes", 1, LEAF, ()).verify(KEY.verifier)
