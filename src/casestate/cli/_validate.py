"""``casestate validate``: check change files before anything touches a register."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from casestate import Batch, Case

from ._checking import Checked, Finding, Tally, check_files
from ._console import err, meter, out
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._reading import DEFAULT_MAX_LINE_BYTES, size_of
from ._stores import opened_store, store_option

input_format_option = click.option(
    "--input-format",
    type=click.Choice(["jsonl", "csv"]),
    help="How the files are written (default: csv for .csv files, JSON Lines otherwise).",
)
max_line_option = click.option(
    "--max-line-bytes",
    type=click.IntRange(min=1024),
    default=DEFAULT_MAX_LINE_BYTES,
    show_default=True,
    help="Longer lines are reported, not read.",
)


def print_finding(console: Console, finding: Finding) -> None:
    """One rejected or conflicting line, as ``file:line: case id: outcome: code: message``."""
    case = f"case {escape(finding.case_id)}" if finding.case_id else "no case id"
    colour = "red" if finding.outcome == "rejected" else "yellow"
    what = "rejected" if finding.outcome == "rejected" else "kept as a conflict"
    console.print(
        f"{escape(finding.path)}:{finding.number}: {case}: "
        f"[{colour}]{what}[/{colour}]: {', '.join(finding.codes)}"
    )
    for code, message in finding.reasons:
        console.print(f"    {code}: {escape(message)}")


def print_tally(console: Console, tally: Tally, *, verb: str = "accepted") -> None:
    """The summary: lines accepted, rejected and conflicting, with counts per code."""
    for problem in tally.unreadable:
        console.print(f"{escape(problem.path)}: [red]cannot be read[/red]: {escape(problem.problem)}")
    conflicts = tally.outcomes.get("conflict", 0)
    console.print(
        f"{tally.lines} lines: {tally.accepted} {verb} ({conflicts} kept as conflicts), "
        f"{tally.rejected} rejected"
    )
    for title, counts in (("rejected", tally.rejected_codes), ("conflicts", tally.conflict_codes)):
        for code, count in sorted(counts.items()):
            console.print(f"  {title}: {code}: {count}")


def print_unreadable(tally: Tally) -> None:
    """The files that could not be read, on standard error (for --quiet, which prints no summary)."""
    for problem in tally.unreadable:
        err().print(f"{escape(problem.path)}: cannot be read: {escape(problem.problem)}")


def run_check(
    files: tuple[str, ...],
    batch: Batch,
    *,
    report: JsonReport | None,
    quiet: bool,
    input_format: str | None,
    max_line_bytes: int,
    each: Callable[[Checked], None] | None = None,
) -> Tally:
    """Check *files* against *batch*, reporting findings as they come: to *report*, else as text.

    *each*, when given, is handed every line checked, in order.
    """
    tally = Tally()
    on_finding: Callable[[Finding], None] | None
    if report is not None:
        on_finding = report.add
    elif quiet:
        console = out()

        def on_finding(finding: Finding) -> None:
            if finding.outcome == "rejected":
                print_finding(console, finding)

    else:
        on_finding = partial(print_finding, out())
    with meter(size_of(files), quiet=quiet) as bar:
        check_files(
            files,
            batch,
            tally,
            input_format=input_format,
            max_line_bytes=max_line_bytes,
            meter=bar,
            on_finding=on_finding,
            each=each,
        )
    return tally


_FINDINGS_AT_ONCE = 1000


class JsonReport:
    """The machine-readable report, written as the findings come.

    One JSON document, ``{"findings": [...], "summary": {...}, ...}``: the
    findings are written a thousand at a time, and the summary, known only at
    the end, comes last. A run over any number of lines holds at most a
    thousand findings in memory.
    """

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._started = False
        self._finished = False

    def add(self, finding: Finding) -> None:
        """One more finding."""
        self._pending.append(finding.to_json())
        if len(self._pending) >= _FINDINGS_AT_ONCE:
            self._write("")

    def finish(self, tally: Tally, **extra: object) -> None:
        """The findings not yet written, then the summary and *extra* fields; ends the document."""
        tail = {"summary": tally.to_dict(), **extra}
        self._write("], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n")
        self._finished = True

    def abandon(self) -> None:
        """End a document that a fault stopped halfway, so that it still reads: no summary."""
        if self._started and not self._finished:
            self._write("]}\n")
            self._finished = True

    def _write(self, end: str) -> None:
        text = ", ".join(self._pending)
        self._pending = []
        if not self._started:
            text = '{"findings": [' + text
        elif text:
            text = ", " + text
        click.echo(text + end, nl=False)
        self._started = True


@contextmanager
def json_report(output_format: str) -> Iterator[JsonReport | None]:
    """A :class:`JsonReport` for ``--format json`` (else ``None``), ended even when a fault stops the run."""
    if output_format != "json":
        yield None
        return
    report = JsonReport()
    try:
        yield report
    finally:
        with suppress(OSError):  # a closed pipe takes no ending either
            report.abandon()


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@store_option
@workflow_option
@key_option
@input_format_option
@max_line_option
@format_option
@quiet_option
def validate(
    *,
    files: tuple[str, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    input_format: str | None,
    max_line_bytes: int,
    output_format: str,
    quiet: bool,
) -> None:
    """Check change files (JSON Lines or CSV), each line against its case as the lines before it left it.

    With --store, cases start from what the store holds. Every rejected line is
    reported with its file, line number, case id and reason codes.

    Exit status: 0 when every line is accepted, 1 when some are rejected, 2
    when a file cannot be read.
    """
    workflow = load_workflow(workflow_path)
    key = read_key(key_file)
    with json_report(output_format) as report:
        with opened_store(store, workflow, key) as held:
            load: Callable[[str], Case | None] | None = None if held is None else held.load_or_none
            batch = Batch(workflow, load=load)
            tally = run_check(
                files,
                batch,
                report=report,
                quiet=quiet,
                input_format=input_format,
                max_line_bytes=max_line_bytes,
            )
        if report is not None:
            report.finish(tally)
        elif not quiet:
            print_tally(out(), tally)
        else:
            print_unreadable(tally)
    raise SystemExit(tally.exit_code)
