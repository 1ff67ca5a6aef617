"""The store's SQL statements, and the summary row: its parameters and its check against the trail.

Each case has a summary row: it answers ``find`` and guards every write
(its version and head). The trail is the truth, so a load compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from casestate import BrokenTrail, Case, Problem
from casestate.instants import format_instant

from ._rows import broken_trail
from ._schema import ENTRY_COLUMNS, ENTRY_FIELDS, Row

_SUMMARY: tuple[tuple[str, Callable[[Case], object]], ...] = (
    ("status", attrgetter("status")),
    ("fate", lambda case: case.fate.value),
    ("assurance", lambda case: case.assurance.value),
    ("status_since", lambda case: format_instant(case.status_since)),
    ("version", attrgetter("version")),
    ("open_conflicts", lambda case: len(case.open_conflicts)),
    ("head", attrgetter("head")),
    ("whereabouts", lambda case: case.whereabouts.value),
    ("follows", attrgetter("follows")),
)
"""The summary row's columns after the case id, each with how a case gives its value: the one list
every statement and check below is made from."""
SUMMARY_FIELDS = tuple(name for name, _ in _SUMMARY)
SUMMARY_COLUMNS = len(SUMMARY_FIELDS)
VERSION_COLUMN = SUMMARY_FIELDS.index("version")
HEAD_COLUMN = SUMMARY_FIELDS.index("head")

SELECT_CASE = f"SELECT {', '.join(SUMMARY_FIELDS)} FROM cases WHERE case_id = :case_id"  # noqa: S608 - fixed names
SELECT_TRAIL = f"SELECT {ENTRY_COLUMNS} FROM entries WHERE case_id = :case_id ORDER BY seq"  # noqa: S608 - fixed names
SELECT_CASE_AND_TRAIL = (
    "SELECT "  # noqa: S608 - fixed names
    + ", ".join([*(f"c.{name}" for name in SUMMARY_FIELDS), *(f'e."{name}"' for name in ENTRY_FIELDS)])
    + " FROM cases c LEFT JOIN entries e ON e.case_id = c.case_id "
    "WHERE c.case_id = :case_id ORDER BY e.seq"
)
SELECT_FEED = (
    "SELECT e.position, "  # noqa: S608 - fixed names
    + ", ".join(f'e."{name}"' for name in ENTRY_FIELDS)
    + ", c.version FROM entries e LEFT JOIN cases c ON c.case_id = e.case_id "
    "WHERE e.position > :after ORDER BY e.position LIMIT :limit"
)
"""Each entry row with its case's version: a row at or past it was inserted behind the store."""
SELECT_ERASED = "SELECT seq FROM erasures WHERE case_id = :case_id"
"""The entries of a case whose personal part was erased."""
SELECT_ERASURES = (
    "SELECT seq, erased_at, erased_by, reason FROM erasures WHERE case_id = :case_id ORDER BY seq"
)
INSERT_CASE = (
    f"INSERT INTO cases (case_id, {', '.join(SUMMARY_FIELDS)}) "  # noqa: S608 - fixed names
    f"VALUES (:case_id, {', '.join(f':{name}' for name in SUMMARY_FIELDS)})"
)
UPDATE_CASE = (
    f"UPDATE cases SET {', '.join(f'{name} = :{name}' for name in SUMMARY_FIELDS)} "  # noqa: S608 - fixed names
    "WHERE case_id = :case_id AND version = :expected AND head = :expected_head"
)
UPDATE_SUMMARY = (
    f"UPDATE cases SET {', '.join(f'{name} = :{name}' for name in SUMMARY_FIELDS)} "  # noqa: S608 - fixed names
    "WHERE case_id = :case_id"
)
"""The summary row made again from a verified trail, unguarded: an upgrade holds the store alone."""


def summary_params(case: Case) -> dict[str, object]:
    """The parameters of :data:`INSERT_CASE` and :data:`UPDATE_CASE` for *case*."""
    params: dict[str, object] = {name: value(case) for name, value in _SUMMARY}
    params["case_id"] = case.id
    return params


def check_summary(case: Case, summary: Row) -> None:
    """The summary row must say what the verified trail says; otherwise it was altered."""
    expected = tuple(value(case) for _, value in _SUMMARY)
    if tuple(summary) != expected:
        wrong = [
            f"{name} {found!r} (the trail says {want!r})"
            for name, found, want in zip(SUMMARY_FIELDS, summary, expected, strict=True)
            if found != want
        ]
        altered = "the case's summary row was altered: " + "; ".join(wrong)
        raise broken_trail(case.id, case.version - 1, case.version, Problem.INCONSISTENT, altered)


def inserted_past(case_id: str, seq: object, version: object) -> BrokenTrail:
    """A row of case *case_id* numbered *seq*, at or past the *version* its summary row says: tampering.

    A writer stores the summary row and the entries in one transaction, and
    each read sees one committed state, so no row of the store's own can lie
    past its case's version. Such a row was inserted in SQL; were it ignored,
    every later write would collide with it, and read as a concurrent update
    for ever.
    """
    entries = version if type(version) is int else 0
    said = (
        "the case has no summary row" if version is None else f"the case's summary row says {version} entries"
    )
    text = f"inserted in the store's tables behind casestate ({said})"
    return broken_trail(case_id, seq, entries, Problem.SEQUENCE, text)


LAST_POSITION = "SELECT last FROM positions WHERE id = 1"
"""The last position handed out: every writer reads the one counter."""
