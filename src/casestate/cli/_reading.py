"""Reading cases for ``export`` and ``verify``: out of a store, case documents or JSON Lines of cases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

import attrs

from casestate import (
    BrokenTrail,
    Case,
    ChainKeyError,
    FormatError,
    Integrity,
    Problem,
    from_dict,
    unique_keys,
)
from casestate import verify as verify_trail
from casestate.feeds import UnreadableFile

from ._stores import Held


@attrs.frozen
class Read:
    """One case read from a source: the case, or why its trail does not hold, or why it cannot be read."""

    where: str
    case: Case | None = None
    broken: Integrity | None = None
    problem: str | None = None


def _redaction_said(data: object) -> bool:
    """Whether every entry of *data* without its personal data says why: a redacted export, or erasure.

    A redacted export (no entry carries its personal data) verifies through
    its commitments, and so does an entry erased in the store, which an
    export writes with ``"private": null``; a trail where some entries lost
    their personal data without a word is a break, and verify reports it.
    """
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        return False
    if all(isinstance(entry, dict) and "private" not in entry for entry in entries):
        return True
    return all(isinstance(entry, dict) and "private" in entry for entry in entries)


def _from_data(where: str, data: object, key: bytes | None) -> Read:
    try:
        return Read(where, case=from_dict(data, key=key, allow_redacted=_redaction_said(data)))
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
        raise UnreadableFile(path, error.strerror or str(error)) from None
    with stream:
        try:
            yield from _cases_in(path, stream, key)
        except OSError as error:  # a device that fails (EIO)
            raise UnreadableFile(path, error.strerror or str(error)) from None


def _cases_in(path: str, stream: BinaryIO, key: bytes | None) -> Iterator[Read]:
    if path.lower().endswith(".json"):
        data = stream.read(MOST_CASE_BYTES + 1)
        if len(data) > MOST_CASE_BYTES:
            raise UnreadableFile(
                path, f"larger than {MOST_CASE_BYTES} bytes, the most a case document may be"
            )
        yield _document(path, data, key)
        return
    number = 0
    seen = False
    while raw := stream.readline(MOST_CASE_BYTES + 1):
        number += 1
        if len(raw) > MOST_CASE_BYTES and not raw.endswith(b"\n"):
            msg = f"line {number} is longer than {MOST_CASE_BYTES} bytes: the rest of the file is not read"
            raise UnreadableFile(path, msg)
        if not raw.strip():
            continue
        seen = True
        yield _document(f"{path}:{number}", raw, key)
    if not seen:
        raise UnreadableFile(path, "the file is empty: it holds no cases")


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


def cases_from(
    files: tuple[str, ...], held: Held | None, key: bytes | None, unreadable: list[UnreadableFile]
) -> Iterator[Read]:
    if held is not None:
        yield from _from_store(held)
    for path in files:
        try:
            yield from _from_file(path, key)
        except UnreadableFile as problem:
            unreadable.append(problem)


def why_not(item: Read) -> str:
    if item.broken is not None:
        return item.broken.message
    return item.problem or "cannot be read"
