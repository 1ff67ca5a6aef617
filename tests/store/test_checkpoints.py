"""The store's feed as a transparency log: checkpoints, receipts, consistency, and stores held to a checkpoint."""

import secrets
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate.proofs import ConsistencyProof, NoteError, ProofError, Receipt, SigningKey, open_checkpoint
from casestate.store import STORED_LEVEL, LogMismatch, StoreError, _log
from casestate.store._rows import entry_row
from casestate.store._schema import ENTRY_FIELDS
from casestate.store._statements import summary_params
from store_places import Place, report
from support import actor, day

KEY = SigningKey.generate("registry.example.org/cases")
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def fill(store, cases, start=0, changes=0):
    """Open *cases* cases (numbered from *start*), each with *changes* reports after its opening."""
    for number in range(start, start + cases):
        case = store.open_case(
            f"case-{number:03d}", actor=actor("family"), effective_at=day(0), recorded_at=day(1)
        )
        for step in range(changes):
            case = store.apply(
                case.id, [report(case, f"note {number}/{step}", step)], expected_version=case.version
            )


def every_entry(store):
    return [(stored.position, stored.entry) for stored in store.entries()]


def test_a_receipt_for_every_entry_verifies_with_the_public_key_alone(place):
    with place.open() as store:
        fill(store, 9, changes=2)
        note = store.checkpoint(KEY, now=NOW)
        checkpoint = open_checkpoint(note, KEY.verifier)
        assert (checkpoint.origin, checkpoint.size, checkpoint.time) == (KEY.name, 27, NOW)
        for position, entry in every_entry(store):
            receipt = store.prove(entry.case_id, entry.seq, note)
            assert receipt.position == position
            read = Receipt.from_json(receipt.to_json())
            assert read == receipt
            assert read.verify(KEY.verifier, entry=entry.without_private()) == checkpoint
            assert read.fields["case_id"] == entry.case_id
            assert "note" not in receipt.to_json()  # no reason, no evidence reference: the public part only


def test_a_receipt_does_not_verify_for_another_entry_a_forged_checkpoint_or_another_key(place):
    with place.open() as store:
        fill(store, 5, changes=1)
        note = store.checkpoint(KEY, now=NOW)
        receipt = store.prove("case-002", 1, note)
        other = store.load("case-003").trail[1]
    with pytest.raises(ProofError, match="another entry"):
        receipt.verify(KEY.verifier, entry=other)
    moved = Receipt(receipt.checkpoint, receipt.position + 1, receipt.entry, receipt.proof)
    with pytest.raises(ProofError):
        moved.verify(KEY.verifier)
    altered = Receipt(
        receipt.checkpoint, receipt.position, receipt.entry.replace(b"captured", b"confirmed"), receipt.proof
    )
    with pytest.raises(ProofError):
        altered.verify(KEY.verifier)
    with pytest.raises(NoteError, match="no signature"):
        receipt.verify(SigningKey.generate(KEY.name).verifier)
    forged = Receipt(
        receipt.checkpoint.replace("\n10\n", "\n11\n"), receipt.position, receipt.entry, receipt.proof
    )
    with pytest.raises(NoteError, match="does not verify"):
        forged.verify(KEY.verifier)


def test_a_later_checkpoint_is_proven_to_extend_an_earlier_one(place):
    with place.open() as store:
        fill(store, 3)
        first = store.checkpoint(KEY, now=NOW)
        fill(store, 20, start=3, changes=1)
        second = store.checkpoint(KEY, now=NOW + timedelta(days=1))
        proof = store.consistency(first, second)
        old, new = ConsistencyProof.from_json(proof.to_json()).verify(KEY.verifier)
        assert (old.size, new.size) == (3, 43)
        receipt = store.prove("case-001", 0, first)  # an old checkpoint still proves what it covered
        assert receipt.verify(KEY.verifier).size == 3
        assert store.consistency(second, second).verify(KEY.verifier)[0].size == 43


def test_a_checkpoint_hashes_only_the_entries_since_the_last(place, monkeypatch):
    hashed = []
    original = _log.Log._leaf_data

    def counted(self, tx, start, end):
        hashed.append((start, end))
        return original(self, tx, start, end)

    with place.open() as store:
        fill(store, 40)
        store.checkpoint(KEY, now=NOW)
        monkeypatch.setattr(_log.Log, "_leaf_data", counted)
        fill(store, 5, start=40)
        note = store.checkpoint(KEY, now=NOW)
        assert hashed == [(40, 45)]
        assert store.tree_size() == 45
        assert open_checkpoint(note, KEY.verifier).size == 45
        hashed.clear()
        store.checkpoint(KEY, now=NOW)
        assert hashed == []
    levels = {level for (level,) in place.sql("SELECT DISTINCT level FROM tree_nodes")}
    assert min(levels) == STORED_LEVEL  # smaller subtrees are hashed again from their entries


