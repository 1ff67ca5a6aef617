"""The decision: what a change would do to a case, from the compiled table alone.

One function decides every change, clean or not. Each guard is written
once, as one test that costs nothing when it passes; only a guard that fails
builds its reason. A clean change (nearly every change an app sees) thus
costs a table lookup and a handful of comparisons, and a refused one names
every reason, each with its code.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

import attrs

from ._actors import Actor
from ._change import DISMISS, Change
from ._entry import EntryKind
from ._evidence import Evidence, EvidenceKind, strongest_tier
from ._reasons import illegal_transition, role_not_permitted, unknown_role
from ._rules import EvidenceRule
from ._status import Assurance, Fate
from ._time import format_instant
from ._verdict import Code, Outcome, Reason, Verdict

if TYPE_CHECKING:
    from ._standing import Snapshot, Standing
    from ._table import Move, Table


class Plan(NamedTuple):
    """A verdict, and for an accepted change what its entry will hold.

    A named tuple rather than an attrs class: one is made for every change
    decided, and read once.
    """

    verdict: Verdict
    kind: EntryKind | None = None
    fate: Fate = Fate.UNKNOWN
    assurance: Assurance = Assurance.REPORTED
    reverts_to: int | None = None


_CONTRADICTING = {
    fate: frozenset(
        kind
        for kind in EvidenceKind
        if fate is not Fate.UNKNOWN and kind.indicates is not None and kind.indicates != fate
    )
    for fate in Fate
}
"""By fate: the evidence kinds that speak for another fate (none speak against an unknown one)."""

_GIVEN_BY_KIND = {kind: Assurance.for_tier(kind.tier) for kind in EvidenceKind}
"""The assurance one piece of evidence of each kind gives: nearly every change carries one."""

_ACCEPTED: dict[tuple[Outcome, str, Fate], Verdict] = {}
"""The verdicts of accepted changes: values without reasons, one per outcome, status and fate."""


def _accepted(outcome: Outcome, status: str, fate: Fate) -> Verdict:
    try:
        return _ACCEPTED[outcome, status, fate]
    except KeyError:
        verdict = Verdict(outcome, (), status, fate)
        if len(_ACCEPTED) < 4096:  # noqa: PLR2004 - statuses are the workflows' names: a few hundred at most
            _ACCEPTED[outcome, status, fate] = verdict
        return verdict


def _given(evidence: tuple[Evidence, ...]) -> Assurance:
    """The assurance *evidence* gives on its own."""
    if len(evidence) == 1:
        return _GIVEN_BY_KIND[evidence[0].kind]
    return Assurance.for_tier(strongest_tier(evidence))


def _with(reasons: list[Reason] | None, reason: Reason) -> list[Reason]:
    # A list only once a guard fails: a clean change makes none.
    if reasons is None:
        return [reason]
    reasons.append(reason)
    return reasons


def _times(change: Change, now: datetime | None, reasons: list[Reason] | None) -> list[Reason] | None:
    """The clocks of one change against each other, and against *now* if given."""
    recorded = change.recorded_at
    if change.effective_at > recorded:
        reasons = _with(
            reasons,
            Reason(
                Code.EFFECTIVE_AFTER_RECORDED,
                f"effective at {format_instant(change.effective_at)}, after it was recorded "
                f"at {format_instant(recorded)}",
            ),
        )
    if now is not None and recorded > now:
        reasons = _with(
            reasons,
            Reason(
                Code.RECORDED_IN_FUTURE,
                f"recorded at {format_instant(recorded)}, after now ({format_instant(now)})",
            ),
        )
    for item in change.evidence:
        if item.obtained_at > recorded:
            return _with(
                reasons,
                Reason(
                    Code.EVIDENCE_AFTER_RECORDED,
                    f"{item.kind} obtained at {format_instant(item.obtained_at)}, after the change "
                    f"was recorded at {format_instant(recorded)}",
                ),
            )
    return reasons


def decide_opening(table: Table, opening: Change, now: datetime | None = None) -> Plan:
    """What *opening* would do: open a case in the initial status, or every reason not to."""
    reasons = None
    if opening.actor.role not in table.roles:
        reasons = _with(reasons, unknown_role(opening.actor.role, table.roles))
    reasons = _times(opening, now, reasons)
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
    fate = table.initial_fate
    assurance = Assurance.for_tier(strongest_tier(opening.evidence))
    return Plan(_accepted(Outcome.TRANSITION, table.initial, fate), EntryKind.OPENED, fate, assurance)


def _common(
    table: Table, case: Standing, change: Change, now: datetime | None, reasons: list[Reason] | None
) -> list[Reason] | None:
    """The checks every change faces, whatever its trigger."""
    role = change.actor.role
    if role not in table.roles:
        reasons = _with(reasons, unknown_role(role, table.roles))
    last = case.last_recorded_at
    if change.recorded_at < last:
        reasons = _with(
            reasons,
            Reason(
                Code.TIME_GOES_BACKWARDS,
                f"recorded at {format_instant(change.recorded_at)}, before the case's last "
                f"entry ({format_instant(last)}); the trail only grows forward",
            ),
        )
    reasons = _times(change, now, reasons)
    resolves = change.resolves
    if resolves:
        # Settling a conflict takes the same standing as dismissing one, whatever trigger carries it.
        if change.trigger != DISMISS and role not in table.dismiss_roles:
            reasons = _with(
                reasons,
                Reason(
                    Code.ROLE_NOT_PERMITTED,
                    f"role {role!r} may not resolve conflicts; "
                    f"allowed: {', '.join(sorted(table.dismiss_roles))}",
                ),
            )
        conflicts = case.open_conflicts
        unknown = [seq for seq in resolves if seq not in conflicts]
        if unknown:
            reasons = _with(
                reasons,
                Reason(
                    Code.UNKNOWN_CONFLICT,
                    f"entries {unknown} are not open conflicts of the case (open: {list(conflicts)})",
                ),
            )
    return reasons


def _may_fire(move: Move, case: Standing, actor: Actor) -> bool:
    """Whether *actor* may fire *move* on *case*: by role, or as the reporter of the current status."""
    return actor.role in move.roles or (move.reporter_may_fire and case.reporter_id == actor.id)


def _corroborates(table: Table, move: Move, case: Standing) -> bool:
    """Whether a report not legal from the case's status agrees with what the case holds."""
    return move.report and (
        move.reported == case.status or (move.claimed is case.fate and case.status in table.keeps_fate)
    )


