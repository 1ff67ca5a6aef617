"""``casestate apply``: checked changes into a store, all or nothing, or line by line."""

from __future__ import annotations

import stat
from pathlib import Path

import click

from casestate import BrokenTrail
from casestate.feeds import ApplyReport, ApplyStopped, Format, NotRereadable, apply_files, total_bytes

from ._console import err, meter, out
from ._language import Speaker, lang_option
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._reports import CASES, CHANGES, JsonReport, exit_status, json_report, print_tally, print_unreadable
from ._stores import StoreFault, broken_case, opened_store
from ._times import Zone, zone_option
from ._validate import (
    RECORDS_HELP,
    finding_sink,
    input_format_option,
    max_line_option,
    progress_of,
    standard_input,
)


@click.command(epilog=RECORDS_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), callback=standard_input)
@click.option(
    "--store", required=True, metavar="PATH|URL", help="The store to write to (created if missing)."
)
@click.option("--per-line", is_flag=True, help="Store the accepted lines and report the rest.")
@workflow_option
@key_option
@input_format_option
@max_line_option
@format_option
@quiet_option
@zone_option
@lang_option
def apply(
    *,
    files: tuple[str, ...],
    store: str,
    per_line: bool,
    workflow_path: Path | None,
    key_file: Path | None,
    input_format: Format | None,
    max_line_bytes: int,
    output_format: str,
    quiet: bool,
    zone: Zone,
    say: Speaker,
) -> None:
    """Check change files and store the accepted changes.

    By default nothing is stored unless every line is accepted: the files are
    checked in full first, against what the store holds, then written in file
    order within each case, all in one transaction: a run stopped half way
    stores nothing. With --per-line the accepted lines are stored and the
    rejected ones reported.

    Exit status: 0 when every line was stored, 1 when some were rejected, 2
    when a file or the store cannot be read.
    """
    workflow = load_workflow(workflow_path)
    key = read_key(key_file)
    if not per_line:
        _refuse_pipes(files)
    with json_report(output_format) as report:
        with (
            opened_store(store, workflow, key, create=True) as held,
            finding_sink(report, quiet=quiet, zone=zone, say=say) as on_finding,
            meter(total_bytes(files), quiet=quiet) as bar,
        ):
            assert held is not None  # noqa: S101 - --store is required
            try:
                applied = apply_files(
                    files,
                    held.store,
                    workflow=workflow,
                    per_line=per_line,
                    format=input_format,
                    max_line_bytes=max_line_bytes,
                    on_finding=on_finding,
                    progress=progress_of(bar),
                    locale=say.locale,
                )
            except NotRereadable as refused:  # a file that became a pipe since it was looked at
                raise click.UsageError(_not_rereadable(refused.path)) from None
            except ApplyStopped as stopped:
                raise StoreFault(str(stopped)) from None
            except BrokenTrail as broken:
                raise broken_case(broken) from None
        if applied.interrupted:
            err().print(say("interrupted while the changes were committed: all of them were stored"))
        _report(applied, report, quiet=quiet, per_line=per_line, say=say)


def _refuse_pipes(files: tuple[str, ...]) -> None:
    """Refuse, before the store is opened or made, a file that all or nothing cannot read twice."""
    for path in files:
        try:
            found = Path(path).stat()
        except OSError:  # missing or unreadable: the check reports it with the others
            continue
        if not stat.S_ISREG(found.st_mode):
            raise click.UsageError(_not_rereadable(path))


def _not_rereadable(path: str) -> str:
    return (
        f"{path} is not a regular file (a pipe?): all or nothing, apply reads its files twice, "
        "to check and then to store them; save the input to a file, or pass --per-line"
    )


def _report(
    applied: ApplyReport, report: JsonReport | None, *, quiet: bool, per_line: bool, say: Speaker
) -> None:
    checked = applied.check
    status = exit_status(checked)
    if report is not None:
        report.finish(checked, stored=applied.stored, opened=applied.opened)
    elif not quiet:
        print_tally(out(), checked, say)
    else:
        print_unreadable(checked, say)
    if report is None:
        if status != 0 and not per_line:
            err().print(
                say("nothing was stored: fix the rejected lines, or pass --per-line to store the rest")
            )
        elif not quiet:
            stored, opened = say.count(CHANGES, applied.stored), say.count(CASES, applied.opened)
            out().print(say("stored {stored} ({opened} opened)", stored=stored, opened=opened))
    raise SystemExit(status)
