"""Whether a workflow definition can work: every fault found at once, before any case meets it."""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import timedelta
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Protocol

import attr

from ._actors import Role
from ._change import DISMISS, OPEN
from ._errors import CasestateError
from ._evidence import EvidenceKind, Tier
from ._kinds import EvidenceKindDef, known_kinds
from ._rules import EvidenceRule, Rule, StatusDef
from ._status import Fate
from ._text import is_storable, unstorable


class WorkflowError(CasestateError, ValueError):
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


class Hazard(StrEnum):
    """How a workflow that works can still settle a person's fate on too little (:class:`WorkflowWarning`)."""

    SETTLED_WITHOUT_OFFICIAL_EVIDENCE = "settled_without_official_evidence"
    """A rule that establishes a status (neither a report nor a retraction) needs no evidence,
    or accepts evidence weaker than an official document (tier 2)."""
    SETTLED_BY_NON_AUTHORITY = "settled_by_non_authority"
    """A rule that establishes a status may be fired by a family, an NGO or a unit, or by
    whoever made the report the case stands on."""


class WorkflowWarning(CasestateError, UserWarning):
    """A workflow that works, but lets a rule settle a status on too little.

    Issued with :func:`warnings.warn` when the workflow is built, and kept on
    it (:attr:`Workflow.warnings <casestate.Workflow.warnings>`), so that an
    app can list them or refuse such a workflow; *hazard* says which danger,
    *trigger* which rule.
    """

    def __init__(self, workflow: str, trigger: str, hazard: Hazard, detail: str) -> None:
        self.workflow = workflow
        self.trigger = trigger
        self.hazard = hazard
        self.detail = detail
        super().__init__(f"workflow {workflow!r}: rule {trigger!r} {detail} ({hazard})")

    def __reduce__(self) -> tuple[type[WorkflowWarning], tuple[str, str, Hazard, str], dict[str, object]]:
        # Pickled by its fields, as its constructor takes them: it crosses processes with its workflow.
        return (WorkflowWarning, (self.workflow, self.trigger, self.hazard, self.detail), self.__dict__)


_INSIDE = (str(Path(__file__).parent), str(Path(attr.__file__).parent), "<attrs")
"""Where the frames that build a workflow live: casestate, attrs (evolve), attrs' generated code."""


def warn_of(hazards: Iterable[WorkflowWarning]) -> None:
    """Issue each of *hazards* with :func:`warnings.warn`, at the app's line that built the workflow."""
    level = 1
    frame = sys._getframe(1)  # noqa: SLF001 - the one way to find the first frame outside casestate
    while frame is not None and frame.f_code.co_filename.startswith(_INSIDE):
        level += 1
        frame = frame.f_back  # type: ignore[assignment] # None ends the loop
    for hazard in hazards:
        warnings.warn(hazard, stacklevel=level + 1)


_RESERVED = frozenset({"*", "="})
"""Status names the ``transitions`` machine reads as wildcards, never as statuses."""

_NOT_AUTHORITIES = frozenset({Role.FAMILY, Role.NGO, Role.UNIT})
"""The roles of the default vocabulary that report, but do not establish, a fate."""


def _weakest_counted(needs: EvidenceRule, kinds: Mapping[str, EvidenceKindDef]) -> Tier:
    """The weakest tier of evidence that *needs* counts: its own bound, or its weakest kind's."""
    if needs.kinds is None:
        return needs.max_tier
    tiers = (kinds[kind].tier for kind in needs.kinds)
    return max((tier for tier in tiers if tier <= needs.max_tier), default=needs.max_tier)


def hazards_of(workflow: Definition) -> tuple[WorkflowWarning, ...]:
    """The rules of a sound *workflow* that settle a status on too little evidence or standing.

    A rule settles when it is neither a report (kept as a conflict when it
    contradicts the case) nor a retraction: ``confirm``, ``declare_dead``,
    ``repatriate``. Roles an app names itself are its own business; those of
    the default vocabulary that report without standing (family, NGO, unit)
    are flagged.
    """
    found: list[WorkflowWarning] = []
    kinds = known_kinds(workflow.evidence_kinds)
    for rule in workflow.rules:
        if rule.report or rule.reverts:
            continue
        settles = f"records the fact {rule.trigger!r}" if rule.fact else f"establishes {rule.target!r}"
        needs = rule.evidence
        if needs is None or _weakest_counted(needs, kinds) > Tier.OFFICIAL:
            weakest = "no evidence" if needs is None else needs.describe()
            found.append(
                WorkflowWarning(
                    workflow.name,
                    rule.trigger,
                    Hazard.SETTLED_WITHOUT_OFFICIAL_EVIDENCE,
                    f"{settles} on {weakest}",
                )
            )
        lay = sorted(rule.roles & _NOT_AUTHORITIES)
        if lay or rule.reporter_may_fire:
            who = ", ".join([*lay, *(["the reporter"] if rule.reporter_may_fire else [])])
            found.append(
                WorkflowWarning(
                    workflow.name,
                    rule.trigger,
                    Hazard.SETTLED_BY_NON_AUTHORITY,
                    f"{settles} and may be fired by {who}",
                )
            )
    return tuple(found)


