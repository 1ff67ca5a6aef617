"""A store written before opening entries recorded their workflow: upgraded, and every trail still verifies."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

import casestate as cs
from casestate._time import format_instant
from casestate.store import _rows, _schema

TRAILS = Path(__file__).parents[1] / "data" / "trails"
V1_FIELDS = [name for name in _schema.ENTRY_FIELDS if name != "workflow"]


def _as_written_by_schema_1(place):
    """A store as casestate wrote it at schema version 1, holding a trail of that time."""
    place.open().close()
    place.sql("ALTER TABLE entries DROP COLUMN workflow")
    place.sql("UPDATE meta SET value = '1' WHERE name = 'schema_version'")
    old = cs.from_json((TRAILS / "captured-before-workflow-identity.json").read_text(encoding="utf-8"))
    columns = ", ".join(f'"{name}"' for name in V1_FIELDS)
    marks = ", ".join("?" for _ in range(len(V1_FIELDS) + 1))
    for position, entry in enumerate(old.trail, start=1):
        row = dict(zip(_schema.ENTRY_FIELDS, _rows.entry_row(entry), strict=True))
        values = (position, *(row[name] for name in V1_FIELDS))
        place.sql(f"INSERT INTO entries (position, {columns}) VALUES ({marks})", values)  # noqa: S608 - fixed names
    place.sql(
        "INSERT INTO cases (case_id, status, fate, assurance, status_since, version, open_conflicts, head) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            old.id,
            old.status,
            old.fate.value,
            old.assurance.value,
            format_instant(old.status_since),
            old.version,
            0,
            old.head,
        ),
    )
    place.sql("UPDATE positions SET last = ?", (old.version,))
    return old


def test_a_schema_1_store_is_upgraded_and_its_trails_still_verify(place):
    old = _as_written_by_schema_1(place)
    with place.open() as store:
        loaded = store.load(old.id)
        assert loaded == old
        assert loaded.workflow is None
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
    assert place.sql("SELECT workflow FROM entries ORDER BY position") == [
        *([(None,)] * old.version),
        (cs.DEFAULT_WORKFLOW.identity,),
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
def test_a_schema_1_store_opened_with_the_wrong_key_is_left_at_schema_1(
    place, written_with, opened_with, refusal
):
    place.open(key=written_with).close()
    place.sql("ALTER TABLE entries DROP COLUMN workflow")
    place.sql("UPDATE meta SET value = '1' WHERE name = 'schema_version'")
    with pytest.raises(refusal):
        place.open(key=opened_with)
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [("1",)]
    with place.open(key=written_with):
        pass
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [
        (str(_schema.SCHEMA_VERSION),)
    ]