def test_a_large_checkpoint_is_hashed_in_chunks(place, monkeypatch):
    monkeypatch.setattr(_log, "_CHUNK", 7)
    with place.open() as store:
        fill(store, 30)
        note = store.checkpoint(KEY, now=NOW)
        assert store.verify_log(note, KEY.verifier).size == 30
        assert store.prove("case-029", 0, note).verify(KEY.verifier).size == 30


def test_the_empty_store_has_a_checkpoint_of_size_zero(place):
    with place.open() as store:
        note = store.checkpoint(KEY, now=NOW)
        assert store.verify_log(note, KEY.verifier).size == 0


def test_a_store_cut_short_after_a_checkpoint_fails_verification(place):
    with place.open() as store:
        fill(store, 6, changes=1)
        note = store.checkpoint(KEY, now=NOW)
    place.sql("DELETE FROM entries WHERE case_id = 'case-005'")
    place.sql("DELETE FROM cases WHERE case_id = 'case-005'")
    place.sql("UPDATE positions SET last = 10")
    with place.open() as store:
        with pytest.raises(LogMismatch, match="holds 10 entries, fewer than the 12 the checkpoint covers"):
            store.verify_log(note, KEY.verifier)
        assert all(store.load(case_id) for case_id in store.case_ids())  # every trail that is left verifies


def test_a_consistent_rewrite_after_a_checkpoint_fails_verification(place):
    """Whoever runs the database rewrites a case whole, with a chain that verifies: the checkpoint shows it."""
    with place.open() as store:
        fill(store, 4, changes=1)
        note = store.checkpoint(KEY, now=NOW)
        honest = store.load("case-002")
    rewritten = cs.DEFAULT_WORKFLOW.open(
        "case-002", actor=actor("family"), effective_at=day(0), recorded_at=day(1)
    )
    forged = cs.Change(
        trigger="report_dead",
        actor=actor("family"),
        evidence=[cs.Evidence("video", "v", "x", day(2))],
        effective_at=day(2),
        recorded_at=day(2),
    )
    rewritten = cs.DEFAULT_WORKFLOW.apply(rewritten, forged)
    assert cs.verify(rewritten.trail).ok
    for entry in rewritten.trail:
        place.sql(
            f"UPDATE entries SET {', '.join(f'{name} = ?' for name in REWRITTEN)} WHERE case_id = ? AND seq = ?",  # noqa: S608 - fixed names
            (*_columns(entry), "case-002", entry.seq),
        )
    summary = summary_params(rewritten)
    place.sql(
        f"UPDATE cases SET {', '.join(f'{name} = ?' for name in summary)} WHERE case_id = 'case-002'",  # noqa: S608 - fixed names
        tuple(summary.values()),
    )
    with place.open() as store:
        assert store.load("case-002").status == "dead" != honest.status  # the rewrite holds together
        with pytest.raises(LogMismatch, match="the log was rewritten"):
            store.verify_log(note, KEY.verifier)
        with pytest.raises(LogMismatch, match="no longer holds the log"):
            store.prove("case-002", 1, note)


REWRITTEN = [name for name in ENTRY_FIELDS if name not in {"case_id", "seq"}]


def _columns(entry):
    row = dict(zip(ENTRY_FIELDS, entry_row(entry), strict=True))
    return tuple(row[name] for name in REWRITTEN)


def test_a_store_missing_an_entry_in_the_middle_is_refused(place):
    with place.open() as store:
        fill(store, 5)
        note = store.checkpoint(KEY, now=NOW)
    place.sql("DELETE FROM entries WHERE position = 3")
    with place.open() as store, pytest.raises(LogMismatch, match="position 3 is missing"):
        store.verify_log(note, KEY.verifier)


