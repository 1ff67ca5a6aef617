"""The casestate command line: ``casestate demo`` and the integrators' commands."""

from __future__ import annotations

import tempfile
from pathlib import Path

try:
    import click
    from rich.console import Console
    from rich.table import Table
except ImportError as missing:  # pragma: no cover - only without the extra
    msg = "the casestate command line needs its extra: pip install 'casestate[cli]'"
    raise SystemExit(msg) from missing

from casestate import to_json

from ._graph import graph
from ._stories import Told, tell_all
from ._trails import export, verify
from ._validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casestate")
def main() -> None:
    """casestate: the status workflow of missing persons' cases, with a tamper-evident trail."""


def _show(console: Console, told: Told) -> None:
    case = told.case
    console.print(f"\n[bold]{case.id}[/bold]: {told.story.summary}")
    table = Table(show_edge=False, pad_edge=False)
    for column in ("#", "kind", "trigger", "from", "to", "fate", "assurance", "role", "effective"):
        table.add_column(column)
    for entry in case.trail:
        table.add_row(
            str(entry.seq),
            entry.kind.value,
            entry.trigger,
            entry.from_status or "",
            entry.to_status,
            entry.fate.value,
            entry.assurance.value,
            entry.role,
            entry.effective_at.date().isoformat(),
        )
    console.print(table)
    for rejection in told.refused:
        for reason in rejection.reasons:
            console.print(f"  refused: [red]{reason.code}[/red]: {reason.message}")
    conflicts = f", open conflicts: {list(case.open_conflicts)}" if case.has_conflict else ""
    console.print(
        f"  now: [bold]{case.status}[/bold], fate {case.fate}, assurance {case.assurance}{conflicts}"
    )


@main.command()
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the sample cases to (default: a new temporary folder).",
)
def demo(path: Path | None) -> None:
    """Build sample cases from realistic stories and show what happened to each."""
    console = Console(highlight=False)
    folder = path if path is not None else Path(tempfile.mkdtemp(prefix="casestate-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    for told in tell_all():
        _show(console, told)
        (folder / f"{told.case.id}.json").write_text(to_json(told.case, indent=2), encoding="utf-8")
    console.print(f"\nThe cases, with their verified trails, are in {folder}")


main.add_command(validate)
main.add_command(graph)
main.add_command(export)
main.add_command(verify)
