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

from casestate import Case, Entry, EntryKind, RecordError, Snapshot, Workflow, parse_timestamp, to_dict
from casestate.text import printable, storable_problem

from ._console import out
from ._language import ENGLISH, Speaker, counted, lang_option, said
from ._options import format_option, key_option, load_workflow, read_key, workflow_option
from ._shown import bold, masked, plain, shown
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


_TABLE_COLUMNS = (
    "#",
    said("change"),
    said("status"),
    said("fate"),
    said("by"),
    said("effective"),
    said("recorded"),
)
"""The trail's columns but the last, evidence and reason, which takes the width left."""
_SAID_COLUMN = said("evidence / reason")
_ENTRIES = counted("{count} entry", "{count} entries")
_LEAST_SAID = 16
"""The least width of the evidence column: narrower, the trail is shown as a list."""


def _moved(entry: Entry, say: Speaker) -> tuple[str, str | None]:
    """Where *entry* left the case, and where from (``None`` when the status stayed), as *say* names them."""
    to = say.name("status", entry.to_status)
    # A late report of an earlier period moved nothing: its status is the period's, from its own time.
    if entry.from_status in (None, entry.to_status) or entry.kind is EntryKind.EARLIER_PERIOD:
        return to, None
    return to, say.name("status", entry.from_status)


def _said(entry: Entry, say: Speaker) -> str:
    """The entry's evidence kinds, reason and conflict codes, in words."""
    said = ", ".join(say.name("evidence kind", kind) for kind in entry.evidence_kinds)
    if entry.reason:
        said = f"{said}; {entry.reason}" if said else entry.reason
    if entry.codes:
        said = f"{said} [{', '.join(entry.codes)}]" if said else ", ".join(entry.codes)
    if entry.displaces is not None:
        # A rival report: which report's period it voided, or left undecided, now waiting as a conflict.
        displaced = say("displaces entry {seq}", seq=entry.displaces)
        said = f"{said}; {displaced}" if said else displaced
    if entry.contests:
        # A move: which corroborations of the period it ended now wait as conflicts.
        contested = say("contests entries {seqs}", seqs=", ".join(map(str, entry.contests)))
        said = f"{said}; {contested}" if said else contested
    if entry.reconciles:
        # A move: which open conflicts now agree with the period it began, and back it.
        reconciled = say("reconciles entries {seqs}", seqs=", ".join(map(str, entry.reconciles)))
        said = f"{said}; {reconciled}" if said else reconciled
    return said


def _actor(entry: Entry, say: Speaker) -> str:
    actor = entry.actor
    return say("(redacted)") if actor is None else actor.id


def trail_table(case: Case, zone: Zone = UTC_ZONE, say: Speaker = ENGLISH) -> Table:
    """The trail as a table: one row of two lines per entry, oldest first; evidence and reason wrap.

    Every column but the last is as wide as its widest line, never cut; the
    table is as wide as they are with the evidence column at its least.
    """
    rows = []
    for entry in case.trail:
        status, source = _moved(entry, say)
        whence = "" if source is None else say("from {status}", status=source)
        rows.append(
            (
                str(entry.seq),
                f"{say.name('trigger', entry.trigger)}\n{say.term(entry.kind)}",
                f"{status}\n{whence}",
                f"{say.term(entry.fate)}\n{say.term(entry.assurance)}",
                f"{say.name('role', entry.role)}\n{_actor(entry, say)}",
                f"{zone.day(entry.effective_at)}\n{zone.time(entry.effective_at)}",
                f"{zone.day(entry.recorded_at)}\n{zone.time(entry.recorded_at)}",
            )
        )
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for index, heading in enumerate(_TABLE_COLUMNS):
        column = say(heading)
        lines = [column, *(line for row in rows for line in plain(row[index]).split("\n"))]
        table.add_column(column, no_wrap=True, min_width=max(map(cell_len, lines)))
    table.add_column(say(_SAID_COLUMN), overflow="fold", min_width=_LEAST_SAID, ratio=1)
    for row, entry in zip(rows, case.trail, strict=True):
        table.add_row(*map(shown, row), shown(_said(entry, say)))
    return table


