"""The workflow as a diagram: Mermaid and Graphviz DOT text, made from the definition."""

from __future__ import annotations

import json

from ._rules import Rule
from ._workflow import Workflow


def _label(workflow: Workflow, rule: Rule) -> str:
    """A trigger with its guards in short: who, what evidence, what else."""
    parts = [rule.trigger]
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
    return "\\n".join(parts)


def to_mermaid(workflow: Workflow) -> str:
    """The workflow as a Mermaid state diagram.

    >>> from casestate import DEFAULT_WORKFLOW
    >>> print(to_mermaid(DEFAULT_WORKFLOW).splitlines()[1])
        [*] --> missing
    """
    lines = ["stateDiagram-v2", f"    [*] --> {workflow.initial}"]
    for rule in workflow.rules:
        label = _label(workflow, rule).replace("\\n", "<br/>")
        lines.extend(f"    {source} --> {rule.target}: {label}" for source in sorted(rule.sources))
    for status in workflow.statuses:
        fate = "keeps its fate" if status.fate is None else f"fate {status.fate}"
        lines.append(f"    {status.name}: {status.name} ({fate})")
        if status.final:
            lines.append(f"    {status.name} --> [*]")
    return "\n".join(lines) + "\n"


def to_dot(workflow: Workflow) -> str:
    """The workflow as a Graphviz DOT digraph.

    >>> from casestate import DEFAULT_WORKFLOW
    >>> to_dot(DEFAULT_WORKFLOW).startswith('digraph "default" {')
    True
    """
    quote = json.dumps  # DOT's double-quoted strings escape like JSON's for these names
    lines = [f"digraph {quote(workflow.name)} {{", "    rankdir=LR;", "    node [shape=box, style=rounded];"]
    for status in workflow.statuses:
        fate = "keeps its fate" if status.fate is None else f"fate {status.fate}"
        shape = ", peripheries=2" if status.final else ""
        lines.append(f"    {quote(status.name)} [label={quote(status.name + chr(10) + fate)}{shape}];")
    lines.append(f'    "__start__" [shape=point]; "__start__" -> {quote(workflow.initial)};')
    for rule in workflow.rules:
        label = quote(_label(workflow, rule)).replace("\\\\n", "\\n")
        lines.extend(
            f"    {quote(source)} -> {quote(rule.target)} [label={label}];" for source in sorted(rule.sources)
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