def _guards(move: Move, case: Standing, change: Change) -> list[Reason] | None:
    """The move's own guards: role, evidence, reason."""
    reasons = None
    actor = change.actor
    if not _may_fire(move, case, actor):
        role = actor.role
        reasons = _with(reasons, role_not_permitted(role, move.trigger, move.roles, move.reporter_may_fire))
    needs = move.needs
    if needs is not None:
        evidence = change.evidence
        for item in evidence:
            if item.kind in needs:
                break
        else:
            if evidence:
                given = ", ".join(f"{item.kind} (tier {int(item.tier)})" for item in evidence)
                refusal = Reason(
                    Code.EVIDENCE_INSUFFICIENT, f"{move.trigger} needs {move.needs_text}; given: {given}"
                )
            else:
                refusal = Reason(Code.EVIDENCE_REQUIRED, f"{move.trigger} needs {move.needs_text}")
            reasons = _with(reasons, refusal)
    if move.reason_required and change.reason is None:
        reasons = _with(reasons, Reason(Code.REASON_REQUIRED, f"{move.trigger} needs a written reason"))
    return reasons


def _resumed(move: Move, case: Standing) -> Snapshot | None:
    """The period a legal move that reverts resumes: the latest live one in its target."""
    if move.reverts and move.target is not None:
        return case.live_period(move.target)
    return None


