"""Workflow: statuses, rules and roles put together, checked when built, and what it does to cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Unpack

import attrs
from transitions import Machine

from ._actors import Actor
from ._case import Case
from ._change import DISMISS, OPEN, Change
from ._decide import plan_in_full
from ._engine import apply_change, open_case
from ._evidence import Evidence
from ._moves import Move, clear_move, compile_moves
from ._rules import Rule, RuleChanges, StatusDef, as_name, as_names
from ._status import Fate
from ._text import is_storable, unstorable
from ._time import to_utc
from ._verdict import Verdict


class WorkflowError(ValueError):
    """A workflow definition that cannot work; ``problems`` lists every fault found."""

    def __init__(self, name: str, problems: list[str], *, heading: str = "is not valid") -> None:
        self.workflow = name
        self.problems = tuple(problems)
        self._heading = heading
        if len(problems) == 1 and heading != "is not valid":
            super().__init__(f"workflow {name!r}: {problems[0]}")
        else:
            listed = "\n".join(f"  - {problem}" for problem in problems)
            super().__init__(f"workflow {name!r} {heading}:\n{listed}")

    def __reduce__(self) -> tuple[partial[WorkflowError], tuple[str, list[str]], dict[str, object]]:
        # Pickled by its fields, as its constructor takes them (and its notes): it crosses processes.
        return (
            partial(WorkflowError, heading=self._heading),
            (self.workflow, list(self.problems)),
            self.__dict__,
        )


def _status_defs(value: Iterable[StatusDef]) -> tuple[StatusDef, ...]:
    return tuple(value)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


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
    is opened in; *dismiss_roles* may dismiss conflicts.

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
    _status_by_name: dict[str, StatusDef] = attrs.field(init=False, eq=False, repr=False)
    _rule_by_trigger: dict[str, Rule] = attrs.field(init=False, eq=False, repr=False)
    _machine: Machine = attrs.field(init=False, eq=False, repr=False)
    _moves: dict[tuple[str, str], Move] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise WorkflowError(self.name, problems)
        machine = Machine(
            model=None,
            states=[status.name for status in self.statuses],
            transitions=[
                {"trigger": rule.trigger, "source": sorted(rule.sources), "dest": rule.target}
                for rule in self.rules
            ],
            initial=self.initial,
            auto_transitions=False,
        )
        object.__setattr__(self, "_status_by_name", {s.name: s for s in self.statuses})
        object.__setattr__(self, "_rule_by_trigger", {r.trigger: r for r in self.rules})
        object.__setattr__(self, "_machine", machine)
        moves = compile_moves(
            self.rules,
            self._status_by_name,
            initial=self.initial,
            roles=self.roles,
            dismiss_roles=self.dismiss_roles,
        )
        object.__setattr__(self, "_moves", moves)

    # -- looking things up ------------------------------------------------

    @property
    def machine(self) -> Machine:
        """The ``transitions`` machine holding this workflow's transition table."""
        return self._machine

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
                [_unknown("trigger", trigger, self._rule_by_trigger)],
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
                self.name, [_unknown("status", name, self._status_by_name)], heading="has no such status"
            ) from None

    def target_of(self, status: str, trigger: str) -> str | None:
        """Where *trigger* leads from *status*, from the machine's own table."""
        event = self._machine.events.get(trigger)
        if event is None:
            return None
        moves = event.transitions.get(status)
        return moves[0].dest if moves else None

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

        >>> from casestate import DEFAULT_WORKFLOW, Fate, Rule, StatusDef
        >>> mine = DEFAULT_WORKFLOW.extend(
        ...     name="with-release",
        ...     statuses=[StatusDef("released", Fate.ALIVE, final=True)],
        ...     rules=[Rule(trigger="release", sources={"captured"}, target="released", roles={"icrc"})],
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
    ) -> Case:
        """Open case *case_id* in the initial status; its first audit entry records who and when.

        *effective_at* is when the person went missing (last seen),
        *recorded_at* when the case holder opened the case. With *key*, the
        case's chain is sealed with it, and every later change needs it too.
        Leave *salt* to its default (fresh randomness), except to make
        hashes repeatable in an example or a test. With *now*, a time
        recorded after it is refused (a mistyped year would otherwise lock the
        case, as nothing may be recorded before it).

        Raises :class:`Rejected` for an actor whose role the workflow does not
        know, or an *effective_at* later than *recorded_at*.
        """
        return open_case(
            self,
            case_id,
            actor=actor,
            effective_at=effective_at,
            recorded_at=recorded_at,
            evidence=evidence,
            reason=reason,
            salt=salt,
            key=key,
            now=None if now is None else to_utc(now, "now"),
        )

    def check(self, case: Case, change: Change, *, now: datetime | None = None) -> Verdict:
        """What *change* would do to *case*: every reason it is refused, or what it becomes.

        Pure: the case is not touched. ``apply`` accepts exactly what this
        accepts (it also needs the case's key, when the case has one). With
        *now*, a change recorded after it is refused.
        """
        if now is not None and (type(now) is not datetime or now.tzinfo is not UTC):  # UTC already, mostly
            now = to_utc(now, "now")
        effect = clear_move(self._moves, case, change, now)
        if effect is not None:
            return effect.verdict
        return plan_in_full(self, case, change, now).verdict

    def apply(
        self, case: Case, change: Change, *, key: bytes | None = None, now: datetime | None = None
    ) -> Case:
        """*case* with *change* applied and one entry appended; :class:`Rejected` if refused.

        *key* must be the key the case was opened with (``None`` for a plain
        chain); any other raises ``ChainKeyError`` before anything is decided.
        The case given is left as it was either way (cases are values).
        """
        return apply_change(self, case, change, key, None if now is None else to_utc(now, "now"))


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    return f"unknown {what} {name!r}; known: {', '.join(sorted(known))}"


