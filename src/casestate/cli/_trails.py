"""``export`` and ``verify``: cases and their trails, out of a store or an export."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import attrs
import click
from rich.console import Console

from casestate import Case, Workflow, to_dict
from casestate.feeds import UnreadableFile, total_bytes
from casestate.proofs import NoteError, VerifierKey
from casestate.store import CaseStore, LogMismatch

from ._console import err, meter, out
from ._heads import Head, check_head, heads_option, missing, read_heads, write_heads
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._output import Unfinished, refuse_overwriting, replacing
from ._proofs import public_key_option, read_checkpoint, read_public_key, signed_at
from ._reading import Read, cases_from, why_not
from ._show import opened_elsewhere, other_workflow
from ._shown import shown
from ._stores import CANNOT_READ, opened_store, store_option


@contextmanager
def _written_to(path: Path | None) -> Iterator[BinaryIO]:
    """Standard output, or a stream that becomes *path* once the export is done."""
    if path is None:
        yield sys.stdout.buffer
        return
    with replacing(path) as stream:
        yield stream


@contextmanager
def _heads_to(path: Path | None) -> Iterator[BinaryIO | None]:
    """A stream that becomes the heads file *path* once the export is done; ``None`` without one."""
    if path is None:
        yield None
        return
    with replacing(path) as stream:
        yield stream


def _one_source(files: tuple[str, ...], store: str | None) -> None:
    if (store is None) == (not files):
        raise click.UsageError("name either a --store or files")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@store_option
@workflow_option
@key_option
@click.option(
    "--redacted", is_flag=True, help="Leave out personal data (actor ids, reasons, evidence details)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write, whole or not at all (default: standard output).",
)
@heads_option(
    "Also write each exported case's head (its entries and the hash of its last) to this file, "
    "whole or not at all, to keep away from the store and check with verify --heads."
)
def export(
    *,
    files: tuple[str, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    redacted: bool,
    output: Path | None,
    heads_path: Path | None,
) -> None:
    """Write cases and their trails as JSON Lines, one case per line, from a store or case files.

    Case files are case JSON documents (.json) or JSON Lines of cases. With
    --redacted the export holds no personal data and still verifies; --heads
    writes each case's head to keep away from the store, for verify --heads. A case
    whose trail does not verify is not exported: it is named on standard error
    and the exit status is 1 (2 when a source cannot be read).
    """
    _one_source(files, store)
    to_file = None if output is None or str(output) == "-" else output
    read = [*files, *(name for name in (store, key_file, workflow_path) if name is not None)]
    refuse_overwriting(to_file, read)
    refuse_overwriting(heads_path, [*read, *([] if to_file is None else [to_file])])
    key = read_key(key_file)
    bad = 0
    unreadable: list[UnreadableFile] = []
    with (
        contextlib.suppress(Unfinished),
        opened_store(store, load_workflow(workflow_path), key, unsealed=True) as held,
        _written_to(to_file) as written,
        _heads_to(heads_path) as heads,
    ):
        for item in cases_from(files, held, key, unreadable):
            if item.case is None:
                bad += 1
                err().print(f"{shown(item.where)}: not exported: {shown(why_not(item))}")
                continue
            line = json.dumps(_exported(item.case, redacted=redacted), ensure_ascii=False) + "\n"
            written.write(line.encode("utf-8"))
            if heads is not None:
                write_heads(heads, [item.case])
        if unreadable and (to_file is not None or heads_path is not None):
            raise Unfinished  # an export without a source's cases does not replace the last one
    for problem in unreadable:
        err().print(f"{shown(problem.path)}: cannot be read: {shown(problem.problem)}")
    for left in (to_file, heads_path):
        if unreadable and left is not None:
            err().print(f"{shown(str(left))}: left as it was")
    raise SystemExit(CANNOT_READ if unreadable else 1 if bad else 0)


def _exported(case: Case, *, redacted: bool) -> dict[str, Any]:
    """*case* as its export writes it: an entry erased in the store has ``"private": null``.

    A whole export keeps the personal data of every entry that has it; an
    erased entry says so, rather than look like one stripped on the way.
    """
    data = to_dict(case, redacted=redacted)
    if not redacted:
        for entry, written in zip(case.trail, data["entries"], strict=True):
            if entry.redacted:
                written["private"] = None
    return data


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@store_option
@workflow_option
@key_option
@heads_option(
    "A heads file (written by export --heads): each case it names must still hold the entries it "
    "says, ending in its head; a case cut short, rewritten or gone is broken."
)
@format_option
@quiet_option
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also hold the --store to this signed checkpoint, kept elsewhere (needs --public-key).",
)
@public_key_option
def verify(
    *,
    files: tuple[str, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    heads_path: Path | None,
    output_format: str,
    quiet: bool,
    checkpoint_file: Path | None,
    public_key_file: Path | None,
) -> None:
    """Check every case's chain in a store or in exported files, naming the first broken entry of each.

    A case opened under another workflow than the one given (--workflow, or
    the default) is named: its trail holds, but records what that workflow
    allowed. With --heads, a case cut short, rewritten or gone since its head
    was exported is broken too. With --checkpoint and --public-key, the store
    must also hold the log that checkpoint signed: a store cut short or
    rewritten since, even with chains that hold, fails. Exit status: 0 when
    every trail holds, 1 when one is broken or the store fails the
    checkpoint, 2 when a source or a line of it cannot be read.
    """
    _one_source(files, store)
    held_to = _checkpoint_to_hold(store, checkpoint_file, public_key_file)
    key = read_key(key_file)
    workflow = load_workflow(workflow_path)
    kept = {} if heads_path is None else read_heads(heads_path)
    seen: set[str] = set()
    cases = intact = 0
    broken: list[Read] = []
    elsewhere: list[tuple[str, Case]] = []
    unreadable: list[UnreadableFile] = []
    console = out()
    with (
        opened_store(store, workflow, key, unsealed=True) as held,
        meter(total_bytes(files), quiet=quiet) as bar,
    ):
        for found in cases_from(files, held, key, unreadable):
            cases += 1
            item = found if found.case is None else _against_heads(found, found.case, kept, key, seen)
            if item.case is not None:
                intact += 1
                if opened_elsewhere(item.case, workflow):
                    # Intact, but read under another workflow than the one that wrote it: said, not broken.
                    elsewhere.append((item.where, item.case))
            else:
                broken.append(item)
                if output_format == "text":
                    console.print(f"{shown(item.where)}: [red]broken[/red]: {shown(why_not(item))}")
            if bar.shown and not cases % 256:
                bar.update(0, f"{cases} cases")
        log = None if held is None or held_to is None else _held_to(held.store, *held_to)
    for case_id in sorted(kept.keys() - seen):  # named in the heads file, and gone
        cases += 1
        gone = Read(case_id, broken=missing(kept[case_id]))
        broken.append(gone)
        if output_format == "text":
            console.print(f"{shown(gone.where)}: [red]broken[/red]: {shown(why_not(gone))}")
    unread = [item for item in broken if item.broken is None]
    verified = _Verified(workflow, cases, intact, broken, unread, elsewhere, unreadable, log)
    if output_format == "json":
        click.echo(json.dumps(verified.to_dict(), ensure_ascii=False, indent=2))
    else:
        verified.print(console, quiet=quiet)
    if unreadable or unread:
        raise SystemExit(CANNOT_READ)
    raise SystemExit(1 if broken or (log is not None and not log.holds) else 0)


@attrs.frozen
class _Log:
    """What holding a store to a checkpoint found."""

    holds: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"holds": self.holds, "message": self.message}


def _checkpoint_to_hold(
    store: str | None, checkpoint_file: Path | None, public_key_file: Path | None
) -> tuple[str, VerifierKey] | None:
    """The checkpoint and the public key verify holds the store to, read before the store is opened."""
    if checkpoint_file is None and public_key_file is None:
        return None
    if checkpoint_file is None or public_key_file is None or store is None:
        raise click.UsageError("--checkpoint and --public-key go together, with a --store")
    return read_checkpoint(checkpoint_file, "--checkpoint"), read_public_key(public_key_file)


def _held_to(store: CaseStore, note: str, key: VerifierKey) -> _Log:
    try:
        signed = store.verify_log(note, key)
    except (LogMismatch, NoteError) as error:
        return _Log(holds=False, message=str(error))
    said = f"the store holds the log {signed.origin} of its checkpoint{signed_at(signed.time)}"
    return _Log(holds=True, message=f"{said}: {signed.size} entries")


def _against_heads(item: Read, case: Case, kept: dict[str, Head], key: bytes | None, seen: set[str]) -> Read:
    """*item*, broken if the heads file names its case and the trail no longer ends as it says."""
    head = kept.get(case.id)
    if head is None:
        return item
    seen.add(case.id)
    integrity = check_head(case, head, key)
    return item if integrity.ok else Read(item.where, broken=integrity)


@attrs.frozen
class _Verified:
    """What verify found, to print as text or JSON."""

    workflow: Workflow
    cases: int
    intact: int
    broken: list[Read]
    unread: list[Read]
    elsewhere: list[tuple[str, Case]]
    """Intact cases opened under another workflow than the one they are read under: said, not broken."""
    unreadable: list[UnreadableFile]
    log: _Log | None = None
    """What holding the store to a checkpoint found, when it was asked for."""

    def to_dict(self) -> dict[str, Any]:
        return {
            **({} if self.log is None else {"checkpoint": self.log.to_dict()}),
            "cases": self.cases,
            "intact": self.intact,
            "read_under": self.workflow.identity,
            "opened_under_another_workflow": [
                {"where": where, "case_id": case.id, "opened_under": case.workflow}
                for where, case in self.elsewhere
            ],
            "broken": [_broken_dict(item) for item in self.broken if item.broken is not None],
            "unreadable": [{"where": item.where, "problem": item.problem} for item in self.unread]
            + [{"where": problem.path, "problem": problem.problem} for problem in self.unreadable],
        }

    def print(self, console: Console, *, quiet: bool) -> None:
        for where, case in self.elsewhere:
            console.print(f"{shown(where)}: [yellow]{shown(other_workflow(case, self.workflow))}[/yellow]")
        for problem in self.unreadable:
            console.print(f"{shown(problem.path)}: [red]cannot be read[/red]: {shown(problem.problem)}")
        if self.log is not None:
            said = "[green]holds[/green]" if self.log.holds else "[red]fails the checkpoint[/red]"
            console.print(f"log: {said}: {shown(self.log.message)}")
        if not quiet:
            others = f" ({len(self.elsewhere)} opened under another workflow)" if self.elsewhere else ""
            broken = self.cases - self.intact
            console.print(f"{self.cases} cases: {self.intact} intact{others}, {broken} broken or unreadable")


def _broken_dict(item: Read) -> dict[str, Any]:
    integrity = item.broken
    assert integrity is not None  # noqa: S101 - the caller picks broken items only
    return {
        "where": item.where,
        "case_id": integrity.case_id,
        "entry": integrity.position,
        "problem": None if integrity.problem is None else integrity.problem.value,
        "message": integrity.message,
    }