def _fate(change: Change, fate: Fate, reasons: list[Reason] | None) -> list[Reason] | None:
    """No piece of evidence may speak for another fate than the one the change claims."""
    contradicting = _CONTRADICTING[fate]
    for item in change.evidence:
        if item.kind in contradicting:
            return _with(
                reasons,
                Reason(
                    Code.EVIDENCE_CONTRADICTS_FATE,
                    f"{item.kind} speaks for fate {item.kind.indicates!r}, "
                    f"but {change.trigger} would give fate {fate.value!r}",
                ),
            )
    return reasons


def decide(table: Table, case: Standing, change: Change, now: datetime | None = None) -> Plan:  # noqa: C901, PLR0911, PLR0912 - the rules, in order
    """What *change* would do to *case*: its verdict, and for an accepted change what its entry holds."""
    trigger = change.trigger
    if trigger == DISMISS:
        return _dismissal(table, case, change, now)
    move = table.legal.get((case.status, trigger))
    if move is None:
        move = table.elsewhere.get(trigger)
        if move is None:
            known = ", ".join(table.triggers)
            unknown = Reason(Code.UNKNOWN_TRIGGER, f"unknown trigger {trigger!r}; known: {known}")
            return Plan(Verdict(Outcome.REJECTED, tuple(_common(table, case, change, now, [unknown]) or ())))
    reasons = _common(table, case, change, now, _guards(move, case, change))
    target = move.target
    claimed = move.claimed
    if target is None and _corroborates(table, move, case):
        # A report of what the case already holds corroborates it, even late.
        reasons = _fate(change, case.fate, reasons)
        if reasons:
            return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
        held = case.assurance
        given = _given(change.evidence)
        assurance = held if held is given else held.stronger(given)
        return Plan(
            _accepted(Outcome.CORROBORATION, case.status, case.fate),
            EntryKind.CORROBORATION,
            case.fate,
            assurance,
        )
    contradictions: list[Reason] | None = None
    if target is None:
        contradictions = [illegal_transition(trigger, case.status, move.sources)]
    effective = change.effective_at
    if effective < case.status_since:
        contradictions = _with(
            contradictions,
            Reason(
                Code.EARLIER_THAN_CURRENT,
                f"effective at {format_instant(effective)}, before the current status "
                f"{case.status!r} took effect ({format_instant(case.status_since)})",
            ),
        )
    fate = claimed if claimed is not None else case.fate
    resumed = _resumed(move, case)
    if target is not None:
        if resumed is not None:
            fate = resumed.fate  # the period resumes as it stood, its fate too
        reasons = _fate(change, fate, reasons)
        waiting = move.waiting_period
        if waiting is not None and effective - case.status_since < waiting:
            waited = effective - case.status_since
            reasons = _with(
                reasons,
                Reason(
                    Code.WAITING_PERIOD_NOT_ELAPSED,
                    f"{trigger} needs {waiting.days} days in {case.status!r}; "
                    f"the case has been there {waited.days} days",
                ),
            )
    elif claimed is not None:
        reasons = _fate(change, claimed, reasons)
    if move.report and contradictions and change.resolves:
        reasons = _with(
            reasons,
            Reason(Code.RESOLVES_NOT_ALLOWED, "a report kept as a conflict cannot resolve other conflicts"),
        )
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons + (contradictions or []))))
    if contradictions:
        if move.report:
            verdict = Verdict(Outcome.CONFLICT, tuple(contradictions), case.status, case.fate)
            return Plan(verdict, EntryKind.CONFLICT, case.fate, case.assurance)
        return Plan(Verdict(Outcome.REJECTED, tuple(contradictions)))
    verdict = _accepted(Outcome.TRANSITION, target or case.status, fate)
    if resumed is not None:
        # The evidence of a retraction shows the report was wrong, not how well
        # the resumed status is established: the period resumes with its own assurance.
        return Plan(verdict, EntryKind.TRANSITION, fate, resumed.assurance, resumed.seq)
    return Plan(verdict, EntryKind.TRANSITION, fate, _given(change.evidence))


