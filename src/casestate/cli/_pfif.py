"""``casestate pfif export`` and ``casestate pfif import``: cases in and out as PFIF 1.4."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import click

from casestate import BrokenTrail, Case, ChainKeyError, FormatError, Role, from_json, to_dict, unique_keys
from casestate.cli._options import read_key
from casestate.cli._output import refuse_overwriting, write_whole
from casestate.cli._shown import plain

try:
    from casestate.pfif import (
        MAX_BYTES,
        ImportReport,
        Note,
        Person,
        PfifError,
        format_date,
        from_pfif,
        person_record_id,
        to_pfif,
    )
except ImportError as missing:  # pragma: no cover - only without the extra
    _MISSING: ImportError | None = missing
else:
    _MISSING = None

_EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)
_NEW = click.Path(dir_okay=True, path_type=Path)


def _needs_extra() -> None:
    if _MISSING is not None:  # pragma: no cover - only without the extra
        raise click.ClickException("PFIF needs its extra: pip install 'casestate[pfif]'")


def _read_at_most(path: Path, most: int) -> bytes:
    """The bytes of the file at *path*; a clear error, before memory fills, if it holds more than *most*."""
    try:
        with path.open("rb") as stream:
            data = stream.read(most + 1)
    except OSError as error:  # a read that fails (EIO) names no file of its own
        raise OSError(error.errno, error.strerror, str(path)) from None
    if len(data) > most:
        raise click.ClickException(f"{path}: refused: larger than the limit of {most} bytes")
    return data


def _documents(path: Path) -> Iterator[tuple[str, str]]:
    """The case documents in *path*, each with where it is: one JSON file, or JSON Lines."""
    try:
        text = _read_at_most(path, MAX_BYTES).decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path}: not UTF-8: {error}") from None
    if path.suffix != ".jsonl":
        yield str(path), text
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield f"{path}:{number}", line


def _case_from_json(text: str, key: bytes | None) -> Case:
    """A plain chain is read without the key, a keyed one with it: a folder may hold both."""
    try:
        return from_json(text)
    except (BrokenTrail, ChainKeyError):
        if key is None:
            raise
        return from_json(text, key=key)


def read_cases(paths: tuple[Path, ...], key: bytes | None) -> list[Case]:
    """Cases from JSON files written by ``to_json`` or JSON Lines of ``to_dict`` documents."""
    cases = []
    for path in paths:
        for where, text in _documents(path):
            try:
                case = _case_from_json(text, key)
            except (FormatError, BrokenTrail, ChainKeyError, ValueError) as error:
                raise click.ClickException(f"{where}: {error}") from None
            cases.append(case)
    return cases


def read_persons(path: Path) -> dict[str, Person]:
    """A JSON object mapping each case id to its person's PFIF fields."""
    try:
        data = json.loads(_read_at_most(path, MAX_BYTES), object_pairs_hook=unique_keys)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError and a key twice are ValueErrors
        raise click.ClickException(f"{path}: not JSON: {error}") from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{path}: expected an object mapping case ids to person fields")
    persons = {}
    for case_id, fields in data.items():
        if not isinstance(fields, dict):
            raise click.ClickException(f"{path}: case {case_id!r}: expected an object of PFIF person fields")
        try:
            persons[case_id] = Person(**fields)
        except (TypeError, ValueError) as error:
            raise click.ClickException(f"{path}: case {case_id!r}: {error}") from None
    return persons


@click.group()
def pfif() -> None:
    """Exchange cases as PFIF 1.4, the People Finder Interchange Format."""
    _needs_extra()


