"""Erasure that keeps the proof: personal parts gone from the store's bytes, every proof still verifying."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import casestate as cs
from casestate.proofs import SigningKey
from casestate.store import Erasure, StoreError
from support import actor, day

KEY = SigningKey.generate("registry.example.org/cases")
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SECRETS = (
    "olena-kovalenko-mother",
    "She saw him in the video from Avdiivka",
    "https://t.me/secret-channel/4711",
)


def a_family_report():
    return cs.Change(
        trigger="report_captured",
        actor=cs.Actor(SECRETS[0], cs.Role.FAMILY),
        evidence=[cs.Evidence("video", SECRETS[2], "a channel", day(3))],
        reason=SECRETS[1],
        effective_at=day(3),
        recorded_at=day(3),
    )


def stored(store):
    """Two cases: the one to erase from, with the family's report, and another."""
    store.open_case("ua-1", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
    store.open_case("ua-2", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
    return store.apply("ua-1", [a_family_report()], expected_version=1)


def store_bytes(place):
    """Everything the store holds: the SQLite file and its log, or every PostgreSQL row as text."""
    if place.engine == "sqlite":
        files = [Path(place.target), Path(place.target + "-wal")]
        return b"".join(path.read_bytes() for path in files if path.exists())
    tables = ("entries", "cases", "erasures", "meta", "tree_head", "tree_nodes")
    return "".join(str(place.sql(f"SELECT * FROM {table}")) for table in tables).encode()  # noqa: S608 - fixed names


def test_erased_personal_data_is_gone_from_the_store_and_every_proof_still_verifies(place):
    with place.open() as store:
        case = stored(store)
        note = store.checkpoint(KEY, now=NOW)
        receipt = store.prove("ua-1", 1, note)
        assert all(secret.encode() in store_bytes(place) for secret in SECRETS)
        made = store.erase(
            "ua-1", [1], by="data-protection-officer", reason="the family withdrew consent", now=NOW
        )
        assert made == [Erasure("ua-1", 1, NOW, "data-protection-officer", "the family withdrew consent")]
        assert store.erasures("ua-1") == made
        erased = store.load("ua-1")
        assert erased.trail[1].redacted
        assert not erased.trail[0].redacted
        assert erased.trail == (case.trail[0], case.trail[1].without_private())
        assert erased.status == case.status
        assert erased.head == case.head
        assert receipt.verify(cs.proofs.VerifierKey.from_text(KEY.verifier.to_text()), entry=erased.trail[1])
        assert store.prove("ua-1", 1, note) == receipt
        assert store.verify_log(note, KEY.verifier).size == 3
        later = store.checkpoint(KEY, now=NOW)
        store.consistency(note, later).verify(KEY.verifier)
        assert [stored.entry.redacted for stored in store.entries()] == [False, False, True]
        assert [("private" in entry) for entry in cs.to_dict(erased)["entries"]] == [True, False]
    leftover = store_bytes(place)
    assert [secret for secret in SECRETS if secret.encode() in leftover] == []


def test_an_erased_case_goes_on(place):
    with place.open() as store:
        case = stored(store)
        store.erase("ua-1", by="dpo", reason="withdrawn")
        assert all(entry.redacted for entry in store.load("ua-1").trail)
        card = cs.Evidence("capture_card", "CC-1", "ICRC", day(5))
        confirm = cs.Change(
            trigger="confirm", actor=actor("icrc"), evidence=[card], effective_at=day(5), recorded_at=day(5)
        )
        after = store.apply("ua-1", [confirm], expected_version=case.version)
        assert after.status == "confirmed"
    with place.open() as store:
        assert store.load("ua-1") == after
        assert len(store.erase("ua-1", by="dpo", reason="again")) == 1  # only the entry added since
        assert store.erase("ua-1", [0], by="dpo", reason="again") == []


def test_personal_data_stripped_without_a_recorded_erasure_is_tampering(place):
    with place.open() as store:
        stored(store)
    place.sql("UPDATE entries SET private = 'null' WHERE case_id = 'ua-1' AND seq = 1")
    with (
        place.open() as store,
        pytest.raises(
            cs.BrokenTrail, match="entry 1: was altered: its actor, reason and evidence were removed"
        ),
    ):
        store.load("ua-1")


def test_an_erasure_does_not_cover_up_an_alteration(place):
    with place.open() as store:
        stored(store)
    place.sql(
        "UPDATE entries SET private = replace(private, 'Avdiivka', 'Bakhmut') WHERE case_id = 'ua-1' AND seq = 1"
    )
    with place.open() as store:
        with pytest.raises(cs.BrokenTrail, match="actor, reason or evidence was altered"):
            store.erase("ua-1", by="dpo", reason="withdrawn")
        assert store.erasures("ua-1") == []


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"seqs": [2]}, ValueError, "entries 0 to 1, not 2"),
        ({"seqs": [True]}, ValueError, "not True"),
        ({"reason": " "}, ValueError, "needs a reason"),
        ({"by": ""}, ValueError, "who erases"),
    ],
)
def test_an_erasure_of_bad_arguments_is_refused_and_erases_nothing(place, arguments, error, message):
    with place.open() as store:
        store.open_case("ua-1", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
        store.apply("ua-1", [a_family_report()], expected_version=1)
        with pytest.raises(error, match=message):
            store.erase("ua-1", **{"by": "dpo", "reason": "withdrawn", **arguments})
        assert store.erasures("ua-1") == []
        with pytest.raises(cs.store.UnknownCase):
            store.erase("ua-9", by="dpo", reason="withdrawn")
        with store.atomic(), pytest.raises(StoreError, match="outside an atomic block"):
            store.erase("ua-1", by="dpo", reason="withdrawn")


def test_an_erasure_record_altered_behind_the_store_is_named(place):
    with place.open() as store:
        stored(store)
        store.erase("ua-1", by="dpo", reason="withdrawn")
    place.sql("UPDATE erasures SET erased_at = 'yesterday'")
    with place.open() as store, pytest.raises(StoreError, match="an erasure of case 'ua-1' was altered"):
        store.erasures("ua-1")


def test_an_entry_that_vanishes_while_it_is_erased_erases_nothing(tmp_path):
    path = tmp_path / "cases.db"
    with cs.store.SQLiteStore(path) as store:
        stored(store)
    with sqlite3.connect(path) as connection:  # an update that changes no row, as a row gone would
        connection.execute("CREATE TRIGGER keep BEFORE UPDATE ON entries BEGIN SELECT RAISE(IGNORE); END")
    with cs.store.SQLiteStore(path) as store:
        with pytest.raises(StoreError, match="lost entry 0 while it was being erased"):
            store.erase("ua-1", by="dpo", reason="withdrawn")
        assert store.erasures("ua-1") == []
