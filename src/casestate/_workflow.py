"""Workflow: statuses, rules and roles put together, checked when built, and what it does to cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Unpack

import attrs
from transitions import Machine

from ._actors import Actor
from ._apply import apply_change, open_case
from ._case import Case
from ._change import DISMISS, Change
from ._decide import Option, decide, options
from ._evidence import Evidence
from ._kinds import EvidenceKindDef
from ._machine import build_machine
from ._rules import Rule, RuleChanges, StatusDef, as_name, as_names
from ._soundness import WorkflowError, WorkflowWarning, hazards_of, problems_of, unknown, warn_of
from ._sources import resent, taken_in
from ._standing import Standing
from ._table import Table, compile_table
from ._time import to_utc
from ._verdict import Verdict


def _status_defs(value: Iterable[StatusDef]) -> tuple[StatusDef, ...]:
    return tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _kind_defs(value: Iterable[EvidenceKindDef]) -> tuple[EvidenceKindDef, ...]:
    """The declarations in the order of their names: the order they are given in decides nothing."""
    if isinstance(value, EvidenceKindDef | str):
        msg = "evidence_kinds must be a collection of EvidenceKindDef, not a single value"
        raise TypeError(msg)
    kinds = tuple(value)
    for kind in kinds:
        if not isinstance(kind, EvidenceKindDef):
            msg = f"evidence_kinds must hold EvidenceKindDef values, not {type(kind).__name__}"
            raise TypeError(msg)
    return tuple(sorted(kinds, key=lambda kind: str(kind.name)))


@attrs.frozen
class Workflow:
    """A checked workflow definition, and the operations on cases that follow it.

    Build one from :class:`StatusDef` and :class:`Rule` values, or derive one
    from :data:`casestate.DEFAULT_WORKFLOW` with :meth:`with_rules`,
    :meth:`replace_rule`, :meth:`extend`, :meth:`without_rules` and
    :meth:`with_roles`. Every fault in a definition is reported when it is
    built, as a :class:`WorkflowError`; so is every derived workflow, so add
    a new status together with the rules that reach and leave it
    (:meth:`extend`).

    *roles* are every role the workflow knows; *initial* is the status a case
    is opened in; *dismiss_roles* may dismiss conflicts; *evidence_kinds* are
    the kinds of evidence the app declares beside the built-in ones
    (:class:`EvidenceKindDef`; :meth:`with_evidence_kinds` adds some).

    One ``transitions`` machine per workflow holds the transition table and
    serves every case; cases are plain values.
    """

    name: str
    statuses: tuple[StatusDef, ...] = attrs.field(converter=_status_defs)
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    roles: frozenset[str] = attrs.field(converter=as_names)
    initial: str = attrs.field(converter=as_name)
    dismiss_roles: frozenset[str] = attrs.field(converter=as_names)
    description: str = ""
    evidence_kinds: tuple[EvidenceKindDef, ...] = attrs.field(default=(), converter=_kind_defs, kw_only=True)
    """The kinds of evidence this workflow declares, beside the built-in :class:`EvidenceKind` ones."""
    _status_by_name: dict[str, StatusDef] = attrs.field(init=False, eq=False, repr=False)
    _rule_by_trigger: dict[str, Rule] = attrs.field(init=False, eq=False, repr=False)
    _machine: Machine = attrs.field(init=False, eq=False, repr=False)
    _table: Table = attrs.field(init=False, eq=False, repr=False)
    warnings: tuple[WorkflowWarning, ...] = attrs.field(init=False, eq=False, repr=False)
    """Every rule that settles a status on too little evidence or standing (see :class:`WorkflowWarning`).

    Each was also issued with :func:`warnings.warn` when the workflow was
    built: an app that must not run such a workflow can refuse it here, or
    turn the warnings into errors.
    """

    def __attrs_post_init__(self) -> None:
        problems = problems_of(self)
        if problems:
            raise WorkflowError(self.name, problems)
        machine = build_machine(self)
        object.__setattr__(self, "_status_by_name", {s.name: s for s in self.statuses})
        object.__setattr__(self, "_rule_by_trigger", {r.trigger: r for r in self.rules})
        object.__setattr__(self, "_machine", machine)
        object.__setattr__(self, "_table", compile_table(self, machine))
        hazards = hazards_of(self)
        object.__setattr__(self, "warnings", hazards)
        warn_of(hazards)

    # -- looking things up ------------------------------------------------

    @property
    def machine(self) -> Machine:
        """The ``transitions`` machine holding this workflow's transition table."""
        return self._machine

    @property
    def identity(self) -> str:
        """The workflow's name and a digest of the rules that decide: what a case's trail records.

        A case's opening entry records the identity of the workflow that
        opened it (:attr:`Case.workflow <casestate.Case.workflow>`), so that
        a trail read later under another workflow can say so. Descriptions
        take no part; the order of rules does, as it orders the reasons a refusal names.
        """
        return self._table.identity

    @property
    def triggers(self) -> tuple[str, ...]:
        """Every trigger of the workflow, in definition order (``dismiss`` last)."""
        return (*(rule.trigger for rule in self.rules), DISMISS)

    def rule(self, trigger: str) -> Rule:
        """The rule of *trigger*; a :class:`WorkflowError` if there is none."""
        try:
            return self._rule_by_trigger[trigger]
        except KeyError:
            raise WorkflowError(
                self.name,
                [unknown("trigger", trigger, self._rule_by_trigger)],
                heading="has no such trigger",
            ) from None

    def get_rule(self, trigger: str) -> Rule | None:
        """The rule of *trigger*, or ``None`` if the workflow has none."""
        return self._rule_by_trigger.get(trigger)

    def status(self, name: str) -> StatusDef:
        """The definition of status *name*; a :class:`WorkflowError` if there is none."""
        try:
            return self._status_by_name[name]
        except KeyError:
            raise WorkflowError(
                self.name, [unknown("status", name, self._status_by_name)], heading="has no such status"
            ) from None

    @property
    def known_kinds(self) -> Mapping[str, EvidenceKindDef]:
        """Every kind of evidence the workflow knows, built in or declared, by name (a form's choices).

        >>> from casestate import DEFAULT_WORKFLOW, EvidenceKind
        >>> len(DEFAULT_WORKFLOW.known_kinds) == len(EvidenceKind)
        True
        """
        return self._table.kinds

    def evidence_kind(self, name: str) -> EvidenceKindDef:
        """The evidence kind *name*, built in or declared; a :class:`WorkflowError` for one it does not know.

        >>> from casestate import DEFAULT_WORKFLOW
        >>> DEFAULT_WORKFLOW.evidence_kind("capture_card").tier
        <Tier.OFFICIAL: 2>
        """
        try:
            return self._table.kinds[name]
        except (KeyError, TypeError):
            raise WorkflowError(
                self.name,
                [unknown("evidence kind", str(name), self._table.kinds)],
                heading="knows no such evidence kind",
            ) from None

    def target_of(self, status: str, trigger: str) -> str | None:
        """Where *trigger* leads from *status*, from the machine's own table."""
        move = self._table.legal.get((status, trigger))
        return None if move is None else move.target

    # -- deriving workflows -----------------------------------------------

    def extend(
        self,
        *,
        statuses: Iterable[StatusDef] = (),
        rules: Iterable[Rule] = (),
        roles: Iterable[str] = (),
        dismiss_roles: Iterable[str] | None = None,
        name: str | None = None,
    ) -> Workflow:
        """A new workflow with *statuses*, *rules* and *roles* added, checked as one definition.

        A status or rule replaces the one of the same name or trigger;
        *dismiss_roles*, when given, replaces who may dismiss conflicts. Add a
        status together with the rules that lead into and out of it, since
        each alone would be refused as unreachable or as a dead end:

        >>> from casestate import DEFAULT_WORKFLOW, EvidenceRule, Fate, Rule, StatusDef
        >>> mine = DEFAULT_WORKFLOW.extend(
        ...     name="with-release",
        ...     statuses=[StatusDef("released", Fate.ALIVE, final=True)],
        ...     rules=[Rule(trigger="release", sources={"captured"}, target="released", roles={"icrc"},
        ...                 evidence=EvidenceRule(kinds={"release_list"}))],
        ... )
        >>> mine.target_of("captured", "release")
        'released'
        """
        new_statuses = {status.name: status for status in statuses}
        kept_statuses = [new_statuses.pop(status.name, status) for status in self.statuses]
        new_rules = {rule.trigger: rule for rule in rules}
        kept_rules = [new_rules.pop(rule.trigger, rule) for rule in self.rules]
        return attrs.evolve(
            self,
            name=self.name if name is None else name,
            statuses=(*kept_statuses, *new_statuses.values()),
            rules=(*kept_rules, *new_rules.values()),
            roles=self.roles | as_names(roles),
            dismiss_roles=self.dismiss_roles if dismiss_roles is None else dismiss_roles,
        )

    def with_rules(self, *rules: Rule) -> Workflow:
        """A new workflow with *rules* added, each replacing the rule of the same trigger.

        The statuses and roles the rules name must already be in the workflow
        (see :meth:`extend` to add them together).
        """
        return self.extend(rules=rules)

    def without_rules(self, *triggers: str) -> Workflow:
        """A new workflow without the rules of *triggers* (each must exist)."""
        for trigger in triggers:
            self.rule(trigger)
        return attrs.evolve(self, rules=[rule for rule in self.rules if rule.trigger not in triggers])

    def replace_rule(self, trigger: str, **changes: Unpack[RuleChanges]) -> Workflow:
        """A new workflow whose rule for *trigger* has *changes* (fields of :class:`Rule`).

        >>> from casestate import DEFAULT_WORKFLOW
        >>> strict = DEFAULT_WORKFLOW.replace_rule("confirm", roles={"icrc", "court"})
        >>> sorted(strict.rule("confirm").roles)
        ['court', 'icrc']
        """
        return self.with_rules(attrs.evolve(self.rule(trigger), **changes))

    def with_statuses(self, *statuses: StatusDef) -> Workflow:
        """A new workflow with *statuses* added or replaced (see :meth:`extend` to add rules too)."""
        return self.extend(statuses=statuses)

    def with_roles(self, *roles: str) -> Workflow:
        """A new workflow that also knows *roles*."""
        return self.extend(roles=roles)

    def with_evidence_kinds(self, *kinds: EvidenceKindDef) -> Workflow:
        """A new workflow that also knows the kinds of evidence *kinds*, each replacing one of its name.

        A registry's own kinds count as the built-in ones do, by their tier
        and the fate they speak for; a rule may ask for them by name:

        >>> from casestate import DEFAULT_WORKFLOW, EvidenceKindDef, EvidenceRule, Fate, Tier
        >>> form_5 = EvidenceKindDef("unit_form_5", Tier.CIRCUMSTANTIAL, indicates=Fate.DEAD)
        >>> mine = DEFAULT_WORKFLOW.with_evidence_kinds(form_5)
        >>> mine.evidence_kind("unit_form_5").indicates
        <Fate.DEAD: 'dead'>
        >>> mine.identity != DEFAULT_WORKFLOW.identity
        True
        """
        new = {kind.name: kind for kind in kinds}
        kept = [new.pop(kind.name, kind) for kind in self.evidence_kinds]
        return attrs.evolve(self, evidence_kinds=(*kept, *new.values()))

    # -- operating on cases -----------------------------------------------

    def open(
        self,
        case_id: str,
        *,
        actor: Actor,
        effective_at: datetime,
        recorded_at: datetime,
        evidence: Iterable[Evidence] = (),
        reason: str | None = None,
        salt: bytes | None = None,
        key: bytes | None = None,
        now: datetime | None = None,
        follows: str | None = None,
        source_id: str | None = None,
    ) -> Case:
        """Open case *case_id* in the initial status; its first audit entry records who and when.

        *effective_at* is when the person went missing (last seen),
        *recorded_at* when the case holder opened the case. With *key*, the
        case's chain is sealed with it, and every later change needs it too.
        Leave *salt* to its default (fresh randomness), except to make
        hashes repeatable in an example or a test. With *now*, a time
        recorded after it is refused (a mistyped year would otherwise lock the
        case, as nothing may be recorded before it).

        A person who goes missing again (exchanged, sent back to the front,
        missing once more) gets a new case: *follows* names the case of the
        disappearance before, which stays as it was. The opening entry
        records it (:attr:`Case.follows`), and a store finds a person's
        episodes by it. *source_id* is the id the opening's source gave it
        (see :attr:`~casestate.Change.source_id`).

        Raises :class:`Rejected` for an actor whose role the workflow does not
        know, or an *effective_at* later than *recorded_at*; ``ValueError``
        for a *follows* that is not a case id, or is *case_id* itself.
        """
        return open_case(
            self._table,
            case_id,
            actor=actor,
            effective_at=effective_at,
            recorded_at=recorded_at,
            evidence=evidence,
            reason=reason,
            salt=salt,
            key=key,
            now=None if now is None else to_utc(now, "now"),
            follows=follows,
            source_id=source_id,
        )

    def check(self, case: Case | Standing, change: Change, *, now: datetime | None = None) -> Verdict:
        """What *change* would do to *case*: every reason it is refused, or what it becomes.

        *case* may also be where a case stands (a :class:`Standing`, as a
        :class:`Batch` keeps it), without its trail.

        Pure: the case is not touched. ``apply`` accepts exactly what this
        accepts (it also needs the case's key, when the case has one). With
        *now*, a change recorded after it is refused.

        A change whose source id the case has taken is
        :attr:`~casestate.Outcome.ALREADY_STORED` when it is the same change, and refused
        with :attr:`~casestate.Code.SOURCE_ID_REUSED` when it is not; a :class:`Standing`
        knows no source ids (a :class:`Batch` keeps its own).
        """
        if now is not None and (type(now) is not datetime or now.tzinfo is not UTC):  # UTC already, mostly
            now = to_utc(now, "now")
        source_id = change.source_id
        if source_id is not None and isinstance(case, Case):
            taken = taken_in(case, source_id)
            if taken is not None:
                return resent(case, change, taken, lambda: decide(self._table, case, change, now))
        return decide(self._table, case, change, now)

    def available(self, case: Case | Standing, actor: Actor) -> tuple[Option, ...]:
        """What *actor* may do next to *case*, and what each would need: the buttons of a form.

        Every trigger the actor's role (or, for a retraction, having made the
        current status's report) lets them fire from the case's status, in
        definition order, and ``dismiss`` when they may settle its open
        conflicts. A report that would be kept as a conflict is listed with
        that outcome, so that a form can say so before it is sent.

        >>> from datetime import datetime, UTC
        >>> from casestate import DEFAULT_WORKFLOW, Actor
        >>> unit = Actor("unit-3", "unit")
        >>> case = DEFAULT_WORKFLOW.open("ua-7", actor=unit, effective_at=datetime(2024, 3, 1, tzinfo=UTC),
        ...                              recorded_at=datetime(2024, 3, 2, tzinfo=UTC))
        >>> [(option.trigger, str(option.outcome)) for option in DEFAULT_WORKFLOW.available(case, unit)]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('report_captured', 'transition'), ('report_wounded', 'transition'), ('report_dead', 'transition'),
         ('report_missing', 'corroboration'), ('report_remains_held', 'transition')]
        """
        return options(self._table, case, actor)

    def apply(
        self, case: Case, change: Change, *, key: bytes | None = None, now: datetime | None = None
    ) -> Case:
        """*case* with *change* applied and one entry appended; :class:`Rejected` if refused.

        *key* must be the key the case was opened with (``None`` for a plain
        chain); any other raises ``ChainKeyError`` before anything is decided.
        The case given is left as it was either way (cases are values).

        A change the case holds already (its source id taken by the same
        change: ``check`` says :attr:`~casestate.Outcome.ALREADY_STORED`) appends
        nothing: the case given is returned.
        """
        return apply_change(self._table, case, change, key, None if now is None else to_utc(now, "now"))
