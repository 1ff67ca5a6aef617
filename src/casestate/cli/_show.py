"""``casestate show``: one case, where it stands and the trail that proves it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from casestate import Case, Entry, RecordError, Snapshot, Workflow, parse_timestamp, to_dict
from casestate.text import printable, storable_problem

from ._console import out
from ._options import format_option, key_option, load_workflow, read_key, workflow_option
from ._shown import masked, plain, shown
from ._stores import StoreFault, opened_store
from ._times import UTC_ZONE, Zone, zone_option


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


_TABLE_COLUMNS = ("#", "change", "status", "fate", "by", "effective", "recorded")
"""The trail's columns but the last, evidence and reason, which takes the width left."""
_LEAST_SAID = 16
"""The least width of the evidence column: narrower, the trail is shown as a list."""


def _moved(entry: Entry) -> tuple[str, str]:
    """Where *entry* left the case, and where from (empty when the status stayed)."""
    if entry.from_status in (None, entry.to_status):
        return entry.to_status, ""
    return entry.to_status, f"from {entry.from_status}"


def _said(entry: Entry) -> str:
    """The entry's evidence kinds, reason and conflict codes, in words."""
    said = ", ".join(kind.value for kind in entry.evidence_kinds)
    if entry.reason:
        said = f"{said}; {entry.reason}" if said else entry.reason
    if entry.codes:
        said = f"{said} [{', '.join(entry.codes)}]" if said else ", ".join(entry.codes)
    return said


def _actor(entry: Entry) -> str:
    actor = entry.actor
    return "(redacted)" if actor is None else actor.id


def trail_table(case: Case, zone: Zone = UTC_ZONE) -> Table:
    """The trail as a table: one row of two lines per entry, oldest first; evidence and reason wrap.

    Every column but the last is as wide as its widest line, never cut; the
    table is as wide as they are with the evidence column at its least.
    """
    rows = []
    for entry in case.trail:
        status, whence = _moved(entry)
        rows.append(
            (
                str(entry.seq),
                f"{entry.trigger}\n{entry.kind.value}",
                f"{status}\n{whence}",
                f"{entry.fate.value}\n{entry.assurance.value}",
                f"{entry.role}\n{_actor(entry)}",
                f"{zone.day(entry.effective_at)}\n{zone.time(entry.effective_at)}",
                f"{zone.day(entry.recorded_at)}\n{zone.time(entry.recorded_at)}",
            )
        )
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for index, column in enumerate(_TABLE_COLUMNS):
        lines = [column, *(line for row in rows for line in plain(row[index]).split("\n"))]
        table.add_column(column, no_wrap=True, min_width=max(map(cell_len, lines)))
    table.add_column("evidence / reason", overflow="fold", min_width=_LEAST_SAID, ratio=1)
    for row, entry in zip(rows, case.trail, strict=True):
        table.add_row(*map(shown, row), shown(_said(entry)))
    return table


def trail_list(case: Case, zone: Zone = UTC_ZONE) -> Group:
    """The trail as a list, for a narrow terminal: a few short lines per entry, oldest first."""
    lines: list[Text] = []
    for entry in case.trail:
        status, whence = _moved(entry)
        moved = f"{whence} -> {status}".removeprefix("from ") if whence else status
        lines.append(
            Text.from_markup(
                f"[bold]{entry.seq}[/bold] {shown(entry.trigger)} ({entry.kind.value}): [bold]{shown(moved)}"
                f"[/bold], fate {entry.fate.value}, {entry.assurance.value}"
            )
        )
        lines.append(Text(f"   by {plain(entry.role)}: {plain(_actor(entry))}"))
        lines.append(
            Text(f"   effective {zone.when(entry.effective_at)}, recorded {zone.when(entry.recorded_at)}")
        )
        said = _said(entry)
        if said:
            lines.append(Text(f"   {plain(said)}"))
    return Group(*lines)


def trail_view(console: Console, case: Case, zone: Zone = UTC_ZONE) -> RenderableType:
    """The trail as a table where the terminal is wide enough for it, else as a list."""
    table = trail_table(case, zone)
    unbounded = console.options.update_width(1_000_000)  # measured as it would be, not as it must fit
    if Measurement.get(console, unbounded, table).minimum <= console.width:
        return table
    return trail_list(case, zone)


