"""``export``, ``verify`` and ``show``: cases and their trails, out of a store or an export."""

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

from casestate import (
    BrokenTrail,
    Case,
    ChainKeyError,
    FormatError,
    Integrity,
    Problem,
    from_dict,
    to_dict,
)
from casestate import verify as verify_trail
from casestate._json import unique_keys

from ._console import err, meter, out
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._output import Unfinished, refuse_overwriting, replacing
from ._reading import Unreadable, size_of
from ._shown import shown
from ._stores import CANNOT_READ, Held, opened_store, store_option


@attrs.frozen
class Read:
    """One case read from a source: the case, or why its trail does not hold, or why it cannot be read."""

    where: str
    case: Case | None = None
    broken: Integrity | None = None
    problem: str | None = None


def _wholly_redacted(data: object) -> bool:
    """Whether *data* is a redacted export: no entry carries its personal data.

    A redacted export verifies through its commitments; a trail where only some
    entries lost their personal data is a break, and verify reports it.
    """
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        return False
    return all(isinstance(entry, dict) and "private" not in entry for entry in entries)


def _from_data(where: str, data: object, key: bytes | None) -> Read:
    try:
        return Read(where, case=from_dict(data, key=key, allow_redacted=_wholly_redacted(data)))
    except BrokenTrail as broken:
        return _not_verified(where, broken.integrity)
    except (FormatError, ChainKeyError) as error:
        return Read(where, problem=str(error))


def _not_verified(where: str, integrity: Integrity) -> Read:
    if integrity.problem is Problem.NOT_SEALED:
        return Read(where, broken=attrs.evolve(integrity, message=_UNSEALED))
    if integrity.problem in _KEY_PROBLEMS:  # the key given may only be the wrong file: no verdict
        return Read(where, problem=_KEY_PROBLEMS[integrity.problem])
    return Read(where, broken=integrity)


_UNSEALED = (
    "the chain is not sealed with a key, though --key-file was given: anyone could have written it "
    "(a sealed trail rewritten as a plain one, or a trail from elsewhere)"
)
"""A plain chain where a key is expected proves nothing: it is reported broken, never intact."""
_KEY_PROBLEMS = {
    Problem.KEY_REQUIRED: "the chain is sealed with a key: pass its --key-file",
    Problem.WRONG_KEY: "the chain is sealed with another key than --key-file's",
}
MOST_CASE_BYTES = 16 * 1024 * 1024
"""The largest case document (a ``.json`` file, a line of JSON Lines) read: some 25,000 entries.

A line without end (``/dev/zero``) is never read whole into memory.
"""


def _from_file(path: str, key: bytes | None) -> Iterator[Read]:
    """Cases from a file: one case JSON document (``.json``), or JSON Lines of cases."""
    try:
        stream = open(path, "rb")  # noqa: SIM115, PTH123 - closed below, after the generator ends
    except OSError as error:
        raise Unreadable(path, error.strerror or str(error)) from None
    with stream:
        try:
            yield from _cases_in(path, stream, key)
        except OSError as error:  # a device that fails (EIO)
            raise Unreadable(path, error.strerror or str(error)) from None


def _cases_in(path: str, stream: BinaryIO, key: bytes | None) -> Iterator[Read]:
    if path.lower().endswith(".json"):
        data = stream.read(MOST_CASE_BYTES + 1)
        if len(data) > MOST_CASE_BYTES:
            raise Unreadable(path, f"larger than {MOST_CASE_BYTES} bytes, the most a case document may be")
        yield _document(path, data, key)
        return
    number = 0
    seen = False
    while raw := stream.readline(MOST_CASE_BYTES + 1):
        number += 1
        if len(raw) > MOST_CASE_BYTES and not raw.endswith(b"\n"):
            msg = f"line {number} is longer than {MOST_CASE_BYTES} bytes: the rest of the file is not read"
            raise Unreadable(path, msg)
        if not raw.strip():
            continue
        seen = True
        yield _document(f"{path}:{number}", raw, key)
    if not seen:
        raise Unreadable(path, "the file is empty: it holds no cases")


def _document(where: str, raw: bytes, key: bytes | None) -> Read:
    try:
        data = json.loads(raw, object_pairs_hook=unique_keys)
    except FormatError as error:  # a key twice: readers disagree on which one counts
        return Read(where, problem=str(error))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        return Read(where, problem=f"not JSON: {error}")
    return _from_data(where, data, key)


