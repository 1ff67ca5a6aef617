"""The store's schema (tables, version, creation, upgrades) and what an engine provides for it.

The schema (version 12)
-----------------------

``meta``
    ``name``/``value`` pairs: ``format`` (``casestate.store``), ``schema_version``
    and ``chain`` (``sha256``, or ``hmac-sha256:<key id>`` for a keyed store;
    the key itself is never written).
``positions``
    One row: the last position handed out. Writers take it last in their
    transaction, so positions are gapless and committed in order.
``cases``
    One row per case: where it stands (status, fate, assurance, since when,
    and, since version 7, ``whereabouts`` and the case it ``follows``), its
    ``version`` (number of entries), its number of ``open_conflicts`` and
    its ``head``. It answers ``find`` and guards against concurrent writers:
    an append updates it ``WHERE version = <expected> AND head = <expected>``.
``entries``
    One row per entry: its global ``position``, every public field as a
    column (lists as JSON; ``workflow``, added in version 2, is null but for
    opening entries; ``whereabouts``, added in version 3, is null in entries
    written before; ``follows``, added in version 5, is null but for the
    opening entry of a later disappearance; ``source_id``, added in version
    6, is null in entries of changes sent without one; ``displaces``, added
    in version 8, is null but for a report that displaced a rival; ``evidence_tiers``,
    added in version 9, is null but for an entry whose evidence holds a kind its
    workflow declared; ``carries_into``, added in version 10, is null but for a
    late report of an earlier period whose place the current period takes;
    ``contests``, added in version 11, is null but for a move that made
    corroborations of the period it ended conflicts, or a late report that made
    reports of a left period conflicts; ``reconciles``, added in
    version 12, is null but for a move that made open conflicts, or rivals, agree), and the personal
    part as JSON. ``(case_id, seq)`` is unique, so a chain cannot fork even
    if two writers race; so is ``(case_id, source_id)`` where a source id is
    given, so that no case holds one id twice whatever writes to it.
``tree_head``
    One row: the size of the Merkle tree over the feed that the last
    checkpoint hashed, and its right edge (the hashes of the perfect
    subtrees that cover it, in hexadecimal, largest first), so that the next
    checkpoint hashes only the entries since. Added in version 4.
``tree_nodes``
    The hash of every perfect subtree of that tree of at least
    ``2**STORED_LEVEL`` leaves, by ``level`` and ``idx``: what inclusion and
    consistency proofs are made from. Smaller subtrees are hashed again from
    their entries when a proof needs one. Added in version 4.
``erasures``
    One row per entry whose personal part was erased: the case, the entry's
    number, when, by whom and why (no erased data). Added in version 4.

Schema changes
--------------

:data:`SCHEMA_VERSION` is stored in ``meta``. A later casestate that changes
the schema raises it by one and adds to :data:`MIGRATIONS` the statements
that take a store from the version before; opening an older store runs every
step up to the current version in one transaction (all or nothing) and
records the new version. A store of a version with no path up, or of a newer
version than this casestate knows, is refused with
:class:`~casestate.store.SchemaVersionError` and left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from casestate import Entry

from ._base import NotAStore, SchemaVersionError, StoreError

if TYPE_CHECKING:
    from ._steps import Steps, Tx

FORMAT = "casestate.store"
SCHEMA_VERSION = 12
"""The version of the store's schema that this casestate writes."""