def show_case(
    console: Console,
    case: Case,
    *,
    title: str = "",
    workflow: Workflow | None = None,
    zone: Zone = UTC_ZONE,
    answer: str | None = None,
) -> None:
    """Where *case* stands (after the *answer* to an as-of question), its open conflicts, its trail."""
    console.print(f"[bold]{shown(case.id)}[/bold]{title}")
    if answer is not None:
        console.print(answer)
    now = "now: " if answer is not None else ""
    console.print(
        f"  {now}status [bold]{shown(case.status)}[/bold], fate {case.fate}, "
        f"assurance {case.assurance}, since {zone.when(case.status_since)}, {case.version} entries"
    )
    if workflow is not None and opened_elsewhere(case, workflow):
        console.print(f"  [yellow]{shown(other_workflow(case, workflow))}[/yellow]")
    for entry in case.conflicts:
        codes = ", ".join(entry.codes)
        console.print(
            f"  [yellow]open conflict[/yellow]: entry {entry.seq}, {shown(entry.trigger)} by "
            f"{shown(entry.role)} ({codes})"
        )
    console.print(trail_view(console, case, zone))


def opened_elsewhere(case: Case, workflow: Workflow) -> bool:
    """Whether *case* records that another workflow than *workflow* opened it."""
    return case.workflow is not None and case.workflow != workflow.identity


def other_workflow(case: Case, workflow: Workflow) -> str:
    """The flag of a case opened under another workflow than the one it is read under."""
    return (
        f"opened under workflow {case.workflow}, read here under {workflow.identity}: "
        "its trail records what that workflow allowed, which this one may not"
    )


def _snapshot_dict(snapshot: Snapshot, zone: Zone) -> dict[str, Any]:
    return {
        "status": snapshot.status,
        "fate": snapshot.fate.value,
        "assurance": snapshot.assurance.value,
        "since": zone.stamp(snapshot.since),
        "entry": snapshot.seq,
    }


@click.command()
@click.argument("case_id", callback=_storable_case_id)
@click.option("--store", required=True, metavar="PATH|URL", help="The store that holds the case.")
@click.option(
    "--as-of-recorded",
    type=Timestamp(),
    metavar="TIMESTAMP",
    help="Show the case as it was known at this time (recorded clock): what did we know then? "
    "ISO 8601 with an offset: 2024-04-10T00:00:00Z or 2024-04-10T00:00:00+02:00.",
)
@click.option(
    "--as-of-effective",
    type=Timestamp(),
    metavar="TIMESTAMP",
    help="Say first where the case stood at this time (effective clock), as known now; "
    "a timestamp as for --as-of-recorded.",
)
@zone_option
@workflow_option
@key_option
@format_option
def show(
    *,
    case_id: str,
    store: str,
    as_of_recorded: datetime | None,
    as_of_effective: datetime | None,
    zone: Zone,
    workflow_path: Path | None,
    key_file: Path | None,
    output_format: str,
) -> None:
    """Show a stored case: status, fate, assurance, open conflicts, and its trail.

    The trail is a table on a terminal wide enough for it (about 110
    columns), and a list of a few lines per entry on a narrower one. Times
    are shown in UTC, or in the zone --tz names, each with its zone or offset.
    """
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
            raise StoreFault(f"case {case_id!r} was not yet opened at {zone.stamp(as_of_recorded)}")
        case, title = known, f" as known at {zone.when(as_of_recorded)}"
    snapshot = None if as_of_effective is None else case.as_of_effective(as_of_effective)
    if output_format == "json":
        data: dict[str, Any] = {
            "status": case.status,
            "fate": case.fate.value,
            "assurance": case.assurance.value,
            "status_since": zone.stamp(case.status_since),
            "open_conflicts": list(case.open_conflicts),
            "opened_under": case.workflow,
            "read_under": workflow.identity,
            "case": to_dict(case),
        }
        if as_of_effective is not None:
            data["as_of_effective"] = {
                "when": zone.stamp(as_of_effective),
                "snapshot": None if snapshot is None else _snapshot_dict(snapshot, zone),
            }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    answer = None
    if as_of_effective is not None:
        asked = f"  at {zone.when(as_of_effective)} (effective clock, as known now): "
        if snapshot is None:
            answer = asked + "the person was not yet missing"
        else:
            answer = (
                f"{asked}[bold]{shown(snapshot.status)}[/bold], fate {snapshot.fate}, "
                f"assurance {snapshot.assurance}, since {zone.when(snapshot.since)} (entry {snapshot.seq})"
            )
    show_case(out(), case, title=title, workflow=workflow, zone=zone, answer=answer)
