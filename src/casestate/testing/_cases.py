"""Strategies for whole cases, their trails, and workflow definitions."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import timedelta

import attrs
from hypothesis import strategies as st

from casestate import (
    BUILT_IN_KINDS,
    DEFAULT_WORKFLOW,
    EVERYONE,
    Case,
    Entry,
    EvidenceKindDef,
    EvidenceRule,
    Fate,
    Rule,
    StatusDef,
    Tier,
    Whereabouts,
    Workflow,
    WorkflowWarning,
)

from ._attempts import attempts
from ._values import actors, evidence, gaps, instants, obtained_by, texts


@st.composite
def opened_cases(
    draw: st.DrawFn,
    workflow: Workflow = DEFAULT_WORKFLOW,
    *,
    key: bytes | None = None,
    case_ids: st.SearchStrategy[str] | None = None,
) -> Case:
    """Freshly opened cases of *workflow*, sealed with *key* when one is given."""
    effective = draw(instants())
    recorded = effective + draw(gaps())
    return workflow.open(
        draw(case_ids if case_ids is not None else texts(max_size=16)),
        actor=draw(actors(workflow.roles)),
        effective_at=effective,
        recorded_at=recorded,
        evidence=obtained_by(
            draw(st.lists(evidence(known=workflow.known_kinds), max_size=2)),
            recorded,
            effective,
            workflow.known_kinds,
        ),
        reason=draw(st.none() | texts()),
        key=key,
    )


@st.composite
def cases(
    draw: st.DrawFn,
    workflow: Workflow = DEFAULT_WORKFLOW,
    *,
    key: bytes | None = None,
    max_changes: int = 8,
    case_ids: st.SearchStrategy[str] | None = None,
) -> Case:
    """Cases of *workflow* after up to *max_changes* changes (the refused ones left out).

    >>> import casestate
    >>> from hypothesis import given, settings
    >>> @given(cases(max_changes=4))
    ... @settings(max_examples=5)
    ... def test_every_case_verifies(case):
    ...     assert casestate.verify(case.trail).ok
    >>> test_every_case_verifies()
    """
    case = draw(opened_cases(workflow, key=key, case_ids=case_ids))
    if not workflow.rules:  # nothing to attempt: a case of such a workflow stays as it was opened
        return case
    for _ in range(draw(st.integers(0, max_changes))):
        change = draw(attempts(workflow, case)).change
        if workflow.check(case, change).ok:
            case = workflow.apply(case, change, key=key)
    return case


def trails(
    workflow: Workflow = DEFAULT_WORKFLOW, *, key: bytes | None = None, max_changes: int = 8
) -> st.SearchStrategy[tuple[Entry, ...]]:
    """The audit trails of :func:`cases`."""
    return cases(workflow, key=key, max_changes=max_changes).map(lambda case: case.trail)


_NAMES = st.text(
    alphabet=st.characters(categories=["Ll", "Lu", "Nd"], include_characters="_-"), min_size=1, max_size=10
)
_CUSTOM_ROLES = ("registrar", "hotline", "prosecutor")


@st.composite
def evidence_rules(
    draw: st.DrawFn, known: Mapping[str, EvidenceKindDef] = BUILT_IN_KINDS
) -> EvidenceRule | None:
    """Evidence requirements: none, a tier, or a set of kinds of those *known* (always one kind that fits)."""
    if draw(st.booleans()):
        return None
    max_tier = draw(st.sampled_from(Tier))
    if draw(st.booleans()):
        return EvidenceRule(max_tier=max_tier)
    fitting = sorted(name for name, kind in known.items() if kind.tier <= max_tier)
    declared = [name for name in fitting if name not in BUILT_IN_KINDS]
    # A declared kind now and then, among the thirty built-in ones it would be drawn next to never.
    pick_declared: bool = bool(declared) and draw(st.booleans())
    chosen = declared if pick_declared else fitting
    kinds = draw(st.lists(st.sampled_from(chosen), min_size=1, max_size=4, unique=True))
    return EvidenceRule(max_tier=max_tier, kinds=kinds)


@st.composite
def declared_kinds(draw: st.DrawFn) -> tuple[EvidenceKindDef, ...]:
    """Kinds of evidence a workflow declares: none to two, of every tier, fate and attestation."""
    count = draw(st.integers(0, 2))
    return tuple(
        EvidenceKindDef(
            f"own_kind_{index}",
            draw(st.sampled_from(Tier)),
            indicates=draw(st.none() | st.sampled_from([Fate.ALIVE, Fate.DEAD])),
            attests_past=draw(st.booleans()),
        )
        for index in range(count)
    )


@st.composite
def workflows(draw: st.DrawFn, *, max_statuses: int = 6) -> Workflow:
    """Valid workflow definitions of every shape.

    Statuses that carry their fate or not, that name whereabouts or carry
    them, final ones, reports, legal facts, waiting
    periods, reporters who may retract, rules that resume an earlier period,
    custom roles.

    Every status is reachable and every non-final status has a way out, so
    the definition builds; a rule entering a status that keeps the fate it
    is entered with gets a fate of its own wherever the fate could be unknown.
    """
    count = draw(st.integers(2, max_statuses))
    names = draw(st.lists(_NAMES, min_size=count, max_size=count, unique=True))
    roles = frozenset(
        draw(st.lists(st.sampled_from(sorted(EVERYONE | set(_CUSTOM_ROLES))), min_size=1, unique=True))
    )
    places = st.none() | st.sampled_from(Whereabouts)
    statuses = [StatusDef(names[0], draw(st.sampled_from(Fate)), whereabouts=draw(places))]
    for name in names[1:]:
        statuses.append(
            StatusDef(
                name,
                draw(st.none() | st.sampled_from(Fate)),
                final=draw(st.integers(0, 3)) == 0,
                whereabouts=draw(places),
            )
        )
    final = {status.name for status in statuses if status.final}
    movable = [name for name in names if name not in final]
    # Edges: one into every status from an earlier, non-final one (reachability),
    # one out of every non-final status (a way out), then a few more.
    edges: set[tuple[str, str]] = set()
    for index, name in enumerate(names[1:], start=1):
        edges.add((draw(st.sampled_from([n for n in names[:index] if n not in final])), name))
    for name in movable:
        if not any(source == name for source, _ in edges):
            edges.add((name, draw(st.sampled_from(names))))
    edges |= set(draw(st.lists(st.tuples(st.sampled_from(movable), st.sampled_from(names)), max_size=4)))
    by_target: dict[str, set[str]] = {}
    for source, target in sorted(edges):
        by_target.setdefault(target, set()).add(source)
    groups: list[tuple[frozenset[str], str]] = []
    for target, sources in sorted(by_target.items()):
        ordered = sorted(sources)
        cut = draw(st.integers(0, len(ordered) - 1)) if len(ordered) > 1 else 0
        parts = [ordered[: cut or len(ordered)], ordered[cut:] if cut else []]
        groups.extend((frozenset(part), target) for part in parts if part)
    own = {status.name: status.fate for status in statuses}
    placed = {status.name: status.whereabouts for status in statuses}
    evidence_kinds = draw(declared_kinds())
    known = {**BUILT_IN_KINDS, **{kind.name: kind for kind in evidence_kinds}}
    rules = [
        draw(
            _rules_for(
                index,
                sources,
                target,
                roles,
                known,
                target_fate=own[target],
                target_whereabouts=placed[target],
            )
        )
        for index, (sources, target) in enumerate(groups)
    ]
    rules = _give_fates(statuses, rules, names[0], draw(st.sampled_from([Fate.ALIVE, Fate.DEAD])))
    # Now and then a dated legal fact, recorded in one status.
    for index, recorded_in in enumerate(draw(st.lists(st.sampled_from(names), max_size=2, unique=True))):
        rules.append(draw(_fact_for(len(rules) + index, recorded_in, roles, known)))
    name = draw(_NAMES)
    # Someone must be able to settle the conflicts reports raise.
    dismiss_roles = draw(
        st.lists(
            st.sampled_from(sorted(roles)), min_size=int(any(rule.report for rule in rules)), unique=True
        )
    )
    # Lax workflows are shapes too: their hazards are on Workflow.warnings, not a test failure.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkflowWarning)
        return Workflow(
            name=name,
            statuses=statuses,
            rules=rules,
            roles=roles,
            initial=names[0],
            dismiss_roles=dismiss_roles,
            evidence_kinds=evidence_kinds,
        )


@st.composite
def _rules_for(  # noqa: PLR0917 - a rule's place in the definition, by position
    draw: st.DrawFn,
    index: int,
    sources: frozenset[str],
    target: str,
    roles: frozenset[str],
    known: Mapping[str, EvidenceKindDef],
    *,
    target_fate: Fate | None,
    target_whereabouts: Whereabouts | None,
) -> Rule:
    reporter_may_fire = draw(st.booleans())
    allowed = draw(
        st.lists(st.sampled_from(sorted(roles)), min_size=0 if reporter_may_fire else 1, unique=True)
    )
    return Rule(
        trigger=f"{draw(_NAMES)}_{index}",
        sources=sources,
        target=target,
        roles=allowed,
        evidence=draw(evidence_rules(known)),
        reason_required=draw(st.booleans()),
        report=draw(st.booleans()),
        # A rule may name a fate only where its target keeps the one it is given.
        fate=draw(st.none() | st.sampled_from([Fate.ALIVE, Fate.DEAD])) if target_fate is None else None,
        waiting_period=draw(
            st.none() | st.timedeltas(min_value=timedelta(days=1), max_value=timedelta(days=200))
        ),
        reporter_may_fire=reporter_may_fire,
        # Now and then a rule that resumes the period its target last began, or, withdrawing the
        # current report, the period before it.
        reverts=(reverts := draw(st.integers(0, 3)) == 0),
        withdraws=reverts and draw(st.booleans()),
        # As for a fate: a rule names whereabouts only where its target has none of its own.
        whereabouts=draw(st.none() | st.sampled_from(Whereabouts)) if target_whereabouts is None else None,
    )


@st.composite
def _fact_for(
    draw: st.DrawFn, index: int, status: str, roles: frozenset[str], known: Mapping[str, EvidenceKindDef]
) -> Rule:
    return Rule(
        trigger=f"{draw(_NAMES)}_fact_{index}",
        sources={status},
        target=status,
        roles=draw(st.lists(st.sampled_from(sorted(roles)), min_size=1, unique=True)),
        evidence=draw(evidence_rules(known)),
        reason_required=draw(st.booleans()),
        waiting_period=draw(
            st.none() | st.timedeltas(min_value=timedelta(days=1), max_value=timedelta(days=200))
        ),
        fact=True,
    )


def _give_fates(statuses: list[StatusDef], rules: list[Rule], initial: str, known: Fate) -> list[Rule]:
    """*rules*, each entering a fate-keeping status from where the fate may be unknown given *known*."""
    own = {status.name: status.fate for status in statuses}
    fates: dict[str, set[Fate]] = {name: set() for name in own}
    fates[initial].add(own[initial] or Fate.UNKNOWN)
    changed = True
    while changed:
        changed = False
        for rule in rules:
            given = rule.fate or own[rule.target]
            for source in rule.sources:
                entering = {given} if given is not None else set(fates[source])
                if not entering <= fates[rule.target]:
                    fates[rule.target] |= entering
                    changed = True
    fixed = []
    for rule in rules:
        unknown = any(Fate.UNKNOWN in fates[source] for source in rule.sources)
        if rule.fate is None and own[rule.target] is None and unknown:
            fixed.append(attrs.evolve(rule, fate=known))
        else:
            fixed.append(rule)
    return fixed
