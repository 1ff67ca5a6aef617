"""The parts of a workflow definition: statuses, rules and what evidence a rule needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TypedDict

import attrs

from ._evidence import Evidence, EvidenceKind, Tier, evidence_kinds
from ._kinds import BUILT_IN_KINDS, EvidenceKindDef
from ._status import Fate, Whereabouts
from ._text import MAX_NAME, check_identifier, flag_field, storable_field
from ._words import Names, Phrase, said


def as_name(value: str) -> str:
    """A plain string: enum members would reach ``transitions`` as their upper-case names."""
    check_identifier(value, "a name", MAX_NAME)
    return str(value)


def as_names(value: Iterable[str]) -> frozenset[str]:
    """A set of names; a lone string is refused, as it would split into letters."""
    if isinstance(value, str):
        msg = f"expected a collection of names, got the single string {value!r}"
        raise TypeError(msg)
    return frozenset(as_name(item) for item in value)


def _kinds(value: Iterable[EvidenceKind | str] | None) -> frozenset[EvidenceKind | str] | None:
    return None if value is None else evidence_kinds(value)


@attrs.frozen
class EvidenceRule:
    """What evidence a trigger needs: at least one piece that is strong enough.

    A piece counts when its tier is *max_tier* or stronger and, if *kinds* is
    given, its kind is one of them.

    >>> rule = EvidenceRule(max_tier=Tier.OFFICIAL)
    >>> rule.describe()
    'evidence of tier 2 or stronger'
    """

    max_tier: Tier = attrs.field(default=Tier.UNVERIFIED, converter=Tier)
    kinds: frozenset[EvidenceKind | str] | None = attrs.field(default=None, converter=_kinds)
    """The kinds of which one piece will do (``None``: any): built-in ones, or kinds the workflow declares."""

    def accepts(self, evidence: Evidence) -> bool:
        """Whether this one piece of *evidence*, of a built-in kind, is enough.

        The tier of a kind a workflow declares is the workflow's: ask
        ``rule.accepts_kind(workflow.evidence_kind(evidence.kind))``.
        """
        kind = BUILT_IN_KINDS.get(evidence.kind)
        if kind is None:
            msg = (
                f"{evidence.kind!r} is not a built-in evidence kind: its tier is its workflow's "
                "(rule.accepts_kind(workflow.evidence_kind(kind)))"
            )
            raise ValueError(msg)
        return self.accepts_kind(kind)

    def accepts_kind(self, kind: EvidenceKind | EvidenceKindDef) -> bool:
        """Whether one piece of evidence of *kind* is enough (the tier of evidence is its kind's)."""
        if kind.tier > self.max_tier:
            return False
        return self.kinds is None or (kind if isinstance(kind, EvidenceKind) else kind.name) in self.kinds

    def describe(self) -> str:
        """The requirement in words, for messages and docs."""
        return self.phrase().english

    def phrase(self) -> Phrase:
        """The requirement as a phrase, for messages in any language (see ``casestate.text``)."""
        if self.kinds is not None:
            # A declared kind's tier is its workflow's, which refuses one too weak for its rule.
            kinds = tuple(sorted(kind for kind in self.kinds if _tier(kind) <= self.max_tier))
            return Phrase(
                said("evidence of kind {kinds}"), (("kinds", Names("evidence kind", kinds, either=True)),)
            )
        if self.max_tier is Tier.UNVERIFIED:
            return Phrase(said("evidence of any tier"))
        return Phrase(said("evidence of tier {tier} or stronger"), (("tier", int(self.max_tier)),))


def _tier(kind: EvidenceKind | str) -> Tier:
    built_in = BUILT_IN_KINDS.get(kind)
    return Tier.IDENTIFICATION if built_in is None else built_in.tier


ANY_EVIDENCE = EvidenceRule()
"""At least one piece of evidence, of any tier (a video is enough to report)."""


WHEREABOUTS_BY_NAME: dict[str, Whereabouts] = {
    "missing": Whereabouts.UNKNOWN,
    "captured": Whereabouts.HELD,
    "repatriated": Whereabouts.HOME,
}
"""Where a status named as one of the default workflow's puts a case when it names no whereabouts.

So a definition written before whereabouts existed (its ``captured`` says
none) keeps a prisoner ``held``, as entries written then are read.
"""


@attrs.frozen
class StatusDef:
    """One status of a workflow.

    *fate* is the fate a case has in this status; ``None`` means the status
    carries the fate of the status it was entered from (as ``confirmed`` and
    ``repatriated`` do). *whereabouts* is the same for where the person or
    the remains are: ``captured`` says *held*, ``wounded`` carries what it
    was entered with. A *final* status has no way out.
    """

    name: str = attrs.field(converter=as_name)
    fate: Fate | None = attrs.field(default=None, converter=attrs.converters.optional(Fate))
    final: bool = attrs.field(default=False, validator=flag_field)
    description: str = attrs.field(default="", validator=storable_field)
    whereabouts: Whereabouts | None = attrs.field(
        default=None, converter=attrs.converters.optional(Whereabouts), kw_only=True
    )

    @property
    def gives_whereabouts(self) -> Whereabouts | None:
        """The whereabouts a case takes on entering this status; ``None``: it keeps those it had.

        The status's own, or for one that names none but is named as the
        default workflow's ``missing``, ``captured`` or ``repatriated``,
        theirs (:data:`WHEREABOUTS_BY_NAME`).

        >>> StatusDef("captured", Fate.ALIVE).gives_whereabouts
        <Whereabouts.HELD: 'held'>
        """
        return self.whereabouts if self.whereabouts is not None else WHEREABOUTS_BY_NAME.get(self.name)


@attrs.frozen(kw_only=True)
class Rule:
    """One trigger: where it may be fired from, where it leads, and its guards.

    - *sources*: the statuses it may be fired from; *target*: where it leads.
    - *roles*: who may fire it; with *reporter_may_fire*, also the actor whose
      change entered the current status (to retract their own report).
    - *evidence*: ``None`` for none needed, else an :class:`EvidenceRule`.
    - *reason_required*: the change must carry a written reason.
    - *report*: a report that is not legal from the current status (or is
      about a time before it took effect) is kept as a conflict instead of
      rejected, and a report of the status the case is already in is kept as
      a corroboration.
    - *fate*: the fate the case gets; ``None`` takes the target's own fate or,
      for a status that carries its fate, keeps the case's.
    - *whereabouts*: the same for where the person or the remains are
      (a handover of remains from ``dead`` says *home*).
    - *waiting_period*: the least time the case must have been in its status
      (by the effective clock) before this trigger may fire.
    - *reverts*: the trigger withdraws what came since the case was last in
      the target status (a retraction, a reopening): that earlier period
      resumes as it stood, from when it began, with the fate and assurance
      it had, and the periods since become void.
    - *withdraws*: with *reverts*, the trigger withdraws the report that began
      the current status, and the period before it resumes, whatever its
      status: a death reported of a prisoner, withdrawn, leaves him the
      prisoner he was. *target* is where it leads when the current period is
      the first (and what a diagram draws).
    - *fact*: the rule records a dated legal fact on the case and moves
      nothing (a court recognising the person as missing): its *sources* are
      the one status it may be recorded in, its *target* that same status.
      Legal timers may count from it (``Timer(since_fact=...)``).
    - *description*: the rule in words, for people.
    """

    trigger: str = attrs.field(converter=as_name)
    sources: frozenset[str] = attrs.field(converter=as_names)
    target: str = attrs.field(converter=as_name)
    roles: frozenset[str] = attrs.field(converter=as_names)
    evidence: EvidenceRule | None = None
    reason_required: bool = attrs.field(default=False, validator=flag_field)
    report: bool = attrs.field(default=False, validator=flag_field)
    fate: Fate | None = attrs.field(default=None, converter=attrs.converters.optional(Fate))
    waiting_period: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(timedelta))
    )
    reporter_may_fire: bool = attrs.field(default=False, validator=flag_field)
    reverts: bool = attrs.field(default=False, validator=flag_field)
    description: str = attrs.field(default="", validator=storable_field)
    whereabouts: Whereabouts | None = attrs.field(
        default=None, converter=attrs.converters.optional(Whereabouts)
    )
    fact: bool = attrs.field(default=False, validator=flag_field)
    withdraws: bool = attrs.field(default=False, validator=flag_field)


class RuleChanges(TypedDict, total=False):
    """The fields of a :class:`Rule` that :meth:`Workflow.replace_rule` may change."""

    sources: Iterable[str]
    target: str
    roles: Iterable[str]
    evidence: EvidenceRule | None
    reason_required: bool
    report: bool
    fate: Fate | None
    waiting_period: timedelta | None
    reporter_may_fire: bool
    reverts: bool
    description: str
    whereabouts: Whereabouts | None
    fact: bool
    withdraws: bool
