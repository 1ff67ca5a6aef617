"""What both engines share: the schema, its version and upgrades, rows, and the store's logic.

The schema (version 1)
----------------------

``meta``
    ``name``/``value`` pairs: ``format`` (``casestate.store``), ``schema_version``
    and ``chain`` (``sha256``, or ``hmac-sha256:<key id>`` for a keyed store;
    the key itself is never written).
``positions``
    One row: the last position handed out. Writers take it last in their
    transaction, so positions are gapless and committed in order.
``cases``
    One row per case: where it stands (status, fate, assurance, since when),
    its ``version`` (number of entries), its number of ``open_conflicts`` and
    its ``head``. It answers ``find`` and guards against concurrent writers:
    an append updates it ``WHERE version = <expected> AND head = <expected>``.
``entries``
    One row per entry: its global ``position``, every public field as a
    column (lists as JSON), and the personal part as JSON. ``(case_id, seq)``
    is unique, so a chain cannot fork even if two writers race.

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

import json
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self

from casestate._actors import Actor
from casestate._case import Case, replay
from casestate._chain import BrokenTrail, Integrity, Problem, chain_for_key, check_key
from casestate._change import Change
from casestate._entry import Entry
from casestate._evidence import Evidence
from casestate._json import FormatError, entry_from_dict, entry_to_dict
from casestate._status import Assurance, Fate
from casestate._time import format_instant, parse_instant, to_utc
from casestate._verdict import Rejected
from casestate._workflow import Workflow

from ._base import (
    CaseExists,
    CaseSummary,
    ConcurrentUpdate,
    KeyRequired,
    NotAStore,
    SchemaVersionError,
    StoredEntry,
    UnknownCase,
    WrongKey,
)

FORMAT = "casestate.store"
SCHEMA_VERSION = 1
"""The version of the store's schema that this casestate writes."""

MIGRATIONS: dict[int, tuple[str, ...]] = {}
"""``{n: statements}``: what takes a store from schema version *n* to *n + 1*."""

TABLES = ("meta", "positions", "cases", "entries")

ENTRY_FIELDS = (
    "case_id",
    "seq",
    "kind",
    "trigger",
    "from_status",
    "to_status",
    "fate",
    "assurance",
    "role",
    "evidence_kinds",
    "effective_at",
    "recorded_at",
    "resolves",
    "codes",
    "chain",
    "prev_hash",
    "commitment",
    "hash",
    "private",
)
_JSON_FIELDS = frozenset({"evidence_kinds", "resolves", "codes", "private"})
_ENTRY_COLUMNS = ", ".join(f'"{name}"' for name in ENTRY_FIELDS)

_PAGE = 1000
DEFAULT_CACHE_ENTRIES = 50_000


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
            head TEXT NOT NULL)""",
        "CREATE INDEX cases_by_status ON cases (status, case_id)",
        "CREATE INDEX cases_by_status_since ON cases (status_since)",
        f"""CREATE TABLE entries (
            position {position} PRIMARY KEY,
            case_id {key_text} NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            "trigger" TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            fate TEXT NOT NULL,
            assurance TEXT NOT NULL,
            role TEXT NOT NULL,
            evidence_kinds TEXT NOT NULL,
            effective_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            resolves TEXT NOT NULL,
            codes TEXT NOT NULL,
            chain TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            commitment TEXT NOT NULL,
            hash TEXT NOT NULL,
            private TEXT NOT NULL,
            UNIQUE (case_id, seq))""",
        "INSERT INTO positions (id, last) VALUES (1, 0)",
    )


def insert_entries_sql(placeholder: str) -> str:
    """The statement that inserts one entry row (position first), in the driver's own style."""
    marks = ", ".join([placeholder] * (len(ENTRY_FIELDS) + 1))
    return f"INSERT INTO entries (position, {_ENTRY_COLUMNS}) VALUES ({marks})"  # noqa: S608 - fixed names


