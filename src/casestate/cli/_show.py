"""``casestate show``: one case, where it stands and the trail that proves it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from casestate import Case, RecordError, Snapshot, Workflow, parse_timestamp, to_dict
from casestate.text import printable, storable_problem

from ._console import out
from ._options import format_option, key_option, load_workflow, read_key, workflow_option
from ._shown import masked, shown
from ._stores import StoreFault, opened_store


class Timestamp(click.ParamType):  # type: ignore[type-arg] # click's ParamType is generic only in its stubs
    """An ISO 8601 timestamp with an offset, read as change records read theirs."""

    name = "timestamp"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        """*value* as an aware datetime; a usage error naming the fault otherwise."""
        if isinstance(value, datetime):
            return value
        try:
            return parse_timestamp(str(value), param.name if param and param.name else "timestamp")
        except RecordError as error:
            self.fail(error.problem, param, ctx)


def _storable_case_id(_context: click.Context, _parameter: click.Parameter, value: str) -> str:
    # A command line of bytes that are not UTF-8 arrives with lone surrogates.
    problem = storable_problem(value)
    if problem is not None:
        raise click.BadParameter(f"{printable(value)} is {problem}")
    return value


def trail_table(case: Case) -> Table:
    """The trail as a table: one row per entry, oldest first."""
    table = Table(show_edge=False, pad_edge=False)
    for column in ("#", "kind", "trigger", "status", "fate", "assurance", "by", "effective", "recorded"):
        table.add_column(column, no_wrap=True)
    table.add_column("evidence / reason", overflow="fold", min_width=20)
    for entry in case.trail:
        actor = entry.actor
        said = ", ".join(kind.value for kind in entry.evidence_kinds)
        if entry.reason:
            said = f"{said}; {entry.reason}" if said else entry.reason
        if entry.codes:
            said = f"{said} [{', '.join(entry.codes)}]" if said else ", ".join(entry.codes)
        moved = (
            entry.to_status
            if entry.from_status in (None, entry.to_status)
            else f"{entry.from_status} -> {entry.to_status}"
        )
        by = f"{entry.role}: {'(redacted)' if actor is None else actor.id}"
        cells = (entry.kind.value, entry.trigger, moved, entry.fate.value, entry.assurance.value, by)
        table.add_row(
            str(entry.seq),
            *map(shown, cells),
            entry.effective_at.date().isoformat(),
            entry.recorded_at.date().isoformat(),
            shown(said),
        )
    return table


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def show_case(console: Console, case: Case, *, title: str = "", workflow: Workflow | None = None) -> None:
    """Where *case* stands, its open conflicts, and its trail; whether *workflow* opened it."""
    console.print(f"[bold]{shown(case.id)}[/bold]{title}")
    console.print(
        f"  status [bold]{shown(case.status)}[/bold], fate {case.fate}, assurance {case.assurance}, "
        f"since {_when(case.status_since)}, {case.version} entries"
    )
    if workflow is not None and opened_elsewhere(case, workflow):
        console.print(f"  [yellow]{shown(other_workflow(case, workflow))}[/yellow]")
    for entry in case.conflicts:
        codes = ", ".join(entry.codes)
        console.print(
            f"  [yellow]open conflict[/yellow]: entry {entry.seq}, {shown(entry.trigger)} by "
            f"{shown(entry.role)} ({codes})"
        )
    console.print(trail_table(case))


def opened_elsewhere(case: Case, workflow: Workflow) -> bool:
    """Whether *case* records that another workflow than *workflow* opened it."""
    return case.workflow is not None and case.workflow != workflow.identity


def other_workflow(case: Case, workflow: Workflow) -> str:
    """The flag of a case opened under another workflow than the one it is read under."""
    return (
        f"opened under workflow {case.workflow}, read here under {workflow.identity}: "
        "its trail records what that workflow allowed, which this one may not"
    )


def _snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "status": snapshot.status,
        "fate": snapshot.fate.value,
        "assurance": snapshot.assurance.value,
        "since": snapshot.since.isoformat(),
        "entry": snapshot.seq,
    }


@click.command()
@click.argument("case_id", callback=_storable_case_id)
@click.option("--store", required=True, metavar="PATH|URL", help="The store that holds the case.")
@click.option(
    "--as-of-recorded",
    type=Timestamp(),
    help="Show the case as it was known at this time (recorded clock): what did we know then?",
)
@click.option(
    "--as-of-effective",
    type=Timestamp(),
    help="Show where the case stood at this time (effective clock), as known now.",
)
@workflow_option
@key_option
@format_option
def show(
    *,
    case_id: str,
    store: str,
    as_of_recorded: datetime | None,
    as_of_effective: datetime | None,
    workflow_path: Path | None,
    key_file: Path | None,
    output_format: str,
) -> None:
    """Show a stored case: status, fate, assurance, open conflicts, and its trail as a table."""
    workflow = load_workflow(workflow_path)
    with opened_store(store, workflow, read_key(key_file)) as held:
        assert held is not None  # noqa: S101 - --store is required
        case = held.load_or_none(case_id)
    if case is None:
        raise StoreFault(f"no case {case_id!r} in {masked(store)}")
    title = ""
    if as_of_recorded is not None:
        known = case.known_at(as_of_recorded)
        if known is None:
            raise StoreFault(f"case {case_id!r} was not yet opened at {as_of_recorded.isoformat()}")
        case, title = known, f" as known at {as_of_recorded.isoformat()}"
    snapshot = None if as_of_effective is None else case.as_of_effective(as_of_effective)
    if output_format == "json":
        data: dict[str, Any] = {
            "status": case.status,
            "fate": case.fate.value,
            "assurance": case.assurance.value,
            "status_since": case.status_since.isoformat(),
            "open_conflicts": list(case.open_conflicts),
            "opened_under": case.workflow,
            "read_under": workflow.identity,
            "case": to_dict(case),
        }
        if as_of_effective is not None:
            data["as_of_effective"] = {
                "when": as_of_effective.isoformat(),
                "snapshot": None if snapshot is None else _snapshot_dict(snapshot),
            }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = out()
    show_case(console, case, title=title, workflow=workflow)
    if as_of_effective is not None:
        if snapshot is None:
            console.print(f"  at {as_of_effective.isoformat()}: the person was not yet missing")
        else:
            console.print(
                f"  at {as_of_effective.isoformat()} (effective clock): "
                f"[bold]{shown(snapshot.status)}[/bold], fate {snapshot.fate}, "
                f"assurance {snapshot.assurance}, since {_when(snapshot.since)} (entry {snapshot.seq})"
            )
