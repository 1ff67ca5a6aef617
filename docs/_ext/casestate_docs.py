"""Writes the parts of the docs that the code defines, at build time, so they cannot drift.

Directives, each rendering Markdown made from casestate itself:

- ``casestate-statuses`` and ``casestate-rules``: the tables of the default workflow;
- ``casestate-diagram``: the default workflow as a Mermaid diagram (:func:`casestate.to_mermaid`);
- ``casestate-evidence-kinds``: every evidence kind with its tier;
- ``casestate-schema NAME``: a shipped JSON Schema (:func:`casestate.json_schema`), as JSON;
- ``casestate-labels VOCABULARY``: every label of a vocabulary in each language casestate speaks,
  read from the compiled catalogs (:func:`casestate.text.labels`);
- ``casestate-code-descriptions``: every code's description in each language
  (:func:`casestate.text.describe`).

It also gives the re-exported constants of ``casestate`` and of its small public
modules the docstrings written beside them in their private modules, where
autodoc does not look, and each member of :class:`casestate.Code` its description.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

import casestate
from casestate import DEFAULT_WORKFLOW, Code, EvidenceKind, Tier, Workflow
from casestate.text import LOCALES, VOCABULARIES, describe, labels


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _names(names: frozenset[str], everyone: frozenset[str]) -> str:
    if names >= everyone:
        return "anyone registered"
    return ", ".join(f"`{name}`" for name in sorted(names))


def statuses_table(workflow: Workflow = DEFAULT_WORKFLOW) -> list[str]:
    """The statuses of *workflow* as a Markdown table."""
    lines = ["| status | fate | whereabouts | final | meaning |", "|---|---|---|---|---|"]
    for status in workflow.statuses:
        fate = "keeps the fate it is entered with" if status.fate is None else f"`{status.fate}`"
        place = "keeps those it is entered with" if status.whereabouts is None else f"`{status.whereabouts}`"
        final = "yes" if status.final else "no"
        lines.append(f"| `{status.name}` | {fate} | {place} | {final} | {_cell(status.description)} |")
    return lines


def rules_table(workflow: Workflow = DEFAULT_WORKFLOW) -> list[str]:
    """The rules of *workflow* as a Markdown table."""
    lines = [
        "| trigger | from | to | evidence it needs | who may fire it | also |",
        "|---|---|---|---|---|---|",
    ]
    for rule in workflow.rules:
        sources = ", ".join(f"`{source}`" for source in sorted(rule.sources))
        evidence = "none" if rule.evidence is None else rule.evidence.describe()
        who = _names(rule.roles, workflow.roles)
        if rule.reporter_may_fire:
            who += ", or the actor whose report entered the current status"
        also = []
        if rule.report:
            also.append("a report: kept as a conflict when it contradicts the case")
        if rule.reason_required:
            also.append("a written reason")
        if rule.fate is not None:
            also.append(f"sets the fate to `{rule.fate}`")
        if rule.whereabouts is not None:
            also.append(f"sets the whereabouts to `{rule.whereabouts}`")
        if rule.waiting_period is not None:
            also.append(f"{rule.waiting_period.days} days in the current status first")
        if rule.reverts:
            also.append("resumes the earlier period in the target status; the periods since become void")
        lines.append(
            f"| `{rule.trigger}` | {sources} | `{rule.target}` | {evidence} | {who} | "
            f"{_cell('; '.join(also)) or '-'} |"
        )
    dismiss_roles = _names(workflow.dismiss_roles, workflow.roles)
    lines.append(
        f"| `{casestate.DISMISS}` | any | unchanged | none | {dismiss_roles} | "
        "a written reason; names the conflicts it dismisses |"
    )
    return lines


def diagram(workflow: Workflow = DEFAULT_WORKFLOW) -> list[str]:
    """*workflow* as a MyST ``mermaid`` directive.

    Without the diagram's title block: MyST would read a ``---`` block at the
    start of a directive as its options, and the page names the workflow.
    """
    lines = casestate.to_mermaid(workflow).splitlines()
    if lines[0] == "---":
        lines = lines[lines.index("---", 1) + 1 :]
    return ["```{mermaid}", *lines, "```"]


def evidence_kinds_table() -> list[str]:
    """Every evidence kind with its tier, strongest first."""
    lines = ["| tier | name | kinds |", "|---|---|---|"]
    for tier in Tier:
        kinds = ", ".join(f"`{kind}`" for kind in EvidenceKind if kind.tier is tier)
        lines.append(f"| {int(tier)} | {tier.name.lower()} | {kinds} |")
    return lines


_LANGUAGES = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}


def labels_table(vocabulary: str) -> list[str]:
    """Every label of *vocabulary*, by name, in each language casestate speaks."""
    if vocabulary not in VOCABULARIES:
        known = ", ".join(VOCABULARIES)
        msg = f"casestate-labels: no vocabulary {vocabulary!r}; there are: {known}"
        raise ValueError(msg)
    said = {locale: labels(vocabulary, locale) for locale in LOCALES}  # type: ignore[arg-type]
    lines = ["| name | " + " | ".join(_LANGUAGES[locale] for locale in LOCALES) + " |"]
    lines.append("|---" * (len(LOCALES) + 1) + "|")
    for name in said["en"]:
        lines.append(f"| `{name}` | " + " | ".join(_cell(said[locale][name]) for locale in LOCALES) + " |")
    return lines


def descriptions_table() -> list[str]:
    """Every code's description in each language casestate speaks."""
    lines = ["| code | " + " | ".join(_LANGUAGES[locale] for locale in LOCALES) + " |"]
    lines.append("|---" * (len(LOCALES) + 1) + "|")
    for code in Code:
        lines.append(
            f"| `{code}` | " + " | ".join(_cell(describe(code, locale)) for locale in LOCALES) + " |"
        )
    return lines


