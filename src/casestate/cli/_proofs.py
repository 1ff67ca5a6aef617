"""Proof others can check: ``keygen``, ``checkpoint``, ``prove``, ``consistency``, ``check-proof``, ``erase``.

Keys are read from files of one line each, the texts of
:class:`~casestate.proofs.SigningKey` and :class:`~casestate.proofs.VerifierKey`
(Go's note key format), as ``SigningKey.from_text(path.read_text())`` reads them in Python.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import click

from casestate.proofs import (
    ConsistencyProof,
    NoteError,
    ProofError,
    ProofsUnavailable,
    Receipt,
    SigningKey,
    VerifierKey,
)
from casestate.store import LogMismatch

from ._console import out
from ._options import key_option, load_workflow, read_key, read_text, workflow_option
from ._output import refuse_overwriting, write_whole
from ._shown import shown
from ._stores import StoreFault, opened_store, store_option

signing_key_option = click.option(
    "--signing-key",
    "signing_key_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file holding the log's signing key (PRIVATE+KEY+...), made by casestate keygen.",
)
public_key_option = click.option(
    "--public-key",
    "public_key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file holding the log's public key (<name>+<key hash>+<key>), made by casestate keygen.",
)
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write, whole or not at all (default: standard output).",
)


def read_signing_key(path: Path) -> SigningKey:
    """The signing key in the file at *path*; a usage error naming what is wrong."""
    try:
        return SigningKey.from_text(read_text(path, "--signing-key"))
    except NoteError as error:
        raise click.BadParameter(f"{path}: {error}", param_hint="--signing-key") from None
    except ProofsUnavailable as error:  # a signing key's hash is checked with its public key
        raise click.ClickException(str(error)) from None


def read_public_key(path: Path) -> VerifierKey:
    """The public key in the file at *path*; a usage error naming what is wrong."""
    try:
        return VerifierKey.from_text(read_text(path, "--public-key"))
    except NoteError as error:
        raise click.BadParameter(f"{path}: {error}", param_hint="--public-key") from None


def read_checkpoint(path: Path, option: str) -> str:
    """The signed checkpoint note in the file at *path* (checked where it is used)."""
    return read_text(path, option)


def _emit(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_whole(output, text.encode("utf-8"))


class ProofFault(click.ClickException):
    """A proof that cannot be made or does not hold: exit status 1."""

    exit_code = 1


@click.command()
@click.argument("name")
@click.option(
    "--signing-key",
    "signing_key_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the new signing key (readable by its owner alone).",
)
@click.option(
    "--public-key",
    "public_key_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write its public key, to give to whoever checks the log.",
)
def keygen(*, name: str, signing_key_file: Path, public_key_file: Path) -> None:
    """Make a key pair for the log named NAME (such as registry.example.org/cases).

    The signing key signs checkpoints: keep it away from the database and
    from everyone who may not speak for the log. The public key checks them:
    give it to partners, families' lawyers, courts. Existing files are not
    overwritten.
    """
    for path in (signing_key_file, public_key_file):
        if path.exists():
            raise click.UsageError(f"{path} exists already; keys are never overwritten")
    try:
        key = SigningKey.generate(name)
        public = key.verifier.to_text()
    except NoteError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from None
    except ProofsUnavailable as error:
        raise click.ClickException(str(error)) from None
    handle = os.open(signing_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(key.to_text() + "\n")
    write_whole(public_key_file, (public + "\n").encode("ascii"))
    out().print(f"public key: {shown(public)}")


@click.command()
@store_option
@workflow_option
@key_option
@signing_key_option
@output_option
def checkpoint(
    *,
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    signing_key_file: Path,
    output: Path | None,
) -> None:
    """Sign a checkpoint of the store's log: its size and Merkle root, now.

    Only the entries since the last checkpoint are hashed. Keep the
    checkpoint outside the database (a partner's inbox, a public page): a
    store that later fails it was cut short or rewritten.
    """
    if store is None:
        raise click.UsageError("name the --store to checkpoint")
    signer = read_signing_key(signing_key_file)
    with opened_store(store, load_workflow(workflow_path), read_key(key_file)) as held:
        assert held is not None  # noqa: S101 - a store was named
        note = held.store.checkpoint(signer)
    _emit(note, output)


@click.command()
@click.argument("case_id")
@click.argument("seq", type=click.IntRange(min=0))
@store_option
@workflow_option
@key_option
@click.option(
    "--checkpoint",
    "checkpoint_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signed checkpoint to prove the entry in.",
)
@output_option
def prove(
    *,
    case_id: str,
    seq: int,
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    checkpoint_file: Path,
    output: Path | None,
) -> None:
    """Write a receipt: proof that entry SEQ of case CASE_ID is in the log at a checkpoint.

    The receipt (JSON) holds the checkpoint, the entry's public part (no
    actor, reason or evidence details) and the proof; anyone with the log's
    public key checks it offline with casestate check-proof. Exits with
    status 1 if the store no longer holds the log the checkpoint signed.
    """
    if store is None:
        raise click.UsageError("name the --store that holds the entry")
    refuse_overwriting(output, [checkpoint_file])
    note = read_checkpoint(checkpoint_file, "--checkpoint")
    with opened_store(store, load_workflow(workflow_path), read_key(key_file)) as held:
        assert held is not None  # noqa: S101 - a store was named
        try:
            receipt = held.store.prove(case_id, seq, note)
        except NoteError as error:
            raise click.BadParameter(f"{checkpoint_file}: {error}", param_hint="--checkpoint") from None
        except LogMismatch as error:
            raise ProofFault(str(error)) from None
    _emit(receipt.to_json() + "\n", output)


@click.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@store_option
@workflow_option
@key_option
@output_option
def consistency(
    *,
    old: Path,
    new: Path,
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    output: Path | None,
) -> None:
    """Write a consistency proof: the log at checkpoint NEW extends the log at checkpoint OLD.

    Exits with status 1 if the store cannot show it (the log was rewritten
    or cut short between them, or a checkpoint is another log's). Check the
    proof with casestate check-proof.
    """
    if store is None:
        raise click.UsageError("name the --store whose checkpoints these are")
    refuse_overwriting(output, [old, new])
    earlier, later = read_checkpoint(old, "OLD"), read_checkpoint(new, "NEW")
    with opened_store(store, load_workflow(workflow_path), read_key(key_file)) as held:
        assert held is not None  # noqa: S101 - a store was named
        try:
            proof = held.store.consistency(earlier, later)
        except (NoteError, ProofError, LogMismatch) as error:
            raise ProofFault(str(error)) from None
    _emit(proof.to_json() + "\n", output)


@click.command("check-proof")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@public_key_option
def check_proof(*, files: tuple[Path, ...], public_key_file: Path | None) -> None:
    """Check receipts and consistency proofs offline, with the log's public key alone.

    Says for each file what it proves, or why it does not hold. Exit status:
    0 when every proof holds, 1 when one does not.
    """
    if public_key_file is None:
        raise click.UsageError("name the log's --public-key")
    key = read_public_key(public_key_file)
    console = out()
    failed = 0
    for path in files:
        try:
            said = _checked(read_text(path, "FILES"), key)
        except (NoteError, ProofError) as error:
            failed += 1
            console.print(f"{shown(str(path))}: [red]does not hold[/red]: {shown(str(error))}")
        except ProofsUnavailable as error:
            raise click.ClickException(str(error)) from None
        else:
            console.print(f"{shown(str(path))}: [green]holds[/green]: {shown(said)}")
    raise SystemExit(1 if failed else 0)


def signed_at(time: datetime | None) -> str:
    """' of <time>' for a checkpoint that says when it was signed; nothing for one that does not."""
    return "" if time is None else f" of {time:%Y-%m-%d %H:%M:%SZ}"


def _checked(text: str, key: VerifierKey) -> str:
    """What the proof document *text* shows, once it holds under *key*."""
    try:
        form = json.loads(text).get("format")
    except (ValueError, AttributeError):
        form = None
    if form == "casestate.consistency":
        old, new = ConsistencyProof.from_json(text).verify(key)
        return (
            f"the log {new.origin} at {new.size} entries{signed_at(new.time)} extends "
            f"its checkpoint of {old.size} entries{signed_at(old.time)}"
        )
    receipt = Receipt.from_json(text)
    signed = receipt.verify(key)
    fields = receipt.fields
    return (
        f"case {fields.get('case_id')!s}, entry {fields.get('seq')!s} ({fields.get('trigger')!s} -> "
        f"{fields.get('to_status')!s}, recorded {fields.get('recorded_at')!s}) is entry {receipt.position} "
        f"of the log {signed.origin} at {signed.size} entries{signed_at(signed.time)}"
    )


@click.command()
@click.argument("case_id")
@click.argument("seqs", nargs=-1, type=click.IntRange(min=0))
@store_option
@workflow_option
@key_option
@click.option("--by", required=True, help="Who erases (a person or office, as the store should record it).")
@click.option("--reason", required=True, help="Why (consent withdrawn, a court order...).")
def erase(
    *,
    case_id: str,
    seqs: tuple[int, ...],
    store: str | None,
    workflow_path: Path | None,
    key_file: Path | None,
    by: str,
    reason: str,
) -> None:
    """Erase the personal part of entries SEQS of case CASE_ID (all of its entries if none is given).

    Actor ids, reasons and evidence details go for good; statuses, roles,
    evidence kinds, times and every hash stay, so the trail, checkpoints and
    receipts still verify. The erasure is recorded: who, when, why.
    """
    if store is None:
        raise click.UsageError("name the --store that holds the case")
    with opened_store(store, load_workflow(workflow_path), read_key(key_file)) as held:
        assert held is not None  # noqa: S101 - a store was named
        try:
            made = held.store.erase(case_id, seqs or None, by=by, reason=reason)
        except (ValueError, KeyError) as error:
            raise StoreFault(str(error.args[0] if error.args else error)) from None
    erased = ", ".join(str(erasure.seq) for erasure in made) or "none (erased before)"
    out().print(f"case {shown(case_id)}: entries erased: {erased}")
