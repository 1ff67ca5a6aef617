"""The compiled table: one answer to "from here, by this trigger: who, with what evidence, to where".

Built once per workflow from its definition and the ``transitions`` machine
that holds its transition table; the decision reads nothing else. Its size
grows with statuses plus rules, never with their product: a trigger that is
not legal from a status shares one entry for every such status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

import attrs

from ._change import DISMISS
from ._kinds import EvidenceKindDef, known_kinds
from ._machine import destinations
from ._reasons import DISMISSAL_NEEDS_REASON, reason_required
from ._status import Assurance, Fate, Whereabouts
from ._verdict import Outcome, Reason, Verdict
from ._words import Phrase
from ._writing import identity_of

if TYPE_CHECKING:
    from transitions import Machine

    from ._rules import Rule
    from ._soundness import Definition


@attrs.frozen(kw_only=True)
class Move:
    """A trigger seen from one status, where it is legal, or from every status where it is not."""

    trigger: str
    target: str | None
    """Where it leads; ``None`` where it is not legal."""
    rule: Rule | None
    """The rule it comes from, for what it says to people; ``None`` for a dismissal."""
    sources: frozenset[str]
    """The statuses it may be fired from."""
    roles: frozenset[str]
    reporter_may_fire: bool
    needs: frozenset[str] | None
    """Evidence kinds of which one piece is enough; ``None`` when no evidence is needed."""
    needs_said: Phrase
    """What evidence it needs, in words (empty when it needs none)."""
    reason_required: bool
    report: bool
    reported: str
    """The status a report claims (the rule's target): a report of it corroborates a case in it."""
    claimed: Fate | None
    """The fate it gives; ``None`` keeps the case's."""
    claimed_whereabouts: Whereabouts | None
    """Where it says the person or the remains are; ``None`` keeps the case's (and says nothing)."""
    waiting_period: timedelta | None
    reverts: bool
    withdraws: bool = False
    """With *reverts*: it resumes the period before the current one, whatever its status."""
    dismissal: bool = False
    """The dismissal of open conflicts: legal from every status, by who may settle conflicts."""
    fact: bool = False
    """It records a dated legal fact and moves nothing."""
    reason_refusal: Reason
    """Why a change of this move without a reason is refused (when it needs one)."""
    accepted: Mapping[tuple[Fate, Whereabouts], Verdict] = attrs.field(factory=dict)
    """For a legal move: its verdict by the fate and whereabouts the case gets, made once (values)."""


@attrs.frozen(kw_only=True)
class Table:
    """A workflow compiled for deciding: every move, by status and trigger."""

    name: str
    identity: str
    """The identity a case's opening entry records (see ``Workflow.identity``)."""
    initial: str
    initial_fate: Fate
    initial_whereabouts: Whereabouts
    roles: frozenset[str]
    dismiss_roles: frozenset[str]
    triggers: tuple[str, ...]
    """Every trigger, in definition order, ``dismiss`` last."""
    keeps_fate: frozenset[str]
    """The statuses with no fate of their own: they carry the fate they were entered with."""
    legal: dict[tuple[str, str], Move]
    """By (status, trigger): the moves that are legal from that status."""
    elsewhere: dict[str, Move]
    """By trigger: the move from any status it is not legal from (and the dismissal, from every status)."""
    kinds: Mapping[str, EvidenceKindDef]
    """Every kind of evidence the workflow knows, built in or declared, by name."""
    given: Mapping[str, Assurance]
    """By kind: the assurance one piece of it gives (nearly every change carries one)."""
    contradicting: Mapping[Fate, frozenset[str]]
    """By fate: the kinds that speak for another fate (none speak against an unknown one)."""
    attesting: frozenset[str]
    """The kinds that attest an event already past: none can be obtained before it."""

    def move(self, status: str, trigger: str) -> Move | None:
        """The move of *trigger* from *status*; ``None`` for a trigger the workflow does not know."""
        return self.legal.get((status, trigger)) or self.elsewhere.get(trigger)


_NOTHING = Phrase("")
"""What a move that needs no evidence says it needs."""


def _move(
    rule: Rule,
    target: str | None,
    fate_of: Mapping[str, Fate | None],
    whereabouts_of: Mapping[str, Whereabouts | None],
    kinds: Mapping[str, EvidenceKindDef],
) -> Move:
    needs = rule.evidence
    # The fate the rule gives: its own, or that of the status it leads to (None: the case keeps its own).
    claimed = rule.fate if rule.fate is not None else fate_of[rule.target]
    claimed_whereabouts = rule.whereabouts if rule.whereabouts is not None else whereabouts_of[rule.target]
    outcome = Outcome.FACT if rule.fact else Outcome.TRANSITION
    accepted = (
        {}
        if target is None
        else {
            (fate, whereabouts): Verdict(outcome, (), target, fate, whereabouts)
            for fate in Fate
            for whereabouts in Whereabouts
        }
    )
    return Move(
        trigger=rule.trigger,
        target=target,
        rule=rule,
        sources=rule.sources,
        roles=rule.roles,
        reporter_may_fire=rule.reporter_may_fire,
        needs=None
        if needs is None
        else frozenset(name for name, kind in kinds.items() if needs.accepts_kind(kind)),
        needs_said=_NOTHING if needs is None else needs.phrase(),
        reason_required=rule.reason_required,
        report=rule.report,
        reported=rule.target,
        claimed=claimed,
        claimed_whereabouts=claimed_whereabouts,
        waiting_period=rule.waiting_period,
        reverts=rule.reverts,
        withdraws=rule.withdraws,
        fact=rule.fact,
        reason_refusal=reason_required(rule.trigger),
        accepted=accepted,
    )


def _dismissal(dismiss_roles: frozenset[str]) -> Move:
    return Move(
        trigger=DISMISS,
        target=None,
        rule=None,
        sources=frozenset(),
        roles=dismiss_roles,
        reporter_may_fire=False,
        needs=None,
        needs_said=_NOTHING,
        reason_required=True,
        report=False,
        reported="",
        claimed=None,
        claimed_whereabouts=None,
        waiting_period=None,
        reverts=False,
        dismissal=True,
        reason_refusal=DISMISSAL_NEEDS_REASON,
    )


def compile_table(definition: Definition, machine: Machine) -> Table:
    """The table of a checked *definition*, its moves read out of *machine*."""
    fate_of = {status.name: status.fate for status in definition.statuses}
    whereabouts_of = {status.name: status.gives_whereabouts for status in definition.statuses}
    rules = {rule.trigger: rule for rule in definition.rules}
    kinds = known_kinds(definition.evidence_kinds)
    legal: dict[tuple[str, str], Move] = {}
    for (status, trigger), target in destinations(machine).items():
        legal[status, trigger] = _move(rules[trigger], target, fate_of, whereabouts_of, kinds)
    elsewhere = {rule.trigger: _move(rule, None, fate_of, whereabouts_of, kinds) for rule in definition.rules}
    elsewhere[DISMISS] = _dismissal(definition.dismiss_roles)
    initial_fate = fate_of[definition.initial]
    if initial_fate is None:  # pragma: no cover - the definition checks refuse it
        msg = "a workflow's initial status has a fate of its own"
        raise AssertionError(msg)
    return Table(
        name=definition.name,
        identity=identity_of(definition),
        initial=definition.initial,
        initial_fate=initial_fate,
        # An initial status that names none starts where nothing is known.
        initial_whereabouts=whereabouts_of[definition.initial] or Whereabouts.UNKNOWN,
        roles=definition.roles,
        dismiss_roles=definition.dismiss_roles,
        triggers=(*rules, DISMISS),
        keeps_fate=frozenset(name for name, fate in fate_of.items() if fate is None),
        legal=legal,
        elsewhere=elsewhere,
        kinds=kinds,
        given={name: Assurance.for_tier(kind.tier) for name, kind in kinds.items()},
        contradicting={
            fate: frozenset(
                name
                for name, kind in kinds.items()
                if fate is not Fate.UNKNOWN and kind.indicates is not None and kind.indicates is not fate
            )
            for fate in Fate
        },
        attesting=frozenset(name for name, kind in kinds.items() if kind.attests_past),
    )