_DISMISSAL_NEEDS_REASON = Reason(Code.REASON_REQUIRED, "a dismissal needs a written reason")
_DISMISSAL_NEEDS_RESOLVES = Reason(
    Code.RESOLVES_REQUIRED, "a dismissal must name the conflict entries it dismisses"
)


def _dismissal(table: Table, case: Standing, change: Change, now: datetime | None) -> Plan:
    reasons = None
    if change.actor.role not in table.dismiss_roles:
        reasons = _with(
            reasons,
            Reason(
                Code.ROLE_NOT_PERMITTED,
                f"role {change.actor.role!r} may not dismiss conflicts; "
                f"allowed: {', '.join(sorted(table.dismiss_roles))}",
            ),
        )
    if change.reason is None:
        reasons = _with(reasons, _DISMISSAL_NEEDS_REASON)
    if not change.resolves:
        reasons = _with(reasons, _DISMISSAL_NEEDS_RESOLVES)
    reasons = _common(table, case, change, now, reasons)
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
    verdict = _accepted(Outcome.DISMISSAL, case.status, case.fate)
    return Plan(verdict, EntryKind.DISMISSAL, case.fate, case.assurance)


@attrs.frozen(kw_only=True)
class Option:
    """A change an actor may make to a case now, and what it would take: one button of a form.

    Given by :meth:`Workflow.available <casestate.Workflow.available>`.
    """

    trigger: str
    outcome: Outcome
    """What it would do: a transition, a corroboration, a conflict kept for a person, a dismissal."""
    target: str
    """The status the case would be in afterwards."""
    fate: Fate
    """The fate the case would have afterwards."""
    evidence: EvidenceRule | None
    """The evidence the rule needs (``None``: none)."""
    kinds: frozenset[EvidenceKind]
    """The evidence kinds of which one piece would do; empty when none is needed.

    Kinds that speak for another fate than the one the change claims are
    left out: they would be refused.
    """
    reason_required: bool
    """Whether a written reason is needed."""
    not_before: datetime | None = None
    """The earliest effective time, when a waiting period applies."""
    resolves: tuple[int, ...] = ()
    """For a dismissal: the open conflicts it may settle."""


def options(table: Table, case: Standing, actor: Actor) -> tuple[Option, ...]:
    """What *actor* may do next to *case*, by the rules that decide it (see ``Workflow.available``)."""
    if actor.role not in table.roles:
        return ()
    found: list[Option] = []
    for trigger in table.triggers:
        if trigger == DISMISS:
            if case.open_conflicts and actor.role in table.dismiss_roles:
                found.append(
                    Option(
                        trigger=DISMISS,
                        outcome=Outcome.DISMISSAL,
                        target=case.status,
                        fate=case.fate,
                        evidence=None,
                        kinds=frozenset(),
                        reason_required=True,
                        resolves=case.open_conflicts,
                    )
                )
            continue
        move = table.move(case.status, trigger)
        if move is None or not _may_fire(move, case, actor):
            continue
        # The fate the evidence is held against, as decide() holds it.
        if move.target is not None:
            outcome, target = Outcome.TRANSITION, move.target
            resumed = _resumed(move, case)
            fate = resumed.fate if resumed is not None else move.claimed or case.fate
            against = fate
        elif move.report:
            target, fate = case.status, case.fate
            if _corroborates(table, move, case):
                outcome, against = Outcome.CORROBORATION, fate
            else:
                outcome, against = Outcome.CONFLICT, move.claimed or Fate.UNKNOWN
        else:
            continue
        waiting = move.waiting_period if outcome is Outcome.TRANSITION else None
        found.append(
            Option(
                trigger=trigger,
                outcome=outcome,
                target=target,
                fate=fate,
                evidence=move.rule.evidence,
                kinds=frozenset() if move.needs is None else move.needs - _CONTRADICTING[against],
                reason_required=move.reason_required,
                not_before=None if waiting is None else case.status_since + waiting,
            )
        )
    return tuple(found)