_SELECT_CASE = (
    "SELECT status, fate, assurance, status_since, version, open_conflicts, head "
    "FROM cases WHERE case_id = :case_id"
)
_SELECT_TRAIL = (
    f"SELECT {_ENTRY_COLUMNS} FROM entries "  # noqa: S608 - fixed names
    "WHERE case_id = :case_id AND seq < :version ORDER BY seq"
)
_SELECT_FEED = (
    f"SELECT position, {_ENTRY_COLUMNS} FROM entries "  # noqa: S608 - fixed names
    "WHERE position > :after ORDER BY position LIMIT :limit"
)
_INSERT_CASE = (
    "INSERT INTO cases (case_id, status, fate, assurance, status_since, version, open_conflicts, head) "
    "VALUES (:case_id, :status, :fate, :assurance, :status_since, :version, :open_conflicts, :head)"
)
_UPDATE_CASE = (
    "UPDATE cases SET status = :status, fate = :fate, assurance = :assurance, "
    "status_since = :status_since, version = :version, open_conflicts = :open_conflicts, head = :head "
    "WHERE case_id = :case_id AND version = :expected AND head = :expected_head"
)


class Duplicate(Exception):
    """A row with the same key exists: raised by an engine, translated by the store."""


Row = tuple[Any, ...]


class Transaction(Protocol):
    """One open transaction of an engine: ``:name`` parameters, rows as tuples."""

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> list[Row]:
        """The rows *sql* selects."""
        ...

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        """Run *sql*; the number of rows it changed."""
        ...

    def insert_entries(self, rows: Sequence[Row]) -> None:
        """Insert entry rows (position first, then :data:`ENTRY_FIELDS`)."""
        ...


_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entry_row(entry: Entry) -> Row:
    """*entry* as a row of :data:`ENTRY_FIELDS` (without its position)."""
    data = entry_to_dict(entry)
    return (
        data["case_id"],
        data["seq"],
        data["kind"],
        data["trigger"],
        data["from_status"],
        data["to_status"],
        data["fate"],
        data["assurance"],
        data["role"],
        _to_json(data["evidence_kinds"]),
        data["effective_at"],
        data["recorded_at"],
        _to_json(data["resolves"]),
        _to_json(data["codes"]),
        data["chain"],
        data["prev_hash"],
        data["commitment"],
        data["hash"],
        _to_json(data["private"]),
    )


def _unreadable(case_id: str, seq: object, count: int, text: str) -> BrokenTrail:
    position = seq if isinstance(seq, int) else 0
    return BrokenTrail(
        Integrity(
            ok=False,
            case_id=case_id,
            entries=count,
            position=position,
            problem=Problem.HASH,
            message=f"case {case_id!r}: entry {seq}: was altered: {text}",
        )
    )


def row_entry(row: Row, case_id: str, count: int) -> Entry:
    """Read an entry row back; an altered, unreadable row is a :class:`BrokenTrail`."""
    data = dict(zip(ENTRY_FIELDS, row, strict=True))
    seq = data["seq"]
    try:
        for name in _JSON_FIELDS:
            data[name] = json.loads(data[name])
        entry = entry_from_dict(data, "row")
    except (FormatError, TypeError, ValueError) as error:
        raise _unreadable(case_id, seq, count, str(error)) from None
    if entry.private is None:
        # The store always keeps the personal part; a row without it was stripped.
        raise _unreadable(case_id, seq, count, "its actor, reason and evidence were removed")
    return entry