_LOG_TABLES = (
    """CREATE TABLE tree_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            size BIGINT NOT NULL,
            edge TEXT NOT NULL)""",
    """CREATE TABLE tree_nodes (
            level INTEGER NOT NULL,
            idx BIGINT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (level, idx))""",
    """CREATE TABLE erasures (
            case_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            erased_at TEXT NOT NULL,
            erased_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (case_id, seq))""",
)
"""The tables of the Merkle tree over the feed and of erasures, added in version 4."""
_EMPTY_TREE = "INSERT INTO tree_head (id, size, edge) VALUES (1, 0, '')"
_SOURCE_IDS = (
    "CREATE UNIQUE INDEX entries_by_source_id ON entries (case_id, source_id) WHERE source_id IS NOT NULL"
)
"""No case holds a source id twice; entries of changes sent without one take no room. Added in version 6."""
_CASES_BY_FOLLOWS = "CREATE INDEX cases_by_follows ON cases (follows)"
"""A person's later disappearances, found by the case they follow. Added in version 7."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    # Version 2: an opening entry records the identity of the workflow that
    # opened its case; entries written before have none.
    1: ("ALTER TABLE entries ADD COLUMN workflow TEXT",),
    # Version 3: entries record where the person or the remains are; entries
    # written before have none, and replay reads it from their status.
    2: ("ALTER TABLE entries ADD COLUMN whereabouts TEXT",),
    # Version 4: the feed as a Merkle tree (checkpoints, receipts) and erasure.
    3: (*_LOG_TABLES, _EMPTY_TREE),
    # Version 5: the opening entry of a later disappearance names the case it follows.
    4: ("ALTER TABLE entries ADD COLUMN follows TEXT",),
    # Version 6: entries record the id the change's source gave it, once per case.
    5: ("ALTER TABLE entries ADD COLUMN source_id TEXT", _SOURCE_IDS),
    # Version 7: the summary row says where the person or the remains are, and
    # which case the case follows, so that find can ask; the opening store
    # fills both for every case from its trail (SUMMARY_SINCE).
    6: (
        "ALTER TABLE cases ADD COLUMN whereabouts TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE cases ADD COLUMN follows TEXT",
        _CASES_BY_FOLLOWS,
    ),
    # Version 8: a report about the instant the case's status took effect that
    # disagrees with the one that put it there names the report it displaces.
    7: ("ALTER TABLE entries ADD COLUMN displaces INTEGER",),
    # Version 9: an entry whose evidence holds a kind its workflow declared records each kind's tier.
    8: ("ALTER TABLE entries ADD COLUMN evidence_tiers TEXT",),
    # Version 10: a late report of an earlier period names the current period that takes its place.
    9: ("ALTER TABLE entries ADD COLUMN carries_into INTEGER",),
    # Version 11: a move names the corroborations of the period it ends that it makes conflicts.
    10: ("ALTER TABLE entries ADD COLUMN contests TEXT",),
    # Version 12: a move names the open conflicts that agree with the period it begins.
    11: ("ALTER TABLE entries ADD COLUMN reconciles TEXT",),
}
"""``{n: statements}``: what takes a store from schema version *n* to *n + 1*."""
SUMMARY_SINCE = 7
"""The version whose summary row holds every column it holds now: a store upgraded from an
earlier one has its summary rows made again from the trails."""

TABLES = ("meta", "positions", "cases", "entries")
"""The tables every version of the schema has."""
TABLES_SINCE = {4: ("tree_head", "tree_nodes", "erasures")}
"""The tables a version added: a store of that version or later without them is damaged."""

DECLARED = tuple(field for field in attrs.fields(Entry) if field.metadata["part"] != "personal")
"""The entry's public fields and its hash, as ``Entry`` declares them: one column each."""
PERSONAL = tuple(field for field in attrs.fields(Entry) if field.metadata["part"] == "personal")
"""The entry's personal fields, as ``Entry`` declares them: one JSON column, ``private``."""
ENTRY_FIELDS = ("case_id", *(field.name for field in DECLARED if field.name != "case_id"), "private")
"""The columns of an entry row, in the order of the row tuple: the case first, the personal part last."""
JSON_FIELDS = frozenset(
    {
        *(
            field.name
            for field in DECLARED
            if field.metadata["form"] in ("names", "kinds", "ints", "optional ints")
        ),
        "private",
    }
)
"""The columns that hold JSON: lists, and the personal part."""
_COLUMN_TYPES = {
    "int": "INTEGER NOT NULL",
    "optional int": "INTEGER",
    "text": "TEXT NOT NULL",
    "optional text": "TEXT",
    "name": "TEXT NOT NULL",
    "optional name": "TEXT",
    "names": "TEXT NOT NULL",
    "kinds": "TEXT NOT NULL",
    "ints": "TEXT NOT NULL",
    "optional ints": "TEXT",
    "instant": "TEXT NOT NULL",
}
"""By the form a field is declared in: the type of its column."""
ENTRY_COLUMNS = ", ".join(f'"{name}"' for name in ENTRY_FIELDS)


def schema(*, position: str, key_text: str) -> tuple[str, ...]:
    """The statements that create the tables; the engines differ in two column types."""
    return (
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE positions (id INTEGER PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL)",
        f"""CREATE TABLE cases (
            case_id {key_text} PRIMARY KEY,
            status TEXT NOT NULL,
            fate TEXT NOT NULL,
            assurance TEXT NOT NULL,
            status_since TEXT NOT NULL,
            version INTEGER NOT NULL,
            open_conflicts INTEGER NOT NULL,
            head TEXT NOT NULL,
            whereabouts TEXT NOT NULL,
            follows TEXT)""",
        "CREATE INDEX cases_by_status ON cases (status, case_id)",
        _CASES_BY_FOLLOWS,
        "CREATE INDEX cases_by_status_since ON cases (status_since)",
        f"""CREATE TABLE entries (
            position {position} PRIMARY KEY,
            case_id {key_text} NOT NULL,
            {_declared_columns()},
            private TEXT NOT NULL,
            UNIQUE (case_id, seq))""",
        _SOURCE_IDS,
        "INSERT INTO positions (id, last) VALUES (1, 0)",
        *_LOG_TABLES,
        _EMPTY_TREE,
    )


