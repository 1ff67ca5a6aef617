"""The workflow compiled for the common case: one table lookup decides a clean change.

Most changes an app sees are clean: a legal move, a corroborating report or
a dismissal, by a permitted role, with enough evidence, in time order. For
these, :func:`clear_move` gives the answer from a table built once per
workflow, with no message built and no list made. Anything else (a
rejection, a conflict, a move that also settles conflicts) is not clear, and
the full decision in ``_decide`` handles it, naming every reason. A property
test holds the two equal on every change the fast path answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from ._change import DISMISS
from ._entry import EntryKind
from ._evidence import EvidenceKind, strongest_tier
from ._reasons import illegal_transition
from ._status import Assurance, Fate
from ._verdict import Outcome, Verdict

if TYPE_CHECKING:
    from ._change import Change
    from ._rules import Rule, StatusDef
    from ._standing import CaseState


@attrs.frozen
class Effect:
    """What a clear move does to a case of a given fate."""

    verdict: Verdict
    kind: EntryKind
    """The kind of entry it writes: ``TRANSITION`` for a legal move, ``CORROBORATION`` or
    ``CONFLICT`` for a report of what the case holds or contradicting it, ``DISMISSAL``."""
    fate: Fate
    """The fate afterwards."""
    contradicting: frozenset[EvidenceKind]
    """Evidence kinds that speak for another fate than :attr:`fate`: any of them makes the change unclear."""
    reverts: bool = False
    """Whether the move resumes the case's live period in its target (a retraction, a reopening)."""


@attrs.frozen(kw_only=True)
class Move:
    """A trigger fired from one status, with its guards flattened into sets."""

    roles: frozenset[str]
    """The roles that may fire it, among those the workflow knows."""
    reporter_roles: frozenset[str]
    """The roles in which the actor whose report entered the current status may fire it too:
    any the workflow knows when the rule lets the reporter fire it, else none."""
    needs: frozenset[EvidenceKind] | None
    """Evidence kinds of which one piece is enough; ``None`` when no evidence is needed."""
    reason_required: bool
    waiting_period: timedelta | None
    """For a legal move: the least time the case must have been in its status."""
    effects: Mapping[Fate, Effect]
    """By the case's fate before the change; a fate missing here makes the change unclear."""
    resumed_fate_varies: bool = False
    """For a move that resumes a period: whether that period's fate may differ from the move's own,
    so that the case's history must be read (only when entries into the target may carry another fate)."""


def compile_moves(
    rules: tuple[Rule, ...],
    statuses: Mapping[str, StatusDef],
    *,
    initial: str,
    roles: frozenset[str],
    dismiss_roles: frozenset[str],
) -> dict[tuple[str, str], Move]:
    """Every clear move of a workflow, by (status, trigger)."""
    moves: dict[tuple[str, str], Move] = {}
    entered_with = _fates_entered_with(rules, statuses, initial)
    for rule in rules:
        needs = None
        if rule.evidence is not None:
            needs = frozenset(kind for kind in EvidenceKind if rule.evidence.accepts_kind(kind))
        claimed = rule.fate if rule.fate is not None else statuses[rule.target].fate
        for status, definition in statuses.items():
            effects: dict[Fate, Effect] = {}
            if status in rule.sources:
                for fate in Fate:
                    after = claimed if claimed is not None else fate
                    verdict = Verdict(Outcome.TRANSITION, (), rule.target, after)
                    effects[fate] = Effect(
                        verdict, EntryKind.TRANSITION, after, _contradicting(after), rule.reverts
                    )
            elif rule.report:
                # A report not legal from here corroborates what the case holds, or
                # is kept as a conflict for a person to resolve.
                illegal = (illegal_transition(rule.trigger, status, rule.sources),)
                against_claim = frozenset() if claimed is None else _contradicting(claimed)
                for fate in Fate:
                    if rule.target == status or (definition.fate is None and claimed is fate):
                        verdict = Verdict(Outcome.CORROBORATION, (), status, fate)
                        effects[fate] = Effect(verdict, EntryKind.CORROBORATION, fate, _contradicting(fate))
                    else:
                        verdict = Verdict(Outcome.CONFLICT, illegal, status, fate)
                        effects[fate] = Effect(verdict, EntryKind.CONFLICT, fate, against_claim)
            else:
                continue
            moves[status, rule.trigger] = Move(
                roles=rule.roles & roles,
                reporter_roles=roles if rule.reporter_may_fire else frozenset(),
                needs=needs,
                reason_required=rule.reason_required,
                waiting_period=rule.waiting_period,
                effects=effects,
                resumed_fate_varies=rule.reverts
                and (claimed is None or entered_with[rule.target] != {claimed}),
            )
    for status in statuses:
        dismissed = {
            fate: Effect(Verdict(Outcome.DISMISSAL, (), status, fate), EntryKind.DISMISSAL, fate, frozenset())
            for fate in Fate
        }
        moves[status, DISMISS] = Move(
            roles=dismiss_roles & roles,
            reporter_roles=frozenset(),
            needs=None,
            reason_required=True,
            waiting_period=None,
            effects=dismissed,
        )
    return moves