def schema_block(name: str) -> list[str]:
    """The shipped JSON Schema *name* as a Markdown code block."""
    text = json.dumps(casestate.json_schema(name), indent=2, ensure_ascii=False)  # type: ignore[arg-type]
    return ["```json", *text.splitlines(), "```"]


def _named(make: Callable[[str], list[str]]) -> type[SphinxDirective]:
    class Generated(SphinxDirective):
        """Renders Markdown that casestate writes about the thing the directive's argument names."""

        required_arguments = 1
        final_argument_whitespace = True
        has_content = False

        def run(self) -> list[nodes.Node]:
            container = nodes.container()
            lines = StringList(make(self.arguments[0]), source="casestate")
            self.state.nested_parse(lines, self.content_offset, container)
            return container.children

    return Generated


def _directive(make: Callable[[], list[str]]) -> type[SphinxDirective]:
    class Generated(SphinxDirective):
        """Renders Markdown that casestate writes about itself."""

        has_content = False

        def run(self) -> list[nodes.Node]:
            container = nodes.container()
            self.state.nested_parse(StringList(make(), source="casestate"), self.content_offset, container)
            return container.children

    return Generated


@cache
def _constant_docs() -> dict[str, list[str]]:
    """The docstrings of module-level constants, by public name, from casestate's private modules.

    A constant is published by ``casestate`` or by one of its small public
    modules (``casestate.chain``, ``casestate.instants``, ``casestate.text``).
    """
    modules = pkgutil.iter_modules(casestate.__path__)
    homes = [casestate] + [
        importlib.import_module(f"casestate.{module.name}")
        for module in modules
        if not module.name.startswith("_") and not module.ispkg
    ]
    found: dict[str, list[str]] = {}
    for module in pkgutil.iter_modules(casestate.__path__):
        if not module.name.startswith("_"):
            continue
        name = f"casestate.{module.name}"
        importlib.import_module(name)
        for (scope, attribute), lines in ModuleAnalyzer.for_module(name).find_attr_docs().items():
            for home in homes:
                if not scope and attribute in home.__all__:
                    found[f"{home.__name__}.{attribute}"] = list(lines)
    return found


def _document_constants(
    _app: Sphinx, what: str, name: str, _obj: object, _options: object, lines: list[str]
) -> None:
    if what == "class" and name == "casestate.Code":
        # Each member with the description casestate.text gives it (the source gives none: one
        # definition, in casestate._language), as autodoc would document a member with a docstring.
        for code in Code:
            lines.extend(
                ["", f".. attribute:: {code.name}", f"   :value: {code.value!r}", "", f"   {describe(code)}"]
            )
        return
    if what != "data" or not name.startswith("casestate."):
        return
    docs = _constant_docs().get(name)
    if docs is not None:
        lines[:] = docs


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives and the docstring hook."""
    app.add_directive("casestate-statuses", _directive(statuses_table))
    app.add_directive("casestate-rules", _directive(rules_table))
    app.add_directive("casestate-diagram", _directive(diagram))
    app.add_directive("casestate-evidence-kinds", _directive(evidence_kinds_table))
    app.add_directive("casestate-schema", _named(schema_block))
    app.add_directive("casestate-labels", _named(labels_table))
    app.add_directive("casestate-code-descriptions", _directive(descriptions_table))
    app.connect("autodoc-process-docstring", _document_constants)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
