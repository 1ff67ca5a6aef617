"""Batch checks: many changes to many cases, each checked against what came before it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ._case import Case
from ._change import OPEN, Change
from ._decide import decide, decide_opening, plan
from ._entry import EntryKind
from ._reasons import case_exists, unknown_case
from ._sources import Sent, resent, sent_change, sent_entry
from ._standing import Standing
from ._status import Assurance, Fate
from ._step import opened, step
from ._text import check_case_id
from ._time import to_utc
from ._verdict import Outcome, Verdict
from ._workflow import Workflow


class Batch:
    """Checks a stream of changes, each against its case as the accepted changes before it left it.

    A change with trigger ``open`` (:data:`casestate.OPEN`) opens a case; any
    other change needs its case open, either earlier in the stream or in what
    *load* returns for its id (a stored case, say; ``None`` when there is
    none). Accepted changes (transitions, corroborations, conflicts,
    dismissals and openings) move the case on; rejected ones leave it as it
    was, by the same decision and the same state step as ``Workflow.apply``.
    Nothing is sealed or kept but where each case stands, so a batch holds a
    few hundred bytes per case, however long the stream, and about three
    hundred more for each source id taken (the id, and a digest of the
    change). A change whose source id its case took before (in the stream,
    or in what *load* returned) is already stored when it is the same change,
    and refused as ``source_id_reused`` when it is not (see
    :attr:`Change.source_id`). With *now*, changes recorded after it are
    refused.

    >>> from datetime import datetime, UTC
    >>> from casestate import DEFAULT_WORKFLOW, OPEN, Actor, Change
    >>> batch = Batch(DEFAULT_WORKFLOW)
    >>> ngo = Actor("mothers-committee", "ngo")
    >>> when = datetime(2024, 3, 1, tzinfo=UTC)
    >>> batch.check("ua-0173", Change(trigger=OPEN, actor=ngo, effective_at=when, recorded_at=when)).outcome
    <Outcome.TRANSITION: 'transition'>
    >>> [str(code) for code in batch.check("ua-0173", Change(trigger="confirm", actor=ngo,
    ...                                     effective_at=when, recorded_at=when)).codes]
    ['role_not_permitted', 'evidence_required', 'illegal_transition']
    >>> batch.check("ua-9999", Change(trigger="report_dead", actor=ngo, effective_at=when,
    ...                               recorded_at=when)).codes
    (<Code.UNKNOWN_CASE: 'unknown_case'>,)
    """

    def __init__(
        self,
        workflow: Workflow,
        *,
        load: Callable[[str], Case | None] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.workflow = workflow
        self.now = None if now is None else to_utc(now, "now")
        self._load = load
        self._table = workflow._table  # noqa: SLF001 - the workflow's own compiled table
        self._cases: dict[str, Standing | None] = {}
        self._taken: dict[str, dict[str, tuple[int, Sent]]] = {}
        # By case, the source ids taken: the entry that took each, and what it was sent as.

    def __len__(self) -> int:
        """The number of open cases the batch has met."""
        return sum(1 for tracked in self._cases.values() if tracked is not None)

    def _tracked(self, case_id: str) -> Standing | None:
        try:
            return self._cases[case_id]
        except KeyError:
            case = None if self._load is None else self._load(case_id)
            tracked = None if case is None else case.standing
            self._cases[case_id] = tracked
            if case is not None and case.source_ids:
                trail = case.trail
                self._taken[case_id] = {
                    source_id: (seq, sent_entry(trail[seq])) for source_id, seq in case.source_ids.items()
                }
            return tracked

    def knows(self, case_id: str) -> bool:
        """Whether case *case_id* is open (in the stream so far, or where *load* looks)."""
        return self._tracked(case_id) is not None

    def standing(self, case_id: str) -> Standing | None:
        """Where case *case_id* stands now (``None`` if it is not open)."""
        return self._tracked(case_id)

    def status(self, case_id: str) -> tuple[str, Fate, Assurance] | None:
        """Where case *case_id* stands now: status, fate, assurance (``None`` if not open)."""
        tracked = self._tracked(case_id)
        return None if tracked is None else (tracked.status, tracked.fate, tracked.assurance)

    def check(self, case_id: str, change: Change) -> Verdict:
        """The verdict on *change* to case *case_id*; an accepted change moves the case on."""
        cases = self._cases
        # The case met before, in one lookup and without a method call: a feed checks millions of changes.
        try:
            tracked = cases[case_id]
        except KeyError:
            tracked = self._tracked(case_id)
        if change.trigger == OPEN:
            return self._open(case_id, change, tracked)
        if tracked is None:
            return Verdict(Outcome.REJECTED, (unknown_case(case_id),))
        source_id = change.source_id
        if source_id is not None:
            taken = self._taken_in(case_id, source_id)
            if taken is not None:
                return resent(tracked, change, taken, lambda: decide(self._table, tracked, change, self.now))
        verdict = decide(self._table, tracked, change, self.now)
        if verdict.outcome is not Outcome.REJECTED:
            if source_id is not None:
                self._take(case_id, source_id, tracked.version, change)
            decided = plan(self._table, tracked, change, verdict)
            cases[case_id] = step(
                tracked,
                decided.kind,
                decided.period_status or verdict.target or tracked.status,
                decided.fate,
                decided.assurance,
                decided.whereabouts,
                change.effective_at,
                change.recorded_at,
                change.resolves,
                decided.reverts_to,
                decided.displaces,
                change.actor.id,
                change.actor.role,
                change.trigger,
                decided.carries_into,
                decided.contests,
                decided.reconciles,
                verdict.codes if decided.kind is EntryKind.CONFLICT else (),
            )
        return verdict

    def _taken_in(self, case_id: str, source_id: str) -> tuple[int, Sent] | None:
        taken = self._taken.get(case_id)
        return None if taken is None else taken.get(source_id)

    def _take(self, case_id: str, source_id: str, seq: int, change: Change) -> None:
        self._taken.setdefault(case_id, {})[source_id] = (seq, sent_change(change))

    def _open(self, case_id: str, change: Change, tracked: Standing | None) -> Verdict:
        check_case_id(case_id)  # as Workflow.open does: what a batch accepts, a store must take
        decided = decide_opening(self._table, change, self.now)
        source_id = change.source_id
        if tracked is not None:
            refused = Verdict(Outcome.REJECTED, (case_exists(case_id), *decided.verdict.reasons))
            taken = None if source_id is None else self._taken_in(case_id, source_id)
            return refused if taken is None else resent(tracked, change, taken, lambda: refused)
        target = decided.verdict.target
        if target is not None:
            if source_id is not None:
                self._take(case_id, source_id, 0, change)
            self._cases[case_id] = opened(
                case_id,
                target,
                decided.fate,
                decided.assurance,
                decided.whereabouts,
                change.effective_at,
                change.actor.id,
                change.recorded_at,
            )
        return decided.verdict