def _fates_entered_with(
    rules: tuple[Rule, ...], statuses: Mapping[str, StatusDef], initial: str
) -> dict[str, set[Fate | None]]:
    """The fates each status can be entered with (``None``: whatever fate the case had)."""
    entered: dict[str, set[Fate | None]] = {status: set() for status in statuses}
    entered[initial].add(statuses[initial].fate)
    for rule in rules:
        entered[rule.target].add(rule.fate if rule.fate is not None else statuses[rule.target].fate)
    return entered


def _contradicting(fate: Fate) -> frozenset[EvidenceKind]:
    if fate is Fate.UNKNOWN:
        return frozenset()
    return frozenset(kind for kind in EvidenceKind if kind.indicates is not None and kind.indicates != fate)


def clear_move(  # noqa: C901, PLR0911, PLR0912 - every guard inline: this runs for every change
    moves: Mapping[tuple[str, str], Move], case: CaseState, change: Change, now: datetime | None
) -> Effect | None:
    """The effect of *change* when it is clearly accepted; ``None`` when the full decision must say."""
    move = moves.get((case.status, change.trigger))
    if move is None:
        return None
    actor = change.actor
    role = actor.role
    if role not in move.roles and not (role in move.reporter_roles and case.reporter_id == actor.id):
        return None
    effect = move.effects.get(case.fate)
    if effect is None:
        return None
    kind = effect.kind
    resolves = change.resolves
    if kind is EntryKind.DISMISSAL:
        if not resolves:
            return None
        conflicts = case.open_conflicts
        for seq in resolves:
            if seq not in conflicts:
                return None
    elif resolves:
        return None  # a move that also settles conflicts takes the full decision's care
    recorded = change.recorded_at
    effective = change.effective_at
    if effective > recorded or recorded < case.last_recorded_at or (now is not None and recorded > now):
        return None
    contradicting = effect.contradicting
    for item in change.evidence:
        if item.obtained_at > recorded or item.kind in contradicting:
            return None
    needs = move.needs
    if needs is not None:
        for item in change.evidence:
            if item.kind in needs:
                break
        else:
            return None
    if move.reason_required and change.reason is None:
        return None
    if kind is EntryKind.TRANSITION or kind is EntryKind.CONFLICT:
        since = case.status_since
        if effective < since:
            return None  # a fact from before the current status: the full rules name it
    if kind is EntryKind.TRANSITION:
        waiting = move.waiting_period
        if waiting is not None and effective - case.status_since < waiting:
            return None
        if move.resumed_fate_varies:
            resumed = case.live_period(effect.verdict.target or "")
            if resumed is not None and resumed.fate is not effect.fate:
                return None  # the period resumes with its own fate, which the evidence must not contradict
    return effect


_GIVEN_BY_KIND = {kind: Assurance.for_tier(kind.tier) for kind in EvidenceKind}
"""The assurance one piece of evidence of each kind gives: nearly every change carries one."""


def assurance_of(change: Change, effect: Effect, case: CaseState) -> Assurance:
    """The assurance a clear change of *effect* leaves the case with (but see ``plan`` for a retraction)."""
    kind = effect.kind
    if kind is EntryKind.DISMISSAL or kind is EntryKind.CONFLICT:
        return case.assurance
    evidence = change.evidence
    if len(evidence) == 1:
        given = _GIVEN_BY_KIND[evidence[0].kind]
    else:
        given = Assurance.for_tier(strongest_tier(evidence))
    if kind is EntryKind.TRANSITION:
        return given
    held = case.assurance
    return held if held is given else held.stronger(given)
