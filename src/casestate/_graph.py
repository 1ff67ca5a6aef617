"""The workflow as a diagram, drawn by ``transitions``' own diagram extension from its machine's spec."""

from __future__ import annotations

import copy
from typing import Any, Literal, cast

from transitions.extensions.diagrams import GraphMachine
from transitions.extensions.states import Tags, add_state_features

from ._machine import machine_spec
from ._rules import Rule
from ._workflow import Workflow


def _styles_without_a_current_status() -> dict[str, Any]:
    styles = copy.deepcopy(GraphMachine.style_attributes)
    nodes = cast("dict[str, object]", styles["node"])
    nodes["active"] = nodes["default"]
    return styles


@add_state_features(Tags)
class _Drawing(GraphMachine):
    """A diagram machine that shows no status as a case's current one: a workflow has none."""

    style_attributes = _styles_without_a_current_status()


class _Model:
    """The one model a diagram machine needs to draw; it is never moved."""


def _label(workflow: Workflow, rule: Rule, newline: str) -> str:
    """A trigger with its guards in short: who, what evidence, what else.

    A withdrawal resumes the period before the report withdrawn, whatever its
    status; its arrow goes where it leads from the first period, and says so.
    """
    parts = [rule.trigger]
    if rule.withdraws:
        parts.append("(or back to the status before the report)")
    roles = "anyone" if rule.roles >= workflow.roles else ", ".join(sorted(rule.roles))
    if rule.reporter_may_fire:
        roles += " or reporter"
    parts.append(f"by {roles}")
    if rule.evidence is not None:
        parts.append(rule.evidence.describe())
    if rule.reason_required:
        parts.append("with a reason")
    if rule.waiting_period is not None:
        parts.append(f"after {rule.waiting_period.days} days")
    return newline.join(parts)


def _draw(workflow: Workflow, engine: Literal["mermaid", "graphviz"], newline: str) -> object:
    spec = machine_spec(workflow)
    states = [
        {
            "name": status.name,
            "tags": [
                *(["initial"] if status.name == workflow.initial else []),
                "keeps its fate" if status.fate is None else f"fate {status.fate}",
                *(["final"] if status.final else []),
            ],
        }
        for status in workflow.statuses
    ]
    transitions = [
        {**transition, "label": _label(workflow, rule, newline)}
        for transition, rule in zip(spec["transitions"], workflow.rules, strict=True)
    ]
    drawing = _Drawing(
        model=_Model(),
        states=states,
        transitions=transitions,
        initial=spec["initial"],
        auto_transitions=False,
        title=workflow.name,
        graph_engine=engine,
        show_conditions=False,
        show_state_attributes=True,
    )
    return drawing.models[0].get_graph()


def to_mermaid(workflow: Workflow) -> str:
    """The workflow as a Mermaid state diagram, drawn by ``transitions``.

    Each status shows its fate, each arrow its trigger and guards:

    >>> from casestate import DEFAULT_WORKFLOW
    >>> diagram = to_mermaid(DEFAULT_WORKFLOW)
    >>> "[*] --> missing" in diagram.splitlines()[-1]
    True
    """
    graph = _draw(workflow, "mermaid", "<br/>")
    text: str = graph.draw(None)  # type: ignore[attr-defined] # transitions' mermaid graph
    return text.rstrip("\n") + "\n"


def to_dot(workflow: Workflow) -> str:
    """The workflow as a Graphviz DOT digraph, drawn by ``transitions``.

    >>> from casestate import DEFAULT_WORKFLOW
    >>> to_dot(DEFAULT_WORKFLOW).startswith("digraph default {")
    True
    """
    graph = _draw(workflow, "graphviz", r"\n")
    text: str = graph.source  # type: ignore[attr-defined] # a graphviz Digraph
    return text.rstrip("\n") + "\n"
