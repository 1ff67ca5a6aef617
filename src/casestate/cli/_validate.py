"""``casestate validate``: check change files before anything touches a register."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from casestate import Batch

from ._checking import Checked, Finding, Tally, check_files
from ._console import meter, out
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._parallel import can_share, check_shared
from ._reading import DEFAULT_MAX_LINE_BYTES, size_of
from ._reports import JsonReport, TextReport, json_report, print_tally, print_unreadable
from ._stores import checking_batch, opened_store, store_option

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
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Check JSON Lines files in this many processes (at most 64), the cases shared out among them "
    "(if any file is CSV or a pipe, all are checked in one). The findings, summary and "
    "exit status are the same; with more than one process they are printed when all are done.",
)


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
    with finding_sink(report, quiet=quiet) as on_finding, meter(size_of(files), quiet=quiet) as bar:
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


@contextmanager
def finding_sink(report: JsonReport | None, *, quiet: bool) -> Iterator[Callable[[Finding], None]]:
    """Where findings go: *report*, or text on standard output (only rejections if *quiet*)."""
    if report is not None:
        yield report.add
        return
    text = TextReport(out(), rejected_only=quiet)
    try:
        yield text.add
    finally:
        text.flush()


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@store_option
@workflow_option
@key_option
@input_format_option
@max_line_option
@jobs_option
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
    jobs: int,
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
            if jobs > 1 and can_share(files, input_format):
                # The store is opened here all the same: a bad one is reported before any worker starts.
                with finding_sink(report, quiet=quiet) as on_finding:
                    tally = check_shared(
                        files,
                        jobs=jobs,
                        store=store,
                        workflow=workflow,
                        key=key,
                        input_format=input_format,
                        max_line_bytes=max_line_bytes,
                        quiet=quiet,
                        on_finding=on_finding,
                    )
            else:
                tally = run_check(
                    files,
                    checking_batch(workflow, held),
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