def _from_store(held: Held) -> Iterator[Read]:
    for case_id in held.store.case_ids():
        try:
            case = held.store.load(case_id)
        except BrokenTrail as broken:
            yield Read(case_id, broken=broken.integrity)
            continue
        if held.unsealed_key is not None:
            integrity = verify_trail(case.trail, key=held.unsealed_key)
            if not integrity.ok:
                yield _not_verified(case_id, integrity)
                continue
        yield Read(case_id, case=case)


def _sources(
    files: tuple[str, ...], held: Held | None, key: bytes | None, unreadable: list[Unreadable]
) -> Iterator[Read]:
    if held is not None:
        yield from _from_store(held)
    for path in files:
        try:
            yield from _from_file(path, key)
        except Unreadable as problem:
            unreadable.append(problem)


def _why(item: Read) -> str:
    if item.broken is not None:
        return item.broken.message
    return item.problem or "cannot be read"


@contextmanager
def _written_to(path: Path | None) -> Iterator[BinaryIO]:
    """Standard output, or a stream that becomes *path* once the export is done."""
    if path is None:
        yield sys.stdout.buffer
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
def export(
    *,
    files: tuple[str, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    redacted: bool,
    output: Path | None,
) -> None:
    """Write cases and their trails as JSON Lines, one case per line, from a store or case files.

    Case files are case JSON documents (.json) or JSON Lines of cases. With
    --redacted the export holds no personal data and still verifies. A case
    whose trail does not verify is not exported: it is named on standard error
    and the exit status is 1 (2 when a source cannot be read).
    """
    _one_source(files, store)
    to_file = None if output is None or str(output) == "-" else output
    read = [*files, *(name for name in (store, key_file, workflow_path) if name is not None)]
    refuse_overwriting(to_file, read)
    key = read_key(key_file)
    bad = 0
    unreadable: list[Unreadable] = []
    with (
        contextlib.suppress(Unfinished),
        opened_store(store, load_workflow(workflow_path), key, unsealed=True) as held,
        _written_to(to_file) as written,
    ):
        for item in _sources(files, held, key, unreadable):
            if item.case is None:
                bad += 1
                err().print(f"{shown(item.where)}: not exported: {shown(_why(item))}")
                continue
            line = json.dumps(to_dict(item.case, redacted=redacted), ensure_ascii=False) + "\n"
            written.write(line.encode("utf-8"))
        if unreadable and to_file is not None:
            raise Unfinished  # an export without a source's cases does not replace the last one
    for problem in unreadable:
        err().print(f"{shown(problem.path)}: cannot be read: {shown(problem.problem)}")
    if unreadable and to_file is not None:
        err().print(f"{shown(str(to_file))}: left as it was")
    raise SystemExit(CANNOT_READ if unreadable else 1 if bad else 0)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@store_option
@workflow_option
@key_option
@format_option
@quiet_option
def verify(
    *,
    files: tuple[str, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    output_format: str,
    quiet: bool,
) -> None:
    """Check every case's chain in a store or in exported files, naming the first broken entry of each.

    Exit status: 0 when every trail holds, 1 when one is broken, 2 when a
    source or a line of it cannot be read.
    """
    _one_source(files, store)
    key = read_key(key_file)
    cases = intact = 0
    broken: list[Read] = []
    unreadable: list[Unreadable] = []
    console = out()
    with (
        opened_store(store, load_workflow(workflow_path), key, unsealed=True) as held,
        meter(size_of(files), quiet=quiet) as bar,
    ):
        for item in _sources(files, held, key, unreadable):
            cases += 1
            if item.case is not None:
                intact += 1
            else:
                broken.append(item)
                if output_format == "text":
                    console.print(f"{shown(item.where)}: [red]broken[/red]: {shown(_why(item))}")
            if bar.shown and not cases % 256:
                bar.update(0, f"{cases} cases")
    unread = [item for item in broken if item.broken is None]
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "cases": cases,
                    "intact": intact,
                    "broken": [_broken_dict(item) for item in broken if item.broken is not None],
                    "unreadable": [{"where": item.where, "problem": item.problem} for item in unread]
                    + [{"where": problem.path, "problem": problem.problem} for problem in unreadable],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for problem in unreadable:
            console.print(f"{shown(problem.path)}: [red]cannot be read[/red]: {shown(problem.problem)}")
        if not quiet:
            console.print(f"{cases} cases: {intact} intact, {cases - intact} broken or unreadable")
    if unreadable or unread:
        raise SystemExit(CANNOT_READ)
    raise SystemExit(1 if broken else 0)


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
