"""Opening cases and applying changes: the decision, sealed into the next entry, and the state step."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from ._actors import Actor
from ._case import Case, case_of, holds_what_its_trail_says, ids_after, rivals_and_left_as_its_trail_says
from ._chain import GENESIS, ChainKeyError, Problem, key_problem, seal
from ._change import OPEN, Change, new_salt
from ._decide import Plan, decide, decide_opening, plan
from ._entry import EntryKind
from ._evidence import Evidence
from ._sources import resent, taken_in
from ._step import opened, step_by
from ._text import MAX_CASE_ID, check_case_id, check_identifier
from ._verdict import Outcome, Rejected

if TYPE_CHECKING:
    from ._table import Table


def open_case(
    table: Table,
    case_id: str,
    *,
    actor: Actor,
    effective_at: datetime,
    recorded_at: datetime,
    evidence: Iterable[Evidence],
    reason: str | None,
    salt: bytes | None,
    key: bytes | None,
    now: datetime | None,
    follows: str | None = None,
    source_id: str | None = None,
) -> Case:
    """Open a case in the workflow's initial status (see ``Workflow.open``)."""
    check_case_id(case_id)
    if follows is not None:
        check_identifier(follows, "follows", MAX_CASE_ID)
        if follows == case_id:
            msg = f"case {case_id!r} cannot follow itself: follows names the case of an earlier disappearance"
            raise ValueError(msg)
    # A Change validates the inputs exactly as it does for any later change.
    opening = Change(
        trigger=OPEN,
        actor=actor,
        effective_at=effective_at,
        recorded_at=recorded_at,
        evidence=evidence,
        reason=reason,
        salt=salt,
        source_id=source_id,
    )
    decided = decide_opening(table, opening, now)
    target = decided.verdict.target
    if target is None:
        raise Rejected(case_id, decided.verdict)
    entry = seal(
        0,
        case_id,
        EntryKind.OPENED,
        OPEN,
        None,
        target,
        decided.fate,
        decided.assurance,
        opening.actor.role,
        opening.actor.id,
        opening.reason,
        opening.evidence,
        opening.effective_at,
        opening.recorded_at,
        (),
        (),
        None,
        GENESIS,
        new_salt() if opening.salt is None else opening.salt,
        key,
        table.identity,
        decided.whereabouts,
        follows,
        opening.source_id,
        kinds=table.kinds,
    )
    trail = (entry,)
    state = opened(
        case_id,
        target,
        decided.fate,
        decided.assurance,
        decided.whereabouts,
        entry.effective_at,
        entry.actor_id,
        entry.recorded_at,
        trail,
    )
    return case_of(state, trail, None if source_id is None else {source_id: 0})


def apply_change(table: Table, case: Case, change: Change, key: bytes | None, now: datetime | None) -> Case:
    """*case* with *change* applied, or :class:`Rejected` (see ``Workflow.apply``).

    A change the case holds already (its source id taken by the same change) leaves *case* as it is.
    """
    last = case.trail[-1]
    # Any entry names the chain, as replay holds the label equal along the
    # trail; the last one is read anyway, the first may be far away in memory.
    chain = last.chain
    mismatch = key_problem(chain, key)
    if mismatch is not None:
        raise ChainKeyError(_KEY_MISMATCH[mismatch] % case.id)
    if not holds_what_its_trail_says(case):
        raise ValueError(_NOT_ITS_TRAIL % case.id)
    source_id = change.source_id
    if source_id is not None:
        taken = taken_in(case, source_id)
        if taken is not None:
            resend = resent(case, change, taken, lambda: decide(table, case, change, now))
            if resend.outcome is Outcome.ALREADY_STORED:
                return case
            raise Rejected(case.id, resend)
    verdict = decide(table, case, change, now)
    if verdict.outcome is Outcome.REJECTED:
        raise Rejected(case.id, verdict)
    decided = plan(table, case, change, verdict)
    kind = decided.kind
    if _names_what_only_the_standing_holds(case, decided) and not rivals_and_left_as_its_trail_says(case):
        raise ValueError(_NOT_ITS_TRAIL % case.id)
    target = decided.period_status or verdict.target or case.status
    entry = seal(
        len(case.trail),
        case.id,
        kind,
        change.trigger,
        case.status,
        target,
        decided.fate,
        decided.assurance,
        change.actor.role,
        change.actor.id,
        change.reason,
        change.evidence,
        change.effective_at,
        change.recorded_at,
        change.resolves,
        verdict.codes if kind is EntryKind.CONFLICT else (),
        decided.reverts_to,
        last.hash,
        new_salt() if change.salt is None else change.salt,
        key,
        None,
        decided.whereabouts,
        None,
        source_id,
        decided.displaces,
        table.kinds,
        decided.carries_into,
        decided.contests,
        decided.reconciles,
    )
    return step_by(case, entry, (*case.trail, entry), ids_after(case, entry))


_NOT_ITS_TRAIL = "case %r: its fields do not match its trail; load it with replay"


def _names_what_only_the_standing_holds(case: Case, decided: Plan) -> bool:
    """Whether the entry *decided* names a report it read from *case*'s left periods' backers or rivals.

    Those go back far in the trail, which the cheap check of the case does not
    read: the trail is folded again to check them, only where the entry names one
    (a late report or a rival that holds contesting one, a move reconciling one).
    """
    contests, reconciles = decided.contests, decided.reconciles
    if contests and (decided.kind is EntryKind.EARLIER_PERIOD or decided.displaces is not None):
        return True  # the reports of a left period it contests
    if reconciles and case.rivalled:
        rivals = {report.seq for report in case.rivalled}
        return any(seq in rivals for seq in reconciles)
    return False


_KEY_MISMATCH = {
    Problem.KEY_REQUIRED: "case %r is sealed with a key; pass key=",
    Problem.NOT_SEALED: "case %r is not sealed with a key; do not pass one",
    Problem.WRONG_KEY: "case %r is sealed with a different key",
}
