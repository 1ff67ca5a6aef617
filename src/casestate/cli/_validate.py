"""``casestate validate``: check change files before anything touches a register."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from casestate import BrokenTrail, json_schema
from casestate.feeds import (
    DEFAULT_MAX_LINE_BYTES,
    MOST_JOBS,
    Finding,
    Format,
    Progress,
    WorkerFault,
    check_files,
    total_bytes,
)

from ._console import Meter, meter, out
from ._language import ENGLISH, Speaker, lang_option
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._reports import JsonReport, TextReport, exit_status, json_report, print_tally, print_unreadable
from ._stores import CANNOT_READ, broken_case, opened_store, store_option
from ._times import UTC_ZONE, Zone, zone_option

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
    type=click.IntRange(min=1, max=MOST_JOBS),
    default=1,
    show_default=True,
    help="Check JSON Lines files in this many processes (at most 64), the cases shared out among them "
    "(if any file is CSV or a pipe, all are checked in one). The findings, summary and "
    "exit status are the same; with more than one process they are printed when all are done.",
)


def _record_fields() -> str:
    """The fields of a change record, as ``--help`` lists them: from the record's own schema."""
    schema = json_schema("change-record")
    fields = schema["properties"]
    required = schema["required"]
    assert isinstance(fields, dict)  # noqa: S101 - the shipped schema is an object schema
    assert isinstance(required, list)  # noqa: S101
    optional = [name for name in fields if name not in required]
    return f"{', '.join(required)} (required); {', '.join(optional)} (optional)"


RECORDS_HELP = (
    "Each line of a JSON Lines file (each row of a CSV file) is one change record, with the fields "
    f"{_record_fields()}. Timestamps are ISO 8601 with an offset: 2024-03-02T14:00:00+02:00 or "
    "2024-03-02T12:00:00Z; evidence is a list of {kind, reference, source, obtained_at}. A file named - "
    "is standard input. See the JSON Schema: casestate.json_schema('change-record')."
)
"""What ``--help`` of validate and apply says of the files they read."""

STANDARD_INPUT = "/dev/stdin"


def standard_input(
    _context: click.Context, _parameter: click.Parameter, files: tuple[str, ...]
) -> tuple[str, ...]:
    """The files named, ``-`` read as standard input (the pipe ``/dev/stdin``, as the feeds read it)."""
    return tuple(STANDARD_INPUT if name == "-" else name for name in files)


class WorkerFailed(click.ClickException):
    """A checking process of --jobs that failed without a fault of its own to report."""

    exit_code = CANNOT_READ  # as for input that cannot be read: no verdict on the lines


def progress_of(bar: Meter) -> Progress | None:
    """What tells *bar* of a check's progress; ``None`` when no bar is shown."""
    return bar.update if bar.shown else None


@contextmanager
def finding_sink(
    report: JsonReport | None, *, quiet: bool, zone: Zone = UTC_ZONE, say: Speaker = ENGLISH
) -> Iterator[Callable[[Finding], None]]:
    """Where findings go: *report*, or text on standard output (only rejections if *quiet*)."""
    if report is not None:
        yield report.add
        return
    text = TextReport(out(), rejected_only=quiet, zone=zone, say=say)
    try:
        yield text.add
    finally:
        text.flush()


@click.command(epilog=RECORDS_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), callback=standard_input)
@store_option
@workflow_option
@key_option
@input_format_option
@max_line_option
@jobs_option
@format_option
@quiet_option
@zone_option
@lang_option
def validate(
    *,
    files: tuple[str, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    input_format: Format | None,
    max_line_bytes: int,
    jobs: int,
    output_format: str,
    quiet: bool,
    zone: Zone,
    say: Speaker,
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
        # The store is opened here even when workers open it again: a bad one is reported first.
        with (
            opened_store(store, workflow, key) as held,
            finding_sink(report, quiet=quiet, zone=zone, say=say) as on_finding,
            meter(total_bytes(files), quiet=quiet) as bar,
        ):
            shared = jobs > 1
            try:
                checked = check_files(
                    files,
                    workflow=workflow,
                    load=None if held is None or shared else held.load_or_none,
                    store=store if shared else None,
                    key=key if shared else None,
                    jobs=jobs,
                    format=input_format,
                    max_line_bytes=max_line_bytes,
                    on_finding=on_finding,
                    progress=progress_of(bar),
                    locale=say.locale,
                )
            except WorkerFault as fault:
                raise WorkerFailed(f"{fault}; try without --jobs") from None
            except BrokenTrail as broken:  # met by a checking process of --jobs
                raise broken_case(broken) from None
        if report is not None:
            report.finish(checked)
        elif not quiet:
            print_tally(out(), checked, say)
        else:
            print_unreadable(checked, say)
    raise SystemExit(exit_status(checked))