class Definition(Protocol):
    """The parts of a workflow definition the checks read."""

    @property
    def name(self) -> str:
        """The workflow's name."""

    @property
    def description(self) -> str:
        """The workflow in words."""

    @property
    def statuses(self) -> tuple[StatusDef, ...]:
        """Every status, in definition order."""

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in definition order."""

    @property
    def roles(self) -> frozenset[str]:
        """Every role the workflow knows."""

    @property
    def initial(self) -> str:
        """The status a case is opened in."""

    @property
    def dismiss_roles(self) -> frozenset[str]:
        """Who may dismiss conflicts."""

    @property
    def evidence_kinds(self) -> tuple[EvidenceKindDef, ...]:
        """The kinds of evidence the workflow declares, beside the built-in ones."""


def unknown(what: str, name: str, known: Iterable[str]) -> str:
    return f"unknown {what} {name!r}; known: {', '.join(sorted(known))}"


def problems_of(workflow: Definition) -> list[str]:  # noqa: C901, PLR0912, PLR0915 - one flat list of checks reads best
    """Every fault of *workflow*'s definition, in the order a reader meets them.

    Each check reads the definition once, with the statuses found by name:
    a definition of 10,000 statuses is checked as fast as it is read.
    """
    problems: list[str] = []
    if not isinstance(workflow.name, str) or not workflow.name.strip():
        problems.append("the workflow needs a name")
    elif not is_storable(workflow.name):
        problems.append(f"the workflow's name is {unstorable(workflow.name)}")
    if isinstance(workflow.description, str) and not is_storable(workflow.description):
        problems.append(f"the workflow's description is {unstorable(workflow.description)}")
    by_name = _first_by_name(workflow.statuses)
    statuses = frozenset(by_name)
    for name in _repeated(status.name for status in workflow.statuses):
        problems.append(f"status {name!r} is defined more than once")
    for status in workflow.statuses:
        if status.name in _RESERVED:
            # transitions reads "=" as "the source itself" and "*" as "every status".
            problems.append(f"status {status.name!r} is a name the state machine reserves: rename it")
    initial = by_name.get(workflow.initial)
    if initial is None:
        problems.append(f"initial status {workflow.initial!r} is not defined")
    elif initial.fate is None:
        problems.append(f"initial status {workflow.initial!r} must have a fate of its own")
    if not workflow.roles:
        problems.append("the workflow names no roles")
    for role in sorted(workflow.dismiss_roles - workflow.roles):
        problems.append(f"dismiss_roles names unknown role {role!r}")
    if not workflow.dismiss_roles and any(rule.report for rule in workflow.rules):
        problems.append("dismiss_roles is empty, but reports can raise conflicts that someone must settle")
    for trigger in _repeated(rule.trigger for rule in workflow.rules):
        problems.append(f"trigger {trigger!r} has more than one rule")
    for kind in _repeated(kind.name for kind in workflow.evidence_kinds):
        problems.append(f"evidence kind {kind!r} is declared more than once")
    for declared in workflow.evidence_kinds:
        if type(declared.name) is EvidenceKind:
            problems.append(f"evidence kind {str(declared.name)!r} is built in: its tier and fate are fixed")
    kinds = known_kinds(workflow.evidence_kinds)
    for rule in workflow.rules:
        label = f"rule {rule.trigger!r}"
        if rule.trigger in (OPEN, DISMISS):
            problems.append(f"{label}: {rule.trigger!r} is reserved for casestate's own entries")
        if not rule.sources:
            problems.append(f"{label} has no source status")
        for source in sorted(rule.sources - statuses):
            problems.append(f"{label} names unknown source status {source!r}")
        target = by_name.get(rule.target)
        if target is None:
            problems.append(f"{label} names unknown target status {rule.target!r}")
        if not rule.roles and not rule.reporter_may_fire:
            problems.append(f"{label} lets no role fire it")
        for role in sorted(rule.roles - workflow.roles):
            problems.append(f"{label} names unknown role {role!r}")
        if rule.waiting_period is not None and rule.waiting_period <= timedelta(0):
            problems.append(f"{label} has a waiting period that is not positive")
        if rule.evidence is not None:
            problems.extend(_evidence_problems(label, rule.evidence, kinds))
        if rule.fate is not None and target is not None and target.fate not in (None, rule.fate):
            problems.append(
                f"{label} gives fate {rule.fate.value!r}, but status {rule.target!r} has fate {target.fate}"
            )
        if rule.fact:
            problems.extend(_fact_problems(label, rule))
        if rule.withdraws and not rule.reverts:
            problems.append(f"{label} withdraws a report, so it must revert too")
        said = rule.whereabouts
        if said is not None and target is not None and target.whereabouts not in (None, said):
            problems.append(
                f"{label} gives whereabouts {said.value!r}, but status {rule.target!r} "
                f"has whereabouts {target.whereabouts}"
            )
    if problems:
        return problems
    return _graph_problems(workflow, by_name)


def _fact_problems(label: str, rule: Rule) -> list[str]:
    """A fact is recorded in one status and moves nothing: no report, resumption, fate or place of its own."""
    problems = []
    if rule.sources != {rule.target}:
        problems.append(f"{label} records a fact, so its sources must be its target alone")
    given = [
        name
        for name, value in (
            ("report", rule.report),
            ("reverts", rule.reverts),
            ("fate", rule.fate is not None),
            ("whereabouts", rule.whereabouts is not None),
        )
        if value
    ]
    if given:
        problems.append(f"{label} records a fact, which cannot also give {', '.join(given)}")
    return problems


def _evidence_problems(label: str, needs: EvidenceRule, kinds: Mapping[str, EvidenceKindDef]) -> list[str]:
    """Why the evidence a rule asks for can never be given, wholly or in part."""
    if needs.kinds is None:
        return []
    if not needs.kinds:
        return [f"{label} accepts no kind of evidence"]
    unknown_kinds = sorted(needs.kinds - kinds.keys())
    if unknown_kinds:
        named = ", ".join(unknown_kinds)
        return [f"{label} names evidence kinds neither built in nor declared by the workflow: {named}"]
    weaker = sorted(kind for kind in needs.kinds if kinds[kind].tier > needs.max_tier)
    if len(weaker) == len(needs.kinds):
        tier = int(needs.max_tier)
        return [f"{label} can never be satisfied: none of its evidence kinds is of tier {tier} or stronger"]
    if weaker:
        named = ", ".join(weaker)
        return [f"{label} names evidence kinds weaker than tier {int(needs.max_tier)}, never enough: {named}"]
    return []


def _first_by_name(statuses: Iterable[StatusDef]) -> dict[str, StatusDef]:
    """Each status by its name; of a name defined twice (a fault named apart), the first."""
    by_name: dict[str, StatusDef] = {}
    for status in statuses:
        by_name.setdefault(status.name, status)
    return by_name


def _repeated(names: Iterable[str]) -> list[str]:
    """The names given more than once, sorted."""
    return sorted(name for name, count in Counter(names).items() if count > 1)


def _graph_problems(workflow: Definition, by_name: dict[str, StatusDef]) -> list[str]:  # noqa: C901 - one flat list of checks
    """The faults of a definition whose names all resolve: what cannot be reached, left, or given a fate."""
    problems: list[str] = []
    # Each rule once per source: every walk below follows these lists, never the whole rule set.
    rules_from: dict[str, list[Rule]] = {name: [] for name in by_name}
    for rule in workflow.rules:
        for source in rule.sources:
            rules_from[source].append(rule)
    reachable = _reachable(workflow.initial, rules_from)
    for status in workflow.statuses:
        if status.name not in reachable:
            problems.append(f"status {status.name!r} cannot be reached from {workflow.initial!r}")
        # A fact moves nothing: it is no way out.
        leaving = [rule.trigger for rule in rules_from[status.name] if not rule.fact]
        if status.final and leaving:
            problems.append(f"final status {status.name!r} has a way out: {', '.join(leaving)}")
        if not status.final and not leaving:
            problems.append(f"status {status.name!r} has no way out; mark it final if that is meant")
    fates = _fates_held(workflow, by_name, rules_from)
    for rule in workflow.rules:
        if rule.fate is None and by_name[rule.target].fate is None and not rule.fact:
            for source in sorted(rule.sources):
                if Fate.UNKNOWN in fates[source]:
                    problems.append(
                        f"rule {rule.trigger!r} enters {rule.target!r}, which keeps the fate it is "
                        f"entered with, from {source!r}, where the fate can be unknown; "
                        "give the rule a fate"
                    )
    return problems


def _reachable(initial: str, rules_from: dict[str, list[Rule]]) -> set[str]:
    """The statuses a case opened in *initial* can come to."""
    reachable = {initial}
    frontier = [initial]
    while frontier:
        for rule in rules_from[frontier.pop()]:
            if rule.target not in reachable:
                reachable.add(rule.target)
                frontier.append(rule.target)
    return reachable


def _fates_held(
    workflow: Definition, by_name: dict[str, StatusDef], rules_from: dict[str, list[Rule]]
) -> dict[str, set[Fate]]:
    """The fates a case can hold in each status.

    A status that carries its fate must never be entered holding an unknown
    one. Fates spread along the rules that keep them; a status is walked
    again only when its set grows, which happens at most once per fate.
    """
    fates: dict[str, set[Fate]] = {name: set() for name in by_name}
    grown: list[str] = []

    def enter(status: str, entering: set[Fate]) -> None:
        if not entering <= fates[status]:
            fates[status] |= entering
            grown.append(status)

    enter(workflow.initial, {by_name[workflow.initial].fate or Fate.UNKNOWN})
    for rule in workflow.rules:
        own = rule.fate if rule.fate is not None else by_name[rule.target].fate
        if own is not None and rule.sources:
            enter(rule.target, {own})
    while grown:
        source = grown.pop()
        for rule in rules_from[source]:
            if rule.fate is None and by_name[rule.target].fate is None:
                enter(rule.target, fates[source])
    return fates
