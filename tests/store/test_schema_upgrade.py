"""Stores written by earlier schema versions (before workflows, whereabouts, checkpoints, source ids, rivals, declared kinds, carried places, contested corroborations, reconciled conflicts): upgraded, every trail still verifying and reading as before."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

import casestate as cs
from casestate._time import format_instant
from casestate.store import _rows, _schema

TRAILS = Path(__file__).parents[1] / "data" / "trails"
ADDED = {
    2: "workflow",
    3: "whereabouts",
    5: "follows",
    6: "source_id",
    8: "displaces",
    9: "evidence_tiers",
    10: "carries_into",
    11: "contests",
    12: "reconciles",
}
"""By schema version: the entry column it added."""
INDEXED = {6: "entries_by_source_id", 7: "cases_by_follows"}
"""By schema version: the index it added (dropped before its column)."""
SUMMARY_ADDED = ("whereabouts", "follows")
"""The summary row's columns added in version 7, which an upgrade fills from the trails."""
TRAIL_OF = {
    1: "captured-before-workflow-identity.json",
    2: "every-status-before-whereabouts.json",
    3: "every-status-before-whereabouts.json",
    4: "every-status-before-whereabouts.json",
    5: "every-status-before-whereabouts.json",
    6: "every-status-before-whereabouts.json",
    7: "every-status-before-whereabouts.json",
    8: "every-status-before-whereabouts.json",
    9: "every-status-before-whereabouts.json",
    10: "every-status-before-whereabouts.json",
    11: "every-status-before-whereabouts.json",
}
"""By schema version: a trail casestate wrote at that time."""


def _as_written_by_schema(place, version, key=None):
    """A store as casestate wrote it at schema *version*, without its trails."""
    place.open(key=key).close()
    for later, tables in _schema.TABLES_SINCE.items():
        if later > version:
            for table in tables:
                place.sql(f"DROP TABLE {table}")
    for later, index in INDEXED.items():
        if later > version:
            place.sql(f"DROP INDEX {index}")
    for later, column in ADDED.items():
        if later > version:
            place.sql(f"ALTER TABLE entries DROP COLUMN {column}")
    if version < _schema.SUMMARY_SINCE:
        for column in SUMMARY_ADDED:
            place.sql(f"ALTER TABLE cases DROP COLUMN {column}")
    place.sql(f"UPDATE meta SET value = '{version}' WHERE name = 'schema_version'")  # noqa: S608 - a number


def _holding_an_old_trail(place, version):
    """A store as casestate wrote it at schema *version*, holding a trail of that time."""
    _as_written_by_schema(place, version)
    old = cs.from_json((TRAILS / TRAIL_OF[version]).read_text(encoding="utf-8"))
    later = {column for added, column in ADDED.items() if added > version}
    fields = [name for name in _schema.ENTRY_FIELDS if name not in later]
    columns = ", ".join(f'"{name}"' for name in fields)
    marks = ", ".join("?" for _ in range(len(fields) + 1))
    for position, entry in enumerate(old.trail, start=1):
        row = dict(zip(_schema.ENTRY_FIELDS, _rows.entry_row(entry), strict=True))
        values = (position, *(row[name] for name in fields))
        place.sql(f"INSERT INTO entries (position, {columns}) VALUES ({marks})", values)  # noqa: S608 - fixed names
    summary = {
        "case_id": old.id,
        "status": old.status,
        "fate": old.fate.value,
        "assurance": old.assurance.value,
        "status_since": format_instant(old.status_since),
        "version": old.version,
        "open_conflicts": 0,
        "head": old.head,
    }
    if version >= _schema.SUMMARY_SINCE:
        summary["whereabouts"] = old.whereabouts.value
    marks = ", ".join("?" for _ in summary)
    place.sql(f"INSERT INTO cases ({', '.join(summary)}) VALUES ({marks})", tuple(summary.values()))  # noqa: S608 - fixed names
    place.sql("UPDATE positions SET last = ?", (old.version,))
    return old


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
def test_an_older_store_is_upgraded_and_its_trails_still_verify(place, version):
    old = _holding_an_old_trail(place, version)
    with place.open() as store:
        # The summary row says where he is, read from the trail (a load checks it against the trail).
        (found,) = store.find(whereabouts=old.whereabouts)
        assert (found.case_id, found.whereabouts, found.follows) == (old.id, old.whereabouts, None)
        loaded = store.load(old.id)
        assert loaded == old
        assert loaded.workflow == old.workflow
        assert loaded.whereabouts == old.whereabouts
        opened = store.open_case(
            "case-2",
            actor=cs.Actor("olena", "family"),
            effective_at=old.status_since,
            recorded_at=old.last_recorded_at,
        )
        assert opened.workflow == cs.DEFAULT_WORKFLOW.identity
        assert store.load("case-2") == opened
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [
        (str(_schema.SCHEMA_VERSION),)
    ]
    assert place.sql("SELECT workflow, whereabouts FROM entries ORDER BY position") == [
        *[(entry.workflow, None) for entry in old.trail],
        (cs.DEFAULT_WORKFLOW.identity, "unknown"),
    ]


def test_an_opening_entry_keeps_its_workflow_through_the_store(place):
    with place.open() as store:
        case = store.open_case(
            "ua-1",
            actor=cs.Actor("olena", "family"),
            effective_at=datetime(2024, 3, 1, tzinfo=UTC),
            recorded_at=datetime(2024, 3, 2, tzinfo=UTC),
        )
    with place.open() as store:
        assert store.load("ua-1").workflow == case.workflow == cs.DEFAULT_WORKFLOW.identity
        assert [stored.entry.workflow for stored in store.entries()] == [cs.DEFAULT_WORKFLOW.identity]


KEY = b"k" * 32


@pytest.mark.parametrize(
    ("written_with", "opened_with", "refusal"),
    [
        (KEY, None, cs.store.KeyRequired),
        (KEY, b"o" * 32, cs.store.WrongKey),
        (None, KEY, cs.store.WrongKey),
    ],
    ids=["keyed-opened-without", "keyed-opened-with-another", "plain-opened-with-one"],
)
@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_an_older_store_opened_with_the_wrong_key_is_left_at_its_version(
    place, version, written_with, opened_with, refusal
):
    _as_written_by_schema(place, version, key=written_with)
    with pytest.raises(refusal):
        place.open(key=opened_with)
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [(str(version),)]
    with place.open(key=written_with):
        pass
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [
        (str(_schema.SCHEMA_VERSION),)
    ]


@pytest.mark.parametrize("version", [1, 3])
def test_an_older_store_is_upgraded_and_its_whole_feed_goes_into_its_first_checkpoint(place, version):
    from casestate.proofs import SigningKey, open_checkpoint  # noqa: PLC0415 - the proofs extra

    old = _holding_an_old_trail(place, version)
    assert "tree_head" not in place.tables()
    key = SigningKey.generate("registry.example.org/cases")
    with place.open() as store:
        assert store.load(old.id) == old
        note = store.checkpoint(key)
        assert open_checkpoint(note, key.verifier).size == old.version
        assert store.prove(old.id, old.version - 1, note).verify(key.verifier, entry=old.trail[-1])
    assert {"tree_head", "tree_nodes", "erasures"} <= place.tables()
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [
        (str(_schema.SCHEMA_VERSION),)
    ]


def test_a_store_without_its_tree_is_damaged(place):
    place.open().close()
    place.sql("DROP TABLE tree_nodes")
    with pytest.raises(cs.store.NotAStore, match="damaged"):
        place.open()