def _problems(workflow: Workflow) -> list[str]:  # noqa: C901, PLR0912 - one flat list of checks reads best
    problems: list[str] = []
    if not isinstance(workflow.name, str) or not workflow.name.strip():
        problems.append("the workflow needs a name")
    elif not is_storable(workflow.name):
        problems.append(f"the workflow's name is {unstorable(workflow.name)}")
    if isinstance(workflow.description, str) and not is_storable(workflow.description):
        problems.append(f"the workflow's description is {unstorable(workflow.description)}")
    names = [status.name for status in workflow.statuses]
    statuses = set(names)
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(f"status {name!r} is defined more than once")
    if workflow.initial not in statuses:
        problems.append(f"initial status {workflow.initial!r} is not defined")
    elif next(s for s in workflow.statuses if s.name == workflow.initial).fate is None:
        problems.append(f"initial status {workflow.initial!r} must have a fate of its own")
    if not workflow.roles:
        problems.append("the workflow names no roles")
    for role in sorted(workflow.dismiss_roles - workflow.roles):
        problems.append(f"dismiss_roles names unknown role {role!r}")
    if not workflow.dismiss_roles and any(rule.report for rule in workflow.rules):
        problems.append("dismiss_roles is empty, but reports can raise conflicts that someone must settle")
    triggers = [rule.trigger for rule in workflow.rules]
    for trigger in sorted({t for t in triggers if triggers.count(t) > 1}):
        problems.append(f"trigger {trigger!r} has more than one rule")
    for rule in workflow.rules:
        label = f"rule {rule.trigger!r}"
        if rule.trigger in (OPEN, DISMISS):
            problems.append(f"{label}: {rule.trigger!r} is reserved for casestate's own entries")
        if not rule.sources:
            problems.append(f"{label} has no source status")
        for source in sorted(rule.sources - statuses):
            problems.append(f"{label} names unknown source status {source!r}")
        if rule.target not in statuses:
            problems.append(f"{label} names unknown target status {rule.target!r}")
        if not rule.roles and not rule.reporter_may_fire:
            problems.append(f"{label} lets no role fire it")
        for role in sorted(rule.roles - workflow.roles):
            problems.append(f"{label} names unknown role {role!r}")
        if rule.waiting_period is not None and rule.waiting_period <= timedelta(0):
            problems.append(f"{label} has a waiting period that is not positive")
        needs = rule.evidence
        if needs is not None and needs.kinds is not None:
            if not needs.kinds:
                problems.append(f"{label} accepts no kind of evidence")
            elif all(kind.tier > needs.max_tier for kind in needs.kinds):
                problems.append(
                    f"{label} can never be satisfied: none of its evidence kinds is of tier "
                    f"{int(needs.max_tier)} or stronger"
                )
        target = next((status for status in workflow.statuses if status.name == rule.target), None)
        if rule.fate is not None and target is not None and target.fate not in (None, rule.fate):
            problems.append(
                f"{label} gives fate {rule.fate.value!r}, but status {rule.target!r} has fate {target.fate}"
            )
    if problems:
        return problems
    return _graph_problems(workflow)


def _graph_problems(workflow: Workflow) -> list[str]:  # noqa: C901, PLR0912 - one flat list of checks
    problems: list[str] = []
    by_name = {status.name: status for status in workflow.statuses}
    reachable = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        name = frontier.pop()
        for rule in workflow.rules:
            if name in rule.sources and rule.target not in reachable:
                reachable.add(rule.target)
                frontier.append(rule.target)
    for status in workflow.statuses:
        if status.name not in reachable:
            problems.append(f"status {status.name!r} cannot be reached from {workflow.initial!r}")
        leaving = [rule.trigger for rule in workflow.rules if status.name in rule.sources]
        if status.final and leaving:
            problems.append(f"final status {status.name!r} has a way out: {', '.join(leaving)}")
        if not status.final and not leaving:
            problems.append(f"status {status.name!r} has no way out; mark it final if that is meant")
    # Which fates can a case hold in each status? A status that carries its
    # fate must never be entered holding an unknown one.
    fates: dict[str, set[Fate]] = {name: set() for name in by_name}
    fates[workflow.initial].add(by_name[workflow.initial].fate or Fate.UNKNOWN)
    changed = True
    while changed:
        changed = False
        for rule in workflow.rules:
            own = rule.fate if rule.fate is not None else by_name[rule.target].fate
            for source in rule.sources:
                entering = {own} if own is not None else set(fates[source])
                if not entering <= fates[rule.target]:
                    fates[rule.target] |= entering
                    changed = True
    for rule in workflow.rules:
        if rule.fate is None and by_name[rule.target].fate is None:
            for source in sorted(rule.sources):
                if Fate.UNKNOWN in fates[source]:
                    problems.append(
                        f"rule {rule.trigger!r} enters {rule.target!r}, which keeps the fate it is "
                        f"entered with, from {source!r}, where the fate can be unknown; "
                        "give the rule a fate"
                    )
    return problems