def test_requests_no_proof_answers_are_refused(place):
    with place.open() as store:
        fill(store, 3)
        note = store.checkpoint(KEY, now=NOW)
        fill(store, 1, start=3)
        with pytest.raises(StoreError, match="came after the checkpoint of 3 entries"):
            store.prove("case-003", 0, note)
        with pytest.raises(StoreError, match="has no entry 4"):
            store.prove("case-001", 4, note)
        with pytest.raises(ValueError, match="seq must be"):
            store.prove("case-001", -1, note)
        with pytest.raises(TypeError, match="SigningKey"):
            store.checkpoint(KEY.verifier)
        with pytest.raises(TypeError, match="signed note"):
            store.prove("case-001", 0, b"bytes")
        elsewhere = SigningKey.generate("elsewhere")
        foreign = cs.proofs.sign_checkpoint(cs.proofs.Checkpoint("elsewhere", 90, bytes(32)), elsewhere)
        with pytest.raises(LogMismatch, match="covers 90 entries, but this store's tree only 3"):
            store.prove("case-001", 0, foreign)
        with pytest.raises(NoteError, match="no signature"):
            store.verify_log(foreign, KEY.verifier)
        with store.atomic(), pytest.raises(StoreError, match="outside an atomic block"):
            store.checkpoint(KEY)


@contextmanager
def fresh(place):
    """A new, empty store beside *place*'s, for one example of a property; dropped afterwards."""
    name = secrets.token_hex(4)
    if place.engine == "sqlite":
        yield Place("sqlite", str(Path(place.target).with_name(f"cases-{name}.db")))
        return
    other = Place("postgres", place.target, f"{place.schema}_{name}")
    try:
        yield other
    finally:
        other.sql(f"DROP SCHEMA IF EXISTS {other.schema} CASCADE")


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grow=st.lists(st.integers(1, 12), min_size=1, max_size=4), data=st.data())
def test_random_logs_prove_every_entry_and_catch_any_cut_or_change(place, grow, data):
    with fresh(place) as here:
        with here.open() as store:
            notes = []
            for count in grow:
                fill(store, count, start=len(list(store.case_ids())))
                notes.append(store.checkpoint(KEY, now=NOW))
            last = notes[-1]
            size = open_checkpoint(last, KEY.verifier).size
            for note in notes:
                store.consistency(note, last).verify(KEY.verifier)
            position = data.draw(st.integers(1, size), label="an entry changed behind the store")
            ((case_id,),) = here.sql("SELECT case_id FROM entries WHERE position = ?", (position,))
            assert store.prove(case_id, 0, last).verify(KEY.verifier).size == size
            cut = data.draw(st.integers(1, size), label="entries cut off from the end")
        here.sql("UPDATE entries SET role = 'icrc' WHERE position = ?", (position,))
        with here.open() as store, pytest.raises(LogMismatch, match="rewritten"):
            store.verify_log(last, KEY.verifier)
        here.sql("UPDATE entries SET role = 'family' WHERE position = ?", (position,))
        here.sql("DELETE FROM entries WHERE position > ?", (size - cut,))
        here.sql("UPDATE positions SET last = ?", (size - cut,))
        with here.open() as store, pytest.raises(LogMismatch, match="cut off"):
            store.verify_log(last, KEY.verifier)


def two_checkpoints(place, cases, more):
    """A checkpoint after *cases* cases, and another after *more* cases more."""
    with place.open() as store:
        fill(store, cases)
        first = store.checkpoint(KEY, now=NOW)
        fill(store, more, start=cases)
        return first, store.checkpoint(KEY, now=NOW)


def test_a_tree_altered_behind_the_store_is_named(place):
    first, second = two_checkpoints(place, 40, 3)
    place.sql("DELETE FROM tree_nodes")
    with place.open() as store, pytest.raises(LogMismatch, match=r"the tree's node \d+/\d+ is missing"):
        store.prove("case-001", 0, second)
    place.sql("UPDATE tree_head SET edge = 'not hexadecimal'")
    with place.open() as store, pytest.raises(StoreError, match="its tree's head was altered"):
        store.checkpoint(KEY, now=NOW)
    assert first != second


def test_a_store_rewritten_between_two_checkpoints_cannot_show_them_consistent(place):
    first, second = two_checkpoints(place, 5, 3)
    place.sql("UPDATE entries SET role = 'icrc' WHERE position = 2")
    with (
        place.open() as store,
        pytest.raises(LogMismatch, match="cannot show that the checkpoint of 8 entries extends the one of 5"),
    ):
        store.consistency(first, second)


def test_a_feed_shorter_than_its_counter_or_without_one_is_named(place):
    with place.open() as store:
        fill(store, 3)
    place.sql("DELETE FROM entries WHERE position = 3")
    with place.open() as store, pytest.raises(LogMismatch, match="position 3 is missing"):
        store.checkpoint(KEY, now=NOW)
    place.sql("DELETE FROM positions")
    with place.open() as store, pytest.raises(StoreError, match="position counter is gone"):
        store.checkpoint(KEY, now=NOW)
