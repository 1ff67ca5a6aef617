"""Cases: open one, load it verified, apply changes to it, each write guarded by the version read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from casestate import OPEN, Actor, BrokenTrail, Case, Change, Evidence, Outcome, Problem, Rejected, replay

from ._arguments import check_text, checked_batch
from ._base import CaseExists, ConcurrentUpdate, NotAStore, StoreError, UnknownCase
from ._clock import latest_recorded
from ._rows import ERASED, broken_trail, entry_row, row_entry
from ._schema import Duplicate, Row
from ._statements import (
    HEAD_COLUMN,
    SELECT_CASE,
    SELECT_CASE_AND_TRAIL,
    SELECT_ERASED,
    SUMMARY_COLUMNS,
    VERSION_COLUMN,
    check_summary,
    inserted_past,
    summary_params,
)
from ._steps import Steps, Tx, operation
from ._unit import UnitOfWork


class Cases(UnitOfWork):
    """Writing and reading whole cases, with the memory of trails already verified."""

    @operation
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
        follows: str | None = None,
        source_id: str | None = None,
    ) -> Steps[Case]:
        """Open case *case_id* in the workflow's initial status and store it.

        Raises :class:`CaseExists` if the id is taken, ``Rejected`` if the
        workflow refuses the opening; nothing is written in either case. A
        *recorded_at* later than *now* (the store's clock unless given) plus
        the store's ``clock_tolerance`` is refused as ``recorded_in_future``.
        *follows* names the case of the person's disappearance before (see
        ``Workflow.open``).

        With *source_id* (see ``Change.source_id``), an opening the store
        holds already (the same opening under that id, following the same
        case) is not refused: the case is returned as stored, and nothing is
        written.
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
            follows=follows,
            source_id=source_id,
        )
        rows = [entry_row(entry) for entry in case.trail]

        def written(tx: Tx) -> Steps[bool]:
            inserted, last = yield from self._write_summary(
                tx, self._insert_case, summary_params(case), len(rows)
            )
            if inserted:
                yield from self._append(tx, case.id, rows, last)
                # Remembered with the write: nothing may come between the two inside a block.
                self._remember(case_id, rows, case)
            return inserted

        try:
            inserted = yield from self._transact(written, write=True)
        except Duplicate:
            raise self._damaged(case_id) from None
        if not inserted:  # raised once the transaction is over: a refusal writes nothing
            if source_id is not None:
                opening = Change(
                    trigger=OPEN,
                    actor=actor,
                    effective_at=effective_at,
                    recorded_at=recorded_at,
                    evidence=case.trail[0].evidence,
                    reason=reason,
                    source_id=source_id,
                )
                stored = yield from self._verified(case_id)
                if stored.follows == follows and self._holds(stored, (opening,)):
                    return stored
            raise CaseExists(case_id)
        return case

    def _holds(self, case: Case, changes: Sequence[Change]) -> bool:
        """Whether *case* holds every one of *changes* (at least one) already, each by its source id."""
        return bool(changes) and all(
            isinstance(change, Change)
            and change.source_id is not None
            and self.workflow.check(case, change).outcome is Outcome.ALREADY_STORED
            for change in changes
        )

    def _latest_recorded(self, now: datetime | None) -> datetime:
        """The latest recorded time a write at *now* (the store's clock unless given) takes."""
        return latest_recorded(self._clock() if now is None else now, self._clock_tolerance)

    def _remember(self, case_id: str, rows: list[Row], case: Case) -> None:
        """Remember *case* verified from *rows*, with the mark of the block open, if one is."""
        block = self._block
        if block is None:
            self._memo.put(case_id, rows, case)
            return
        self._memo.put(case_id, rows, case, block.token)
        block.remembered.add(case_id)

    @operation
    def load(self, case_id: str) -> Steps[Case]:
        """The case, its trail read, verified and replayed.

        Raises :class:`UnknownCase`, or ``BrokenTrail`` naming the case and the
        first entry that was altered, removed or inserted.
        """
        check_text(case_id, "case_id")
        return (yield from self._verified(case_id))

    def _verified(self, case_id: str) -> Steps[Case]:
        """The case, read and verified in a transaction of its own."""
        return (yield from self._transact(lambda tx: self._load(tx, case_id), write=False))[0]

    def _load(self, tx: Tx, case_id: str, *, trust_memo: bool = False) -> Steps[tuple[Case, list[Row]]]:
        """The case and its rows; with *trust_memo*, rows verified by this store before are not re-read.

        Load never trusts the memo: it reads every row and checks it is the
        row verified before. Apply trusts it while the summary row still
        names the same version and head, since its write is guarded by both;
        inside an atomic block, without reading the summary, for a case the
        block itself read or wrote: it keeps every other writer out.
        """
        remembered = self._memo.latest(case_id) if trust_memo else None
        block = self._block
        if remembered is not None and block is not None and remembered[2] == block.token:
            return remembered[1], remembered[0]
        yield from self._settle(case_id)
        if remembered is not None:
            found = yield from tx.query(SELECT_CASE, {"case_id": case_id})
            if not found:
                raise UnknownCase(case_id)
            summary = found[0]
            if (remembered[1].version, remembered[1].head) == (summary[VERSION_COLUMN], summary[HEAD_COLUMN]):
                check_summary(remembered[1], summary)
                return remembered[1], remembered[0]
        found_case = yield from self._read_case(tx, case_id)
        if found_case is None:
            raise UnknownCase(case_id)
        summary, rows = found_case
        version = summary[VERSION_COLUMN]
        if isinstance(version, int) and len(rows) > version:
            self._memo.forget(case_id)
            raise inserted_past(case_id, rows[version][1], version)
        head = summary[HEAD_COLUMN]
        known = self._memo.get(case_id, rows)
        if known is None or known.version != len(rows):
            try:
                case = yield from self._replay(tx, case_id, rows, head, known)
            except BrokenTrail:
                self._memo.forget(case_id)
                raise
            self._remember(case_id, rows, case)
        else:
            case = known
        check_summary(case, summary)
        return case, rows

    def _read_case(self, tx: Tx, case_id: str) -> Steps[tuple[Row, list[Row]] | None]:
        """The summary row and every entry row of the case; ``None`` for an unknown case.

        One statement reads both, so that they are of one committed state even
        where each statement sees the latest commit: a row past the summary's
        version is then one inserted behind the store, never a writer's
        committing meanwhile. An engine whose read transaction holds one
        snapshot may read them in two.
        """
        joined = yield from tx.query(SELECT_CASE_AND_TRAIL, {"case_id": case_id})
        if not joined:
            return None
        rows = [] if joined[0][SUMMARY_COLUMNS] is None else [row[SUMMARY_COLUMNS:] for row in joined]
        return joined[0][:SUMMARY_COLUMNS], rows

    def _replay(self, tx: Tx, case_id: str, rows: list[Row], head: str, known: Case | None) -> Steps[Case]:
        count = len(rows)
        done = 0 if known is None else known.version
        # Only a trail with an erased row pays for reading the erasures.
        erased = (
            (yield from self._erased(tx, case_id)) if any(row[-1] == ERASED for row in rows) else frozenset()
        )
        entries = [
            *(() if known is None else known.trail),
            *(row_entry(row, case_id, count, erased=erased) for row in rows[done:]),
        ]
        if not entries:
            raise broken_trail(case_id, 0, 0, Problem.EMPTY, "missing: the case has no entries")
        # Every redacted entry was read as one only because its erasure is recorded.
        return replay(entries, key=self._key, head=head, known=known, allow_redacted=bool(erased))

    def _erased(self, tx: Tx, case_id: str) -> Steps[frozenset[int]]:
        """The numbers of the case's entries whose personal part was erased."""
        rows = yield from tx.query(SELECT_ERASED, {"case_id": case_id})
        return frozenset(int(seq) for (seq,) in rows)

    @operation
    def apply(
        self,
        case_id: str,
        changes: Sequence[Change],
        *,
        expected_version: int,
        now: datetime | None = None,
    ) -> Steps[Case]:
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

        A change the case holds already (its source id taken by the same
        change: see ``Change.source_id``) is stored once: it writes nothing.
        When every change holds a source id and the case holds every one
        already, the case is returned as stored, at whatever version: two
        writers that send the same changes at once store them once, and
        neither is refused.
        """
        batch = checked_batch(case_id, changes, expected_version)
        latest = self._latest_recorded(now)
        case, rows = yield from self._transact(
            lambda tx: self._load(tx, case_id, trust_memo=True), write=False
        )
        if case.version != expected_version:
            return (yield from self._held_or_refused(case_id, batch, expected_version, case))
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
        if not added:  # every change is stored already
            return updated
        params = summary_params(updated)
        params["expected"] = case.version
        params["expected_head"] = case.head

        def written(tx: Tx) -> Steps[bool]:
            changed, last = yield from self._change_or_hold(tx, case_id, params, len(added))
            if changed:
                yield from self._append(tx, case_id, added, last)
                # Remembered with the write: nothing may come between the two inside a block.
                self._remember(case_id, rows + added, updated)
            return changed

        try:
            changed = yield from self._transact(written, write=True)
        except Duplicate:
            yield from self._collision(case_id)
        if not changed:  # refused once the transaction is over: a refusal writes nothing
            return (yield from self._held_or_refused(case_id, batch, expected_version, None))
        return updated

    def _held_or_refused(
        self, case_id: str, batch: tuple[Change, ...], expected_version: int, case: Case | None
    ) -> Steps[Case]:
        """The case as stored if it holds every change of *batch* already; else :class:`ConcurrentUpdate`.

        *case* is the case as read at another version than expected; ``None``
        when another writer came between the read and the write, and the case
        is read again (if the changes have source ids to be found by).
        """
        found = case
        if found is None and all(change.source_id is not None for change in batch):
            found = yield from self._verified(case_id)
        if found is not None and self._holds(found, batch):
            return found
        raise ConcurrentUpdate(case_id, expected_version, None if case is None else case.version)

    def _collision(self, case_id: str) -> Steps[None]:
        """Why an entry row apply writes collides with one stored: the store was altered in SQL.

        The guarded update of the summary row went through, so no writer came
        between the read and the write: the row in the way was put there behind
        the store. Read as a concurrent update, it would refuse every retry for
        ever; the case is read again, whole, to name the row
        (``BrokenTrail``), else the position counter was set back.
        """
        yield from self._transact(lambda tx: self._load(tx, case_id), write=False)
        raise self._damaged(case_id) from None

    def _damaged(self, case_id: str) -> StoreError:
        """The error of a row in the way of an entry of case *case_id*."""
        return NotAStore(
            f"{self.location} is a damaged casestate store: a row in its tables takes the number or "
            f"the position of an entry of case {case_id!r} (inserted behind casestate, or the position "
            "counter set back); nothing was written"
        )

    def _append(self, tx: Tx, case_id: str, rows: list[Row], last: int | None) -> Steps[None]:
        """Insert *rows* at the positions up to *last*, taken with the summary row."""
        count = len(rows)
        if last is None:
            raise NotAStore(f"{self.location} is a damaged casestate store: its position counter is gone")
        first = last - count + 1
        positioned = [(first + offset, *row) for offset, row in enumerate(rows)]
        block = self._block
        if block is not None:  # held, and written with the block's others: one statement, not one a case
            yield from block.hold_rows(case_id, positioned)
            return
        try:
            yield from tx.insert_entries(positioned)
        except Duplicate:
            self._memo.forget(case_id)
            raise
