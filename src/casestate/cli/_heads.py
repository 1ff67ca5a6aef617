"""Heads kept outside the store: written by ``export --heads``, checked by ``verify --heads``.

A heads file is JSON Lines, one case a line: ``{"case_id": ..., "entries": N,
"head": ...}``, the hash of the case's entry N-1 (its last when the file was
written). A trail that is checked against it must hold at least N entries
and its first N must end in that hash: a tail cut off, or a trail rewritten
and sealed again, no longer does, even where the store's own rows were made
to agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TypedDict

import attrs
import click

from casestate import Case, Integrity, Problem, unique_keys
from casestate import verify as verify_trail

from ._shown import plain

MOST_HEADS_BYTES = 256 * 1024 * 1024
"""The largest heads file read: some two million cases."""


class HeadDict(TypedDict):
    """One line of a heads file."""

    case_id: str
    entries: int
    head: str


@attrs.frozen
class Head:
    """What a heads file says of one case: how many entries it had, and the hash of the last."""

    case_id: str
    entries: int
    head: str

    def to_dict(self) -> HeadDict:
        """The line of a heads file that says this."""
        return {"case_id": self.case_id, "entries": self.entries, "head": self.head}


def heads_option(said: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The ``--heads FILE`` option of a command, with its help *said*."""
    return click.option("--heads", "heads_path", type=click.Path(dir_okay=False, path_type=Path), help=said)


def write_heads(stream: BinaryIO, cases: Iterable[Case]) -> None:
    """The heads of *cases*, as a heads file."""
    for case in cases:
        line = Head(case.id, case.version, case.head).to_dict()
        stream.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))


def _fault(path: Path, number: int, problem: str) -> click.BadParameter:
    return click.BadParameter(f"{plain(str(path))}:{number}: {problem}", param_hint="--heads")


def _head(path: Path, number: int, raw: bytes) -> Head:
    try:
        data = json.loads(raw, object_pairs_hook=unique_keys)
    except (ValueError, RecursionError) as error:  # a FormatError (a key twice) is a ValueError
        raise _fault(path, number, f"not JSON: {error}") from None
    if not isinstance(data, dict) or set(data) != set(HeadDict.__annotations__):
        raise _fault(path, number, 'expected {"case_id": ..., "entries": ..., "head": ...}')
    case_id, entries, head = data["case_id"], data["entries"], data["head"]
    if not isinstance(case_id, str) or not isinstance(head, str):
        raise _fault(path, number, "case_id and head must be text")
    if not isinstance(entries, int) or isinstance(entries, bool) or entries < 1:
        raise _fault(path, number, f"entries must be a number of entries, 1 or more, not {entries!r}")
    return Head(case_id, entries, head)


def read_heads(path: Path) -> dict[str, Head]:
    """The heads a heads file holds, by case id; a usage error naming the line of any fault."""
    try:
        if path.exists() and not path.is_file():  # a pipe may never end; a missing file is open's fault
            raise click.BadParameter(f"{plain(str(path))}: not a regular file", param_hint="--heads")
        with path.open("rb") as stream:
            data = stream.read(MOST_HEADS_BYTES + 1)
    except OSError as error:
        raise click.BadParameter(
            f"{plain(str(path))}: {error.strerror or error}", param_hint="--heads"
        ) from None
    if len(data) > MOST_HEADS_BYTES:
        raise click.BadParameter(
            f"{plain(str(path))}: larger than {MOST_HEADS_BYTES} bytes", param_hint="--heads"
        )
    heads: dict[str, Head] = {}
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        head = _head(path, number, raw)
        if head.case_id in heads:
            raise _fault(path, number, f"case {head.case_id!r} is named twice")
        heads[head.case_id] = head
    return heads


def check_head(case: Case, kept: Head, key: bytes | None) -> Integrity:
    """Whether *case*'s trail still holds the entries *kept* names, ending in its head."""
    if case.version < kept.entries:
        return Integrity(
            ok=False,
            case_id=case.id,
            entries=case.version,
            position=case.version,
            problem=Problem.TRUNCATED,
            message=f"case {case.id!r}: the heads file says it had {kept.entries} entries; "
            f"{case.version} are left: entries were cut off",
        )
    redacted = any(entry.redacted for entry in case.trail)
    return verify_trail(case.trail[: kept.entries], key=key, head=kept.head, allow_redacted=redacted)


def missing(kept: Head) -> Integrity:
    """The verdict on a case the heads file names and the source no longer holds."""
    return Integrity(
        ok=False,
        case_id=kept.case_id,
        entries=0,
        problem=Problem.EMPTY,
        message=f"case {kept.case_id!r}: the heads file names it with {kept.entries} entries; "
        "the source holds no case of that id",
    )