def trail_list(case: Case, zone: Zone = UTC_ZONE, say: Speaker = ENGLISH) -> Group:
    """The trail as a list, for a narrow terminal: a few short lines per entry, oldest first."""
    lines: list[Text] = []
    for entry in case.trail:
        status, source = _moved(entry, say)
        moved = status if source is None else f"{source} -> {status}"
        told = say(
            "{trigger} ({kind}): {moved}, fate {fate}, {assurance}",
            trigger=shown(say.name("trigger", entry.trigger)),
            kind=say.term(entry.kind),
            moved=bold(moved),
            fate=say.term(entry.fate),
            assurance=say.term(entry.assurance),
        )
        lines.append(Text.from_markup(f"[bold]{entry.seq}[/bold] {told}"))
        by = say(
            "by {role}: {actor}", role=plain(say.name("role", entry.role)), actor=plain(_actor(entry, say))
        )
        lines.append(Text(f"   {by}"))
        when = say(
            "effective {effective}, recorded {recorded}",
            effective=zone.when(entry.effective_at),
            recorded=zone.when(entry.recorded_at),
        )
        lines.append(Text(f"   {when}"))
        said = _said(entry, say)
        if said:
            lines.append(Text(f"   {plain(said)}"))
    return Group(*lines)


def trail_view(console: Console, case: Case, zone: Zone = UTC_ZONE, say: Speaker = ENGLISH) -> RenderableType:
    """The trail as a table where the terminal is wide enough for it, else as a list."""
    table = trail_table(case, zone, say)
    unbounded = console.options.update_width(1_000_000)  # measured as it would be, not as it must fit
    if Measurement.get(console, unbounded, table).minimum <= console.width:
        return table
    return trail_list(case, zone, say)


def show_case(
    console: Console,
    case: Case,
    *,
    title: str = "",
    workflow: Workflow | None = None,
    zone: Zone = UTC_ZONE,
    answer: str | None = None,
    say: Speaker = ENGLISH,
) -> None:
    """Where *case* stands (after the *answer* to an as-of question), its open conflicts, its trail."""
    console.print(f"[bold]{shown(case.id)}[/bold]{title}")
    if answer is not None:
        console.print(answer)
    now = say("now: ") if answer is not None else ""
    # English has always said "1 entries" here; it is kept, as scripts may read it.
    entries = f"{case.version} entries" if say.english else say.count(_ENTRIES, case.version)
    stands = say(
        "status {status}, fate {fate}, assurance {assurance}, since {since}, {entries}",
        **_standing(say, zone, case),
        entries=entries,
    )
    console.print(f"  {now}{stands}")
    if workflow is not None and opened_elsewhere(case, workflow):
        console.print(f"  [yellow]{shown(other_workflow(case, workflow))}[/yellow]")
    displaced_by = {entry.displaces: entry.seq for entry in case.trail if entry.displaces is not None}
    contested_by = {seq: entry.seq for entry in case.trail for seq in entry.contests or ()}
    for entry in case.conflicts:
        # A report a rival displaced, or a corroboration a move contested, is no conflict entry:
        # it says which entry made it one.
        if entry.codes:
            why = ", ".join(entry.codes)
        elif entry.seq in contested_by:
            why = say("contested by entry {seq}", seq=contested_by[entry.seq])
        else:
            why = say("displaced by entry {seq}", seq=displaced_by.get(entry.seq, "?"))
        conflict = say(
            "entry {seq}, {trigger} by {role} ({codes})",
            seq=entry.seq,
            trigger=shown(say.name("trigger", entry.trigger)),
            role=shown(say.name("role", entry.role)),
            codes=why,
        )
        what = say("open conflict")
        console.print(f"  [yellow]{what}[/yellow]: {conflict}")
    console.print(trail_view(console, case, zone, say))


def _standing(say: Speaker, zone: Zone, stands: Case | Snapshot) -> dict[str, str]:
    """Where a case stands, or stood (a snapshot), as the values of a sentence that says so."""
    since = stands.status_since if isinstance(stands, Case) else stands.since
    return {
        "status": bold(say.name("status", stands.status)),
        "fate": say.term(stands.fate),
        "assurance": say.term(stands.assurance),
        "since": zone.when(since),
    }


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
@lang_option
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
    say: Speaker,
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
        case, title = known, " " + say("as known at {when}", when=zone.when(as_of_recorded))
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
        asked = say("at {when} (effective clock, as known now): ", when=zone.when(as_of_effective))
        if snapshot is None:
            answer = "  " + asked + say("the person was not yet missing")
        else:
            stood = say(
                "{status}, fate {fate}, assurance {assurance}, since {since} (entry {seq})",
                **_standing(say, zone, snapshot),
                seq=snapshot.seq,
            )
            answer = f"  {asked}{stood}"
    show_case(out(), case, title=title, workflow=workflow, zone=zone, answer=answer, say=say)
