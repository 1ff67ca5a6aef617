"""``casestate graph``: the workflow as a diagram, or as its definition file."""

from __future__ import annotations

from pathlib import Path

import click

from casestate import to_dot, to_mermaid, workflow_to_json

from ._options import load_workflow, workflow_option

_WRITERS = {"mermaid": to_mermaid, "dot": to_dot, "json": workflow_to_json}


@click.command()
@workflow_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(_WRITERS)),
    default="mermaid",
    show_default=True,
    help="mermaid or dot for a diagram; json for the definition file (a start for your own).",
)
def graph(workflow_path: Path | None, output_format: str) -> None:
    """Print the workflow (the default, or one from --workflow) as Mermaid, Graphviz DOT or JSON."""
    click.echo(_WRITERS[output_format](load_workflow(workflow_path)), nl=False)