@pfif.command("export")
@click.argument("cases", nargs=-1, required=True, type=_EXISTING)
@click.option("--persons", required=True, type=_EXISTING, help="JSON object: case id -> PFIF person fields.")
@click.option("--domain", required=True, help="Your repository's domain; record ids are DOMAIN/case-id.")
@click.option("--source-name", help="The source_name of the person records (default: the domain).")
@click.option("--redacted", is_flag=True, help="Leave out actor ids, reasons and evidence details.")
@click.option("--key-file", type=_EXISTING, help="File holding the chain key of keyed cases.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
def export_command(
    *,
    cases: tuple[Path, ...],
    persons: Path,
    domain: str,
    source_name: str | None,
    redacted: bool,
    key_file: Path | None,
    output: Path | None,
) -> None:
    """Write CASES (casestate JSON files, or JSON Lines of them) as one PFIF 1.4 document."""
    refuse_overwriting(output, [*cases, persons, *([] if key_file is None else [key_file])])
    loaded = read_cases(cases, read_key(key_file))
    try:
        document = to_pfif(
            loaded, read_persons(persons), domain=domain, source_name=source_name, redacted=redacted
        )
    except PfifError as error:
        raise click.ClickException(str(error)) from None
    if output is None:
        click.echo(document, nl=False)
    else:
        write_whole(output, document)
        click.echo(f"{len(loaded)} cases written to {plain(str(output))}", err=True)


def _recorded_at(_context: click.Context, _parameter: click.Parameter, value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}") from None
    if when.utcoffset() is None:
        raise click.BadParameter(f"give a time zone (such as Z or +02:00): {value!r}")
    return when


_LONGEST_STEM = 120


def _file_name(case_id: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", case_id).strip("._") or "case"
    if len(stem) > _LONGEST_STEM:  # a file name has at most 255 bytes; the digest keeps long ids apart
        digest = hashlib.sha256(case_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        stem = f"{stem[: _LONGEST_STEM - len(digest) - 1]}-{digest}"
    name, number = f"{stem}.json", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.json"
    taken.add(name)
    return name


def write_cases(target: Path, cases: tuple[Case, ...]) -> None:
    """JSON Lines when *target* ends in ``.jsonl``, else a new folder of one JSON file per case."""
    if target.suffix == ".jsonl":
        lines = "".join(json.dumps(to_dict(case), ensure_ascii=False) + "\n" for case in cases)
        write_whole(target, lines.encode("utf-8"))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        taken: set[str] = set()
        for case in cases:
            text = json.dumps(to_dict(case), ensure_ascii=False, indent=2)
            (folder / _file_name(case.id, taken)).write_text(text, encoding="utf-8")
        folder.rename(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _note_dict(note: Note) -> dict[str, Any]:
    return {
        name: format_date(value) if isinstance(value, datetime) else value
        for name, value in attrs.asdict(note).items()
        if value is not None
    }


def report_dict(report: ImportReport) -> dict[str, Any]:
    """The import report as JSON-ready data, for integrators."""
    return {
        "version": report.version,
        "summary": report.summary(),
        "imported": [
            {
                "person_record_id": item.person_record_id,
                "case_id": item.case.id,
                "origin": item.origin.value,
                "status": item.case.status,
                "fate": item.case.fate.value,
                "assurance": item.case.assurance.value,
                "open_conflicts": list(item.case.open_conflicts),
                "information": [_note_dict(note) for note in item.information],
                "evidence_of_life": [_note_dict(note) for note in item.evidence_of_life],
            }
            for item in report.imported
        ],
        "notes": [
            {
                "note_record_id": result.note_record_id,
                "person_record_id": result.person_record_id,
                "outcome": result.outcome.value,
                "detail": result.detail,
                "codes": [code.value for code in result.codes],
            }
            for result in report.notes
        ],
        "skipped": [
            {"record": item.record, "reason": item.reason, "codes": [code.value for code in item.codes]}
            for item in report.skipped
        ],
    }


def _check_import(document: Path, targets: list[Path]) -> None:
    """Refuse a document too large, or outputs that cannot all be written, before anything is read."""
    for path in targets:
        if path.exists():
            raise click.ClickException(f"{path} exists already; casestate does not overwrite it")
        # A folder of cases is made with its parents; a file needs its folder.
        folder_of_cases = path is targets[0] and path.suffix != ".jsonl"
        if not folder_of_cases and not path.parent.is_dir():
            raise click.UsageError(f"cannot write {path}: there is no folder {path.parent}")
    if len({path.resolve() for path in targets}) < len(targets):
        raise click.UsageError("--cases, --persons and --report must name different places")
    size = document.stat().st_size
    if size > MAX_BYTES:  # told before it is read into memory (a device may not tell its size: see below)
        raise click.ClickException(f"{document}: refused: {size} bytes, more than the limit of {MAX_BYTES}")


@pfif.command("import")
@click.argument("document", type=_EXISTING)
@click.option("--cases", "cases_out", required=True, type=_NEW, help="New folder, or a .jsonl file.")
@click.option("--persons", "persons_out", type=_NEW, help="Write the persons' details (JSON) here.")
@click.option("--report", "report_out", type=_NEW, help="Write the full import report (JSON) here.")
@click.option("--recorded-at", callback=_recorded_at, help="When you take the document in (default: now).")
@click.option(
    "--role", default=Role.NGO.value, show_default=True, help="The role reports from PFIF are made in."
)
@click.option(
    "--alive-trigger",
    default="report_captured",
    show_default=True,
    help="The report a believed_alive note makes; 'none' keeps it as evidence of life.",
)
@click.option(
    "--life-trigger", help="The report of a note saying alive and nothing of where (default: none)."
)
@click.option("--dead-trigger", default="report_dead", show_default=True)
@click.option(
    "--trust-domain",
    "trusted_domains",
    multiple=True,
    help="Take records of this domain only (repeat for each); the rest are skipped and listed.",
)
@click.option("--strict", is_flag=True, help="Refuse the whole document if any record would be skipped.")
@click.option("--allow-redacted", is_flag=True, help="Take casestate trails exported redacted.")
@click.option("--key-file", type=_EXISTING, help="File holding your chain key.")
@click.option(
    "--trust-plain",
    is_flag=True,
    help="Restore plain (unkeyed) casestate trails: you vouch for the sender. Not with --key-file.",
)
@click.option(
    "--into", multiple=True, type=_EXISTING, help="Your cases (JSON or JSON Lines) the notes may be about."
)
@click.option("--domain", help="Your repository's domain, to know your cases' record ids (with --into).")
def import_command(
    *,
    document: Path,
    cases_out: Path,
    persons_out: Path | None,
    report_out: Path | None,
    recorded_at: datetime,
    role: str,
    alive_trigger: str,
    life_trigger: str | None,
    dead_trigger: str,
    trusted_domains: tuple[str, ...],
    strict: bool,
    allow_redacted: bool,
    key_file: Path | None,
    trust_plain: bool,
    into: tuple[Path, ...],
    domain: str | None,
) -> None:
    """Read a PFIF 1.2-1.4 DOCUMENT (or a Person Finder Atom feed of it) into cases.

    Nothing is written unless all of it is read.

    With --into, notes about your own cases are applied to them; the cases the
    document touched, updated or new, are written to --cases. A casestate
    trail is restored only when it is sealed with --key-file's key, or, with
    --trust-plain, when it is plain; any other comes in as the reports its
    notes make.
    """
    _check_import(document, [path for path in (cases_out, persons_out, report_out) if path is not None])
    if into and domain is None:
        raise click.UsageError("--into needs --domain, the domain your cases were exported under")
    if trust_plain and key_file is not None:
        raise click.UsageError(
            "--trust-plain restores plain trails, which a key refuses: not with --key-file"
        )
    key = read_key(key_file)
    known = {person_record_id(domain or "", case.id): case for case in read_cases(into, key)}
    try:
        report = from_pfif(
            _read_at_most(document, MAX_BYTES),
            cases=known,
            recorded_at=recorded_at,
            role=role,
            key=key,
            alive_trigger=None if alive_trigger == "none" else alive_trigger,
            life_trigger=life_trigger,
            dead_trigger=dead_trigger,
            trusted_domains=trusted_domains or None,
            strict=strict,
            allow_redacted=allow_redacted,
            trust_plain=trust_plain,
        )
    except (PfifError, ValueError) as error:
        raise click.ClickException(f"{document}: {error}") from None
    write_cases(cases_out, report.cases)
    if persons_out is not None:
        persons = {item.case.id: item.person.fields() for item in report.imported if item.person is not None}
        write_whole(persons_out, json.dumps(persons, ensure_ascii=False, indent=2).encode("utf-8"))
    if report_out is not None:
        write_whole(report_out, json.dumps(report_dict(report), ensure_ascii=False, indent=2).encode())
    click.echo(plain(report.summary()))
    for item in report.skipped:
        click.echo(plain(f"  skipped {item.record}: {item.reason}"))