def _declared_columns() -> str:
    return ",\n            ".join(
        f'"{field.name}" {_COLUMN_TYPES[field.metadata["form"]]}'
        for field in DECLARED
        if field.name != "case_id"
    )


def insert_entries_sql(placeholder: str) -> str:
    """The statement that inserts one entry row (position first), in the driver's own style."""
    marks = ", ".join([placeholder] * (len(ENTRY_FIELDS) + 1))
    return f"INSERT INTO entries (position, {ENTRY_COLUMNS}) VALUES ({marks})"  # noqa: S608 - fixed names


class Duplicate(StoreError):
    """A row with the same key exists (a key conflict alone): raised by an engine, translated by the store."""


Row = tuple[Any, ...]


class Transaction(Protocol):
    """One open transaction of a synchronous engine: ``:name`` parameters, rows as tuples.

    An asynchronous engine's has the same methods, as coroutines.
    """

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        """The rows *sql* selects."""
        ...

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        """Run *sql*; the number of rows it changed."""
        ...

    def insert_entries(self, rows: Sequence[Row]) -> None:
        """Insert entry rows (position first, then :data:`ENTRY_FIELDS`)."""
        ...

    def execute_many(self, sql: str, params: Sequence[Mapping[str, object]]) -> int:
        """Run *sql* once for each set of *params*; the number of rows changed in all."""
        ...

    def end(self, commit: bool) -> None:
        """Commit (rolling back if the commit fails), or roll back."""
        ...


def read_meta(tx: Tx, tables: set[str], location: str) -> Steps[dict[str, str] | None]:
    """The store's ``meta`` rows; ``None`` for an empty place, :class:`NotAStore` for anything else."""
    if not tables:
        return None
    if "meta" not in tables:
        raise NotAStore(f"{location} is not a casestate store: it holds other tables")
    meta = {str(name): str(value) for name, value in (yield from tx.query("SELECT name, value FROM meta"))}
    if meta.get("format") != FORMAT:
        raise NotAStore(f"{location} is not a casestate store: its meta table is another's")
    version = meta.get("schema_version", "")
    required = set(TABLES)
    for since, added in TABLES_SINCE.items():
        if version.isdigit() and int(version) >= since:
            required.update(added)
    if not version.isdigit() or "chain" not in meta or not required <= tables:
        raise NotAStore(f"{location} is a damaged casestate store: tables or meta rows are missing")
    return meta


def check_version(meta: Mapping[str, str], location: str) -> None:
    """Refuse a schema version this casestate cannot read or upgrade."""
    found = int(meta["schema_version"])
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{location} has schema version {found}, newer than {SCHEMA_VERSION}, "
            "the newest this casestate knows: upgrade casestate to open it"
        )
    missing = [step for step in range(found, SCHEMA_VERSION) if step not in MIGRATIONS]
    if missing:
        raise SchemaVersionError(
            f"{location} has schema version {found}, and this casestate cannot upgrade "
            f"it to {SCHEMA_VERSION} (no upgrade from version {missing[0]})"
        )


def create(tx: Tx, statements: Iterable[str], chain: str) -> Steps[None]:
    """Create the schema and record its format, version and *chain*."""
    for statement in statements:
        yield from tx.execute(statement)
    for name, value in (("format", FORMAT), ("schema_version", str(SCHEMA_VERSION)), ("chain", chain)):
        yield from tx.execute(
            "INSERT INTO meta (name, value) VALUES (:name, :value)", {"name": name, "value": value}
        )


def upgrade(tx: Tx, meta: Mapping[str, str], location: str) -> Steps[None]:
    """Run every migration from the store's version up to :data:`SCHEMA_VERSION`, in *tx*."""
    check_version(meta, location)
    for step in range(int(meta["schema_version"]), SCHEMA_VERSION):
        for statement in MIGRATIONS[step]:
            yield from tx.execute(statement)
    yield from tx.execute(
        "UPDATE meta SET value = :value WHERE name = 'schema_version'", {"value": str(SCHEMA_VERSION)}
    )