class _Memo:
    """Cases already verified, by the exact rows they were read from.

    Verification is a function of the rows and the key alone: rows equal to
    rows verified before give the same case, so only changed rows are replayed.
    Bounded by the number of entries held.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.held = 0
        self.cases: OrderedDict[str, tuple[list[Row], Case]] = OrderedDict()

    def get(self, case_id: str, rows: list[Row]) -> Case | None:
        """The case verified from *rows*, or from the first of them (a trail that grew since)."""
        found = self.cases.get(case_id)
        if found is None:
            return None
        known_rows, case = found
        count = len(known_rows)
        if len(rows) < count or rows[:count] != known_rows:
            return None
        self.cases.move_to_end(case_id)
        return case

    def put(self, case_id: str, rows: list[Row], case: Case) -> None:
        self.forget(case_id)
        if len(rows) > self.capacity:
            return
        self.cases[case_id] = (rows, case)
        self.held += len(rows)
        while self.held > self.capacity:
            _, (old, _) = self.cases.popitem(last=False)
            self.held -= len(old)

    def latest(self, case_id: str) -> tuple[list[Row], Case] | None:
        return self.cases.get(case_id)

    def forget(self, case_id: str) -> None:
        found = self.cases.pop(case_id, None)
        if found is not None:
            self.held -= len(found[0])


def _summary_params(case: Case) -> dict[str, object]:
    return {
        "case_id": case.id,
        "status": case.status,
        "fate": case.fate.value,
        "assurance": case.assurance.value,
        "status_since": format_instant(case.status_since),
        "version": case.version,
        "open_conflicts": len(case.open_conflicts),
        "head": case.head,
    }


class SQLStore(ABC):
    """The store's logic over an engine's transactions; the engines subclass it."""

    workflow: Workflow
    location: str

    def __init__(self, *, workflow: Workflow, key: bytes | None, cache_entries: int) -> None:
        if not isinstance(workflow, Workflow):
            msg = f"workflow must be a Workflow, not {type(workflow).__name__}"
            raise TypeError(msg)
        self.workflow = workflow
        self._key = None if key is None else check_key(key)
        self._chain = chain_for_key(self._key)
        self._memo = _Memo(cache_entries)

    # -- what an engine provides ------------------------------------------

    @abstractmethod
    def _begin(self, *, write: bool) -> AbstractContextManager[Transaction]:
        """A transaction; *write* ones exclude other writers as early as the engine can."""

    @abstractmethod
    def _tables(self, tx: Transaction) -> set[str]:
        """The names of the tables where the store lives."""

    @abstractmethod
    def _schema(self) -> tuple[str, ...]:
        """The statements that create the schema in this engine."""

    def _prepare_setup(self, tx: Transaction) -> None:  # noqa: B027 - most engines need nothing here
        """Make concurrent first openings wait for each other (within *tx*)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection(s); the store cannot be used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- opening ----------------------------------------------------------

    def _setup(self, *, create: bool) -> None:
        """Check (or create, or upgrade) the schema and the key, changing nothing on a fault."""
        with self._begin(write=False) as tx:
            tables = self._tables(tx)
            meta = self._meta(tx, tables)
        if meta is None or int(meta["schema_version"]) != SCHEMA_VERSION:
            if meta is None and not create:
                raise NotAStore(f"{self.location} holds no casestate store (and create=False)")
            self._check_version(meta)
            with self._begin(write=True) as tx:
                self._prepare_setup(tx)
                tables = self._tables(tx)
                meta = self._meta(tx, tables)
                if meta is None:
                    for statement in self._schema():
                        tx.execute(statement)
                    self._write_meta(tx)
                    meta = {"chain": self._chain}
                else:
                    self._upgrade(tx, meta)
        self._check_key(meta["chain"])

    def _meta(self, tx: Transaction, tables: set[str]) -> dict[str, str] | None:
        """The store's ``meta`` rows, ``None`` for an empty place, NotAStore for anything else."""
        if not tables:
            return None
        if "meta" not in tables:
            raise NotAStore(f"{self.location} is not a casestate store: it holds other tables")
        meta = {str(name): str(value) for name, value in tx.query("SELECT name, value FROM meta")}
        if meta.get("format") != FORMAT:
            raise NotAStore(f"{self.location} is not a casestate store: its meta table is another's")
        version = meta.get("schema_version", "")
        if not version.isdigit() or "chain" not in meta or not set(TABLES) <= tables:
            raise NotAStore(f"{self.location} is a damaged casestate store: tables or meta rows are missing")
        return meta

    def _check_version(self, meta: Mapping[str, str] | None) -> None:
        if meta is None:
            return
        found = int(meta["schema_version"])
        if found > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.location} has schema version {found}, newer than {SCHEMA_VERSION}, "
                "the newest this casestate knows: upgrade casestate to open it"
            )
        missing = [step for step in range(found, SCHEMA_VERSION) if step not in MIGRATIONS]
        if missing:
            raise SchemaVersionError(
                f"{self.location} has schema version {found}, and this casestate cannot upgrade "
                f"it to {SCHEMA_VERSION} (no upgrade from version {missing[0]})"
            )

    def _write_meta(self, tx: Transaction) -> None:
        for name, value in (
            ("format", FORMAT),
            ("schema_version", str(SCHEMA_VERSION)),
            ("chain", self._chain),
        ):
            tx.execute(
                "INSERT INTO meta (name, value) VALUES (:name, :value)", {"name": name, "value": value}
            )

    def _upgrade(self, tx: Transaction, meta: Mapping[str, str]) -> None:
        self._check_version(meta)
        for step in range(int(meta["schema_version"]), SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                tx.execute(statement)
        tx.execute(
            "UPDATE meta SET value = :value WHERE name = 'schema_version'", {"value": str(SCHEMA_VERSION)}
        )

    def _check_key(self, chain: str) -> None:
        if chain == self._chain:
            return
        if self._key is None:
            raise KeyRequired(
                f"{self.location}: the store's trails are sealed with a key ({chain}); pass key="
            )
        if chain == "sha256":
            raise WrongKey(f"{self.location}: the store's trails are not sealed with a key; do not pass one")
        raise WrongKey(f"{self.location}: the store's trails are sealed with another key ({chain})")

    # -- cases ------------------------------------------------------------

    def open_case(
        self,
        case_id: str,
        *,
        actor: Actor,
        effective_at: datetime,
        recorded_at: datetime,
        evidence: Iterable[Evidence] = (),
        reason: str | None = None,
    ) -> Case:
        """Open case *case_id* in the workflow's initial status and store it.

        Raises :class:`CaseExists` if the id is taken, ``Rejected`` if the
        workflow refuses the opening; nothing is written in either case.
        """
        case = self.workflow.open(
            case_id,
            actor=actor,
            effective_at=effective_at,
            recorded_at=recorded_at,
            evidence=evidence,
            reason=reason,
            key=self._key,
        )
        rows = [entry_row(entry) for entry in case.trail]
        with self._begin(write=True) as tx:
            try:
                tx.execute(_INSERT_CASE, _summary_params(case))
            except Duplicate:
                raise CaseExists(case_id) from None
            self._append(tx, case.id, rows)
        self._memo.put(case_id, rows, case)
        return case

    def load(self, case_id: str) -> Case:
        """The case, its trail read, verified and replayed.

        Raises :class:`UnknownCase`, or ``BrokenTrail`` naming the case and the
        first entry that was altered, removed or inserted.
        """
        with self._begin(write=False) as tx:
            return self._load(tx, case_id)[0]

    def _load(self, tx: Transaction, case_id: str, *, trust_memo: bool = False) -> tuple[Case, list[Row]]:
        """The case and its rows; with *trust_memo*, rows verified by this store before are not re-read.

        Load never trusts the memo: it reads every row and checks it is the
        row verified before. Apply trusts it while the summary row still
        names the same version and head, since its write is guarded by both.
        """
        found = tx.query(_SELECT_CASE, {"case_id": case_id})
        if not found:
            raise UnknownCase(case_id)
        summary = found[0]
        version, head = summary[4], summary[6]
        if trust_memo:
            remembered = self._memo.latest(case_id)
            if remembered is not None and (remembered[1].version, remembered[1].head) == (version, head):
                _check_summary(remembered[1], summary)
                return remembered[1], remembered[0]
        # Entries past the summary's version belong to a writer that committed
        # after the summary was read; they are not part of this reading.
        rows = tx.query(_SELECT_TRAIL, {"case_id": case_id, "version": version})
        known = self._memo.get(case_id, rows)
        if known is None or known.version != len(rows):
            try:
                case = self._replay(case_id, rows, head, known)
            except BrokenTrail:
                self._memo.forget(case_id)
                raise
            self._memo.put(case_id, rows, case)
        else:
            case = known
        _check_summary(case, summary)
        return case, rows

    def _replay(self, case_id: str, rows: list[Row], head: str, known: Case | None) -> Case:
        count = len(rows)
        done = 0 if known is None else known.version
        entries = [
            *(() if known is None else known.trail),
            *(row_entry(row, case_id, count) for row in rows[done:]),
        ]
        if not entries:
            raise BrokenTrail(
                Integrity(
                    ok=False,
                    case_id=case_id,
                    entries=0,
                    position=0,
                    problem=Problem.EMPTY,
                    message=f"case {case_id!r}: entry 0: missing: the case has no entries",
                )
            )
        return replay(entries, key=self._key, head=head, known=known)

    def apply(self, case_id: str, changes: Sequence[Change], *, expected_version: int) -> Case:
        """Apply *changes* to the case, all of them or none, and return the case as stored.

        *expected_version* is the version of the case the changes were decided
        on. :class:`ConcurrentUpdate` if the stored case is at another version;
        ``Rejected`` (its ``index`` names the change) if the workflow refuses
        one of the changes. Nothing is written in either case.
        """
        if isinstance(changes, Change):
            msg = "changes must be a sequence of Change values; wrap a single change in a list"
            raise TypeError(msg)
        batch = tuple(changes)
        if not batch:
            msg = "apply needs at least one change"
            raise ValueError(msg)
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            msg = f"expected_version must be an int, not {type(expected_version).__name__}"
            raise TypeError(msg)
        with self._begin(write=False) as tx:
            case, rows = self._load(tx, case_id, trust_memo=True)
        if case.version != expected_version:
            raise ConcurrentUpdate(case_id, expected_version, case.version)
        updated = case
        for index, change in enumerate(batch):
            if not isinstance(change, Change):
                msg = f"changes[{index}] must be a Change, not {type(change).__name__}"
                raise TypeError(msg)
            try:
                updated = self.workflow.apply(updated, change, key=self._key)
            except Rejected as error:
                raise Rejected(case_id, error.verdict, index=index) from None
        added = [entry_row(entry) for entry in updated.trail[case.version :]]
        params = _summary_params(updated)
        params["expected"] = case.version
        params["expected_head"] = case.head
        with self._begin(write=True) as tx:
            if tx.execute(_UPDATE_CASE, params) != 1:
                raise ConcurrentUpdate(case_id, expected_version, None)
            try:
                self._append(tx, case_id, added)
            except Duplicate:
                raise ConcurrentUpdate(case_id, expected_version, None) from None
        self._memo.put(case_id, rows + added, updated)
        return updated

    def _append(self, tx: Transaction, case_id: str, rows: list[Row]) -> None:
        """Insert *rows* at the next positions; taken last, so the position lock is held briefly."""
        count = len(rows)
        if tx.execute("UPDATE positions SET last = last + :count WHERE id = 1", {"count": count}) != 1:
            raise NotAStore(f"{self.location} is a damaged casestate store: its position counter is gone")
        last = tx.query("SELECT last FROM positions WHERE id = 1")[0][0]
        first = int(last) - count + 1
        try:
            tx.insert_entries([(first + offset, *row) for offset, row in enumerate(rows)])
        except Duplicate:
            self._memo.forget(case_id)
            raise

    # -- finding and following --------------------------------------------

    def find(
        self,
        *,
        status: str | None = None,
        fate: Fate | str | None = None,
        has_conflict: bool | None = None,
        in_status_for_at_least: timedelta | None = None,
        now: datetime | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> list[CaseSummary]:
        """Cases matching every filter given, ordered by case id.

        *in_status_for_at_least* with *now* finds cases whose status took
        effect at least that long before *now* ("missing for more than 180
        days"); casestate reads no clock, so *now* is required with it. Page
        with *limit* and *after*, the last case id of the page before.
        """
        clauses: list[str] = []
        params: dict[str, object] = {}
        if status is not None:
            clauses.append("status = :status")
            params["status"] = str(status)
        if fate is not None:
            clauses.append("fate = :fate")
            params["fate"] = Fate(fate).value
        if has_conflict is not None:
            clauses.append("open_conflicts > 0" if has_conflict else "open_conflicts = 0")
        if in_status_for_at_least is not None:
            if now is None:
                msg = "in_status_for_at_least needs now= (casestate reads no clock)"
                raise ValueError(msg)
            if not isinstance(in_status_for_at_least, timedelta):
                msg = "in_status_for_at_least must be a timedelta"
                raise TypeError(msg)
            clauses.append("status_since <= :cutoff")
            params["cutoff"] = format_instant(to_utc(now, "now") - in_status_for_at_least)
        if after is not None:
            clauses.append("case_id > :after")
            params["after"] = str(after)
        params["limit"] = _limit(limit)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        sql = (
            "SELECT case_id, status, fate, assurance, status_since, version, open_conflicts "  # noqa: S608 - clauses are fixed text; values are parameters
            f"FROM cases {where}ORDER BY case_id LIMIT :limit"
        )
        with self._begin(write=False) as tx:
            rows = tx.query(sql, params)
        return [
            CaseSummary(
                case_id=row[0],
                status=row[1],
                fate=Fate(row[2]),
                assurance=Assurance(row[3]),
                status_since=parse_instant(row[4]),
                version=int(row[5]),
                has_conflict=int(row[6]) > 0,
            )
            for row in rows
        ]

    def entries(self, *, after: int = 0, limit: int | None = None) -> Iterator[StoredEntry]:
        """Every entry after position *after* (at most *limit*), in global append order.

        A follower keeps the last position it has seen and asks again from
        there; positions are gapless and never reused. Rows are read a page at
        a time, not verified (load a case to verify it).
        """
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            msg = f"after must be a position (an int >= 0), got {after!r}"
            raise ValueError(msg)
        remaining = None if limit is None else _limit(limit)
        while remaining is None or remaining > 0:
            size = _PAGE if remaining is None else min(_PAGE, remaining)
            with self._begin(write=False) as tx:
                rows = tx.query(_SELECT_FEED, {"after": after, "limit": size})
            for row in rows:
                position = int(row[0])
                yield StoredEntry(position, row_entry(row[1:], str(row[1]), 0))
                after = position
            if remaining is not None:
                remaining -= len(rows)
            if len(rows) < size:
                return

    def case_ids(self) -> Iterator[str]:
        """Every case id, in order, read a page at a time."""
        after = ""
        while True:
            with self._begin(write=False) as tx:
                rows = tx.query(
                    "SELECT case_id FROM cases WHERE case_id > :after ORDER BY case_id LIMIT :limit",
                    {"after": after, "limit": _PAGE},
                )
            for (case_id,) in rows:
                yield case_id
            if len(rows) < _PAGE:
                return
            after = rows[-1][0]

    def head(self, case_id: str) -> str | None:
        """The hash of the case's last entry, as the store records it; ``None`` for an unknown case.

        Keep it outside the database to detect, later, a trail cut short there.
        """
        with self._begin(write=False) as tx:
            rows = tx.query("SELECT head FROM cases WHERE case_id = :case_id", {"case_id": case_id})
        return None if not rows else str(rows[0][0])


def _limit(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"limit must be a positive int, got {value!r}"
        raise ValueError(msg)
    return value


def _check_summary(case: Case, summary: Row) -> None:
    """The summary row must say what the verified trail says; otherwise it was altered."""
    expected = (
        case.status,
        case.fate.value,
        case.assurance.value,
        format_instant(case.status_since),
        case.version,
        len(case.open_conflicts),
        case.head,
    )
    if tuple(summary) != expected:
        fields = ("status", "fate", "assurance", "status_since", "version", "open_conflicts", "head")
        wrong = [
            f"{name} {found!r} (the trail says {want!r})"
            for name, found, want in zip(fields, summary, expected, strict=True)
            if found != want
        ]
        last = case.version - 1
        raise BrokenTrail(
            Integrity(
                ok=False,
                case_id=case.id,
                entries=case.version,
                position=last,
                problem=Problem.INCONSISTENT,
                message=f"case {case.id!r}: entry {last}: the case's summary row was altered: "
                + "; ".join(wrong),
            )
        )
