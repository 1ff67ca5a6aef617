"""The store's logic, the same on every engine: open, load, apply, find and follow."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self

from casestate._actors import Actor
from casestate._case import Case, replay
from casestate._chain import BrokenTrail, Problem, chain_for_key, check_key
from casestate._change import Change
from casestate._evidence import Evidence
from casestate._status import Assurance, Fate
from casestate._time import OUTSIDE_THE_CALENDAR, format_instant, parse_instant, to_utc
from casestate._verdict import Rejected
from casestate._workflow import Workflow

from . import _schema
from ._arguments import LARGEST, check_text, checked_batch, checked_limit
from ._base import (
    CaseExists,
    CaseSummary,
    ConcurrentUpdate,
    KeyRequired,
    NotAStore,
    StoredEntry,
    StoreError,
    UnknownCase,
    WrongKey,
)
from ._block import Block, described
from ._clock import Clock, checked_clock, latest_recorded
from ._rows import Memo, broken_trail, entry_row, row_entry
from ._schema import Duplicate, Row, Transaction
from ._statements import (
    INSERT_CASE,
    LAST_POSITION,
    SELECT_CASE,
    SELECT_CASE_AND_TRAIL,
    SELECT_FEED,
    SUMMARY_COLUMNS,
    UPDATE_CASE,
    check_summary,
    inserted_past,
    summary_params,
)

_PAGE = 1000
DEFAULT_CACHE_ENTRIES = 50_000


class SQLStore(ABC):
    """The store's logic over an engine's transactions; the engines subclass it."""

    workflow: Workflow
    location: str

    def __init__(
        self,
        *,
        workflow: Workflow,
        key: bytes | None,
        cache_entries: int,
        clock: Clock,
        clock_tolerance: timedelta,
    ) -> None:
        if not isinstance(workflow, Workflow):
            msg = f"workflow must be a Workflow, not {type(workflow).__name__}"
            raise TypeError(msg)
        if isinstance(cache_entries, bool) or not isinstance(cache_entries, int) or cache_entries < 0:
            msg = f"cache_entries must be a number of entries (an int >= 0), got {cache_entries!r}"
            raise ValueError(msg)
        self.workflow = workflow
        self._key = None if key is None else check_key(key)
        self._chain = chain_for_key(self._key)
        self._memo = Memo(cache_entries)
        self._clock, self._clock_tolerance = checked_clock(clock, clock_tolerance)
        self._closed = False
        self._block: Block | None = None
        """The :meth:`atomic` block open, if one is."""
        self._insert_case = INSERT_CASE
        """How the store inserts a summary row: an engine whose transaction a failed statement
        aborts as a whole adds a clause that makes a taken case id change nothing instead."""

    def _check_open(self) -> None:
        """A closed store is refused with its own error, not its driver's."""
        if self._closed:
            msg = f"{self.location} is closed; open the store again"
            raise StoreError(msg)

    # -- what an engine provides ------------------------------------------

    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Transaction]:
        """A transaction; *write* ones exclude other writers as early as the engine can."""

    def _begin(self, *, write: bool) -> AbstractContextManager[Transaction]:
        """A transaction of its own, or, inside :meth:`atomic`, a part of the block's."""
        if self._block is not None:
            return self._in_block(self._block, write=write)
        return self._transaction(write=write)

    @abstractmethod
    def _database_fault(self, error: BaseException) -> StoreError | None:
        """*error* as the store's error if the database raised it; ``None`` for any other."""

    def _lock_writers(self, tx: Transaction) -> None:  # noqa: B027 - an engine whose write transaction locks out writers needs nothing
        """Keep every other writer out until *tx* ends, before the atomic block writes anything."""

    def _check_writable(self) -> None:  # noqa: B027 - most engines need nothing here
        """Refuse a write the engine would lose (a file replaced under the store)."""

    @abstractmethod
    def _tables(self, tx: Transaction) -> set[str]:
        """The names of the tables where the store lives."""

    @abstractmethod
    def _schema(self) -> tuple[str, ...]:
        """The statements that create the schema in this engine."""

    def _take_positions(self, tx: Transaction, count: int) -> int | None:
        """Reserve *count* positions; the last of them (``None`` if the counter is gone).

        The counter row stays locked until the transaction ends, so positions
        are committed in the order they are handed out.
        """
        if tx.execute("UPDATE positions SET last = last + :count WHERE id = 1", {"count": count}) != 1:
            return None
        return int(tx.query(LAST_POSITION)[0][0])

    def _change_summary(
        self, tx: Transaction, sql: str, params: Mapping[str, object], count: int
    ) -> tuple[bool, int | None]:
        """Run *sql* (the summary row's insert or guarded update); if it changed the row, take positions.

        Returns whether the row changed, and the last position taken (``None``
        if the counter is gone). Positions are taken after the summary row, so the
        counter, which every writer needs, stays locked only for the rest of
        the transaction. An engine may do both in one statement.
        """
        if not self._summary_row(tx, sql, params):
            return False, None
        return True, self._take_positions(tx, count)

    def _summary_row(self, tx: Transaction, sql: str, params: Mapping[str, object]) -> bool:
        """Run the summary row's insert or guarded update; whether it changed the row.

        A taken case id changes nothing: an engine where the failed insert undoes
        that statement alone raises :class:`Duplicate` for it (PostgreSQL, where it
        would abort the whole transaction, inserts with ``ON CONFLICT DO NOTHING``).
        """
        try:
            return tx.execute(sql, params) == 1
        except Duplicate:
            return False

    def _prepare_setup(self, tx: Transaction) -> None:  # noqa: B027 - most engines need nothing here
        """Make concurrent first openings wait for each other (within *tx*)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection(s); the store cannot be used afterwards."""

    def _closing(self) -> None:
        """Mark the store closed; an atomic block open on it can no longer be stored."""
        self._closed = True
        if self._block is not None:
            self._block.broken = self._block.broken or "the store was closed inside it"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- several writes as one -------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A block whose writes, on any number of cases, are stored together or not at all.

        Every ``open_case`` and ``apply`` inside the block joins one
        transaction, committed when the block ends. An exception that leaves
        the block undoes every write made in it; so does a process killed
        inside it. Reads inside the block see its writes; other connections
        see none of them until it ends.

        A change refused inside the block (:class:`ConcurrentUpdate`,
        :class:`CaseExists`, ``Rejected``) writes nothing, so the block may
        catch it and go on. A fault of the database (:class:`StoreLocked`, a
        lost connection) may have left part of a write: the block then
        refuses every further call, and stores nothing when it ends. A block
        inside a block joins it: an exception that leaves the inner one means
        the outer one stores nothing either.

        The block holds the store's write lock until it ends: other writers
        wait for it, and give up with :class:`StoreLocked` after their
        timeout. Keep a block to one unit of work, such as one file imported.
        Positions that :meth:`entries` reads inside a block count only once
        it is stored. Use one store object per thread and per task: two
        blocks that take turns on one store object store neither.

        >>> with store.atomic():  # doctest: +SKIP
        ...     store.open_case("ua-1", actor=family, effective_at=seen, recorded_at=told)
        ...     store.apply("ua-1", [report], expected_version=1)
        """
        self._check_open()
        block = self._block
        if block is not None:
            yield from self._joined(block)
            return
        with self._memo.undone_on_error(), self._transaction(write=True) as tx:
            self._lock_writers(tx)
            found = tx.query(LAST_POSITION)
            first = int(found[0][0]) if found else None
            block = self._block = Block(tx, self.location, first)
            try:
                yield
                if block.inner:
                    # Blocks on one store object that take turns (two tasks, a generator
                    # paused inside one) would each store the other's writes.
                    block.broken = block.broken or "a block inside it is still open (use a store per task)"
                if block.broken is not None:
                    msg = f"{self.location}: nothing of the atomic block was stored: {block.broken}"
                    raise StoreError(msg)
                self._check_writable()
                block.write_held()
                if block.last != first:  # positions were taken
                    tx.execute("UPDATE positions SET last = :last WHERE id = 1", {"last": block.last})
            finally:
                block.ended = True
                if not block.inner:
                    self._block = None
                # else the inner blocks keep refusing every call until they end: none
                # may run outside a transaction, each statement committed alone.

    def _joined(self, block: Block) -> Iterator[None]:
        """A block inside *block*: its writes are the outer block's, and so is its fate."""
        block.inner += 1
        try:
            yield
        except BaseException as error:
            block.broken = block.broken or f"an exception left an inner block: {described(error)}"
            raise
        finally:
            block.inner -= 1
            if block.ended and not block.inner:
                self._block = None
        if block.ended:
            msg = f"{self.location}: the block this one joined ended before it; nothing of it was stored"
            raise StoreError(msg)

    @contextmanager
    def _in_block(self, block: Block, *, write: bool) -> Iterator[Transaction]:
        """A part of the atomic block's transaction; a write that fails, or a fault, ends the block's work."""
        if block.broken is not None or block.ended:
            why = block.broken or "it has ended"
            msg = f"{self.location}: the atomic block cannot go on ({why}); leave it: nothing of it is stored"
            raise StoreError(msg)
        try:
            self._check_open()
            if write:
                self._check_writable()
            yield block.tx
        except BaseException as error:
            fault = self._database_fault(error)
            if write or fault is not None:
                block.broken = described(error if fault is None else fault)
            if fault is not None:
                raise fault from error
            raise

    def _write_summary(
        self, tx: Transaction, sql: str, params: Mapping[str, object], count: int
    ) -> tuple[bool, int | None]:
        """Insert or update the summary row; if that changed it, take *count* positions.

        Returns whether the row changed, and the last position taken (``None``
        if the counter is gone).
        """
        block = self._block
        if block is None:
            return self._change_summary(tx, sql, params, count)
        if not self._summary_row(tx, sql, params):
            return False, None
        return True, block.take(count)

    def _change_or_hold(
        self, tx: Transaction, case_id: str, params: dict[str, object], count: int
    ) -> tuple[bool, int | None]:
        """Apply's guarded update of the summary row: run now, or, inside a block, held.

        The block keeps every other writer out, and apply has just checked the
        version it read there, so the guard will hold when the update is written.
        """
        block = self._block
        if block is None:
            return self._change_summary(tx, UPDATE_CASE, params, count)
        block.hold_summary(case_id, params)
        return True, block.take(count)

    def _settle(self, case_id: str | None = None) -> None:
        """Before a read inside a block: write what it holds, if the read could see it.

        *case_id* for a read of one case, ``None`` for a read across cases.
        A read of a case the block holds nothing for needs nothing written, so
        the block goes on holding: most of an import reads cases it has not yet
        changed.
        """
        block = self._block
        if block is not None and block.holds(case_id):
            with self._in_block(block, write=True):
                block.write_held()

    # -- opening ----------------------------------------------------------

    def _setup(self, *, create: bool) -> None:
        """Check (or create, or upgrade) the schema and the key, changing nothing on a fault."""
        with self._begin(write=False) as tx:
            meta = _schema.read_meta(tx, self._tables(tx), self.location)
        if meta is None or int(meta["schema_version"]) != _schema.SCHEMA_VERSION:
            if meta is None and not create:
                raise NotAStore(f"{self.location} holds no casestate store (and create=False)")
            if meta is not None:
                _schema.check_version(meta, self.location)
            with self._begin(write=True) as tx:
                self._prepare_setup(tx)
                meta = _schema.read_meta(tx, self._tables(tx), self.location)
                if meta is None:
                    _schema.create(tx, self._schema(), self._chain)
                    meta = {"chain": self._chain}
                else:
                    _schema.upgrade(tx, meta, self.location)
        self._check_key(meta["chain"])

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
        now: datetime | None = None,
    ) -> Case:
        """Open case *case_id* in the workflow's initial status and store it.

        Raises :class:`CaseExists` if the id is taken, ``Rejected`` if the
        workflow refuses the opening; nothing is written in either case. A
        *recorded_at* later than *now* (the store's clock unless given) plus
        the store's ``clock_tolerance`` is refused as ``recorded_in_future``.
        """
        case = self.workflow.open(
            case_id,
            actor=actor,
            effective_at=effective_at,
            recorded_at=recorded_at,
            evidence=evidence,
            reason=reason,
            key=self._key,
            now=self._latest_recorded(now),
        )
        rows = [entry_row(entry) for entry in case.trail]
        try:
            with self._begin(write=True) as tx:
                inserted, last = self._write_summary(tx, self._insert_case, summary_params(case), len(rows))
                if inserted:
                    self._append(tx, case.id, rows, last)
                    # Remembered with the write: nothing may come between the two inside a block.
                    self._memo.put(case_id, rows, case)
        except Duplicate:
            raise self._collision(case_id, stored=False) from None
        if not inserted:  # raised once the transaction is over: a refusal writes nothing
            raise CaseExists(case_id)
        return case

    def _latest_recorded(self, now: datetime | None) -> datetime:
        """The latest recorded time a write at *now* (the store's clock unless given) takes."""
        return latest_recorded(self._clock() if now is None else now, self._clock_tolerance)

    def load(self, case_id: str) -> Case:
        """The case, its trail read, verified and replayed.

        Raises :class:`UnknownCase`, or ``BrokenTrail`` naming the case and the
        first entry that was altered, removed or inserted.
        """
        check_text(case_id, "case_id")
        with self._begin(write=False) as tx:
            return self._load(tx, case_id)[0]

    def _load(self, tx: Transaction, case_id: str, *, trust_memo: bool = False) -> tuple[Case, list[Row]]:
        """The case and its rows; with *trust_memo*, rows verified by this store before are not re-read.

        Load never trusts the memo: it reads every row and checks it is the
        row verified before. Apply trusts it while the summary row still
        names the same version and head, since its write is guarded by both;
        inside an atomic block, without reading the summary, for a case the
        block itself read or wrote: it keeps every other writer out.
        """
        remembered = self._memo.latest(case_id) if trust_memo else None
        if remembered is not None and self._block is not None and self._memo.put_in_block(case_id):
            return remembered[1], remembered[0]
        self._settle(case_id)
        if remembered is not None:
            found = tx.query(SELECT_CASE, {"case_id": case_id})
            if not found:
                raise UnknownCase(case_id)
            summary = found[0]
            if (remembered[1].version, remembered[1].head) == (summary[4], summary[6]):
                check_summary(remembered[1], summary)
                return remembered[1], remembered[0]
        found_case = self._read_case(tx, case_id)
        if found_case is None:
            raise UnknownCase(case_id)
        summary, rows = found_case
        version = summary[4]
        if isinstance(version, int) and len(rows) > version:
            self._memo.forget(case_id)
            raise inserted_past(case_id, rows[version][1], version)
        head = summary[6]
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
        check_summary(case, summary)
        return case, rows

    def _read_case(self, tx: Transaction, case_id: str) -> tuple[Row, list[Row]] | None:
        """The summary row and every entry row of the case; ``None`` for an unknown case.

        One statement reads both, so that they are of one committed state even
        where each statement sees the latest commit: a row past the summary's
        version is then one inserted behind the store, never a writer's
        committing meanwhile. An engine whose read transaction holds one
        snapshot may read them in two.
        """
        joined = tx.query(SELECT_CASE_AND_TRAIL, {"case_id": case_id})
        if not joined:
            return None
        rows = [] if joined[0][SUMMARY_COLUMNS] is None else [row[SUMMARY_COLUMNS:] for row in joined]
        return joined[0][:SUMMARY_COLUMNS], rows

    def _replay(self, case_id: str, rows: list[Row], head: str, known: Case | None) -> Case:
        count = len(rows)
        done = 0 if known is None else known.version
        entries = [
            *(() if known is None else known.trail),
            *(row_entry(row, case_id, count) for row in rows[done:]),
        ]
        if not entries:
            raise broken_trail(case_id, 0, 0, Problem.EMPTY, "missing: the case has no entries")
        return replay(entries, key=self._key, head=head, known=known)

    def apply(
        self,
        case_id: str,
        changes: Sequence[Change],
        *,
        expected_version: int,
        now: datetime | None = None,
    ) -> Case:
        """Apply *changes* to the case, all of them or none, and return the case as stored.

        *expected_version* is the version of the case the changes were decided
        on. :class:`ConcurrentUpdate` if the stored case is at another version;
        ``Rejected`` (its ``index`` names the change) if the workflow refuses
        one of the changes, among them a change recorded later than *now*
        (the store's clock unless given) plus the store's ``clock_tolerance``
        (``recorded_in_future``). Nothing is written in either case.

        The changes are decided on the trail this store object last verified,
        while the stored summary still names its version and head (the write
        is guarded by both); otherwise the trail is read and verified first.
        """
        batch = checked_batch(case_id, changes, expected_version)
        latest = self._latest_recorded(now)
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
                updated = self.workflow.apply(updated, change, key=self._key, now=latest)
            except Rejected as error:
                raise Rejected(case_id, error.verdict, index=index) from None
        added = [entry_row(entry) for entry in updated.trail[case.version :]]
        params = summary_params(updated)
        params["expected"] = case.version
        params["expected_head"] = case.head
        try:
            with self._begin(write=True) as tx:
                changed, last = self._change_or_hold(tx, case_id, params, len(added))
                if changed:
                    self._append(tx, case_id, added, last)
                    # Remembered with the write: nothing may come between the two inside a block.
                    self._memo.put(case_id, rows + added, updated)
        except Duplicate:
            raise self._collision(case_id, stored=True) from None
        if not changed:  # raised once the transaction is over: a refusal writes nothing
            raise ConcurrentUpdate(case_id, expected_version, None)
        return updated

    def _collision(self, case_id: str, *, stored: bool) -> StoreError:
        """Why an entry row apply writes collides with one stored: the store was altered in SQL.

        The guarded update of the summary row went through, so no writer came
        between the read and the write: the row in the way was put there behind
        the store. Read as a concurrent update, it would refuse every retry for
        ever; the case is read again, whole, to name the row
        (``BrokenTrail``), else the position counter was set back.
        """
        if stored:
            self.load(case_id)
        return NotAStore(
            f"{self.location} is a damaged casestate store: a row in its tables takes the number or "
            f"the position of an entry of case {case_id!r} (inserted behind casestate, or the position "
            "counter set back); nothing was written"
        )

    def _append(self, tx: Transaction, case_id: str, rows: list[Row], last: int | None) -> None:
        """Insert *rows* at the positions up to *last*, taken with the summary row."""
        count = len(rows)
        if last is None:
            raise NotAStore(f"{self.location} is a damaged casestate store: its position counter is gone")
        first = last - count + 1
        positioned = [(first + offset, *row) for offset, row in enumerate(rows)]
        block = self._block
        if block is not None:  # held, and written with the block's others: one statement, not one a case
            block.hold_rows(case_id, positioned)
            return
        try:
            tx.insert_entries(positioned)
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
            params["status"] = check_text(str(status), "status")
        if fate is not None:
            clauses.append("fate = :fate")
            params["fate"] = Fate(fate).value
        if has_conflict is not None:
            if not isinstance(has_conflict, bool):
                msg = f"has_conflict must be True, False or None, not {has_conflict!r}"
                raise TypeError(msg)
            clauses.append("open_conflicts > 0" if has_conflict else "open_conflicts = 0")
        if in_status_for_at_least is not None:
            if now is None:
                msg = "in_status_for_at_least needs now= (casestate reads no clock)"
                raise ValueError(msg)
            if not isinstance(in_status_for_at_least, timedelta):
                msg = "in_status_for_at_least must be a timedelta"
                raise TypeError(msg)
            clauses.append("status_since <= :cutoff")
            try:
                cutoff = to_utc(now, "now") - in_status_for_at_least
            except OverflowError:
                msg = f"now - in_status_for_at_least {OUTSIDE_THE_CALENDAR}"
                raise ValueError(msg) from None
            params["cutoff"] = format_instant(cutoff)
        if after is not None:
            clauses.append("case_id > :after")
            params["after"] = check_text(str(after), "after")
        params["limit"] = checked_limit(limit)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        sql = (
            "SELECT case_id, status, fate, assurance, status_since, version, open_conflicts "  # noqa: S608 - clauses are fixed text; values are parameters
            f"FROM cases {where}ORDER BY case_id LIMIT :limit"
        )
        self._settle()
        with self._begin(write=False) as tx:
            rows = tx.query(sql, params)
        return [self._summary(row) for row in rows]

    def _summary(self, row: Row) -> CaseSummary:
        try:
            return CaseSummary(
                case_id=row[0],
                status=row[1],
                fate=Fate(row[2]),
                assurance=Assurance(row[3]),
                status_since=parse_instant(row[4]),
                version=int(row[5]),
                has_conflict=int(row[6]) > 0,
            )
        except (TypeError, ValueError) as error:  # a summary row altered in SQL; load names the entry
            msg = f"{self.location}: the summary row of case {row[0]!r} was altered: {error}"
            raise StoreError(msg) from None

    def entries(self, *, after: int = 0, limit: int | None = None) -> Iterator[StoredEntry]:
        """Every entry after position *after* (at most *limit*), in global append order.

        A follower keeps the last position it has seen and asks again from
        there; positions are gapless and never reused. Rows are read a page at
        a time, not verified (load a case to verify it), but a row numbered at
        or past its case's version, inserted behind the store, is a ``BrokenTrail``.
        """
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= LARGEST:
            msg = f"after must be a position (an int >= 0), got {after!r}"
            raise ValueError(msg)
        remaining = None if limit is None else checked_limit(limit)
        while remaining is None or remaining > 0:
            size = _PAGE if remaining is None else min(_PAGE, remaining)
            self._settle()
            with self._begin(write=False) as tx:
                rows = tx.query(SELECT_FEED, {"after": after, "limit": size})
            for row in rows:
                position, seq, version = int(row[0]), row[2], row[-1]
                if version is None or (type(seq) is int and type(version) is int and seq >= version):
                    raise inserted_past(str(row[1]), seq, version)
                yield StoredEntry(position, row_entry(row[1:-1], str(row[1]), 0))
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
        check_text(case_id, "case_id")
        self._settle(case_id)
        with self._begin(write=False) as tx:
            rows = tx.query("SELECT head FROM cases WHERE case_id = :case_id", {"case_id": case_id})
        return None if not rows else str(rows[0][0])
