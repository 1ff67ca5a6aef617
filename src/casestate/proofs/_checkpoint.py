"""Checkpoints: "this log, at this size, has this root", as a C2SP tlog-checkpoint signed note.

The note's text is the origin (the log's name, which is also its key's
name), the tree size in decimal, the root hash in base64, and, when the
checkpoint says when it was made, one extension line ``time <UTC instant>``
(``2024-05-21T09:30:00Z``), which the signature covers as it covers the rest.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

import attrs

from ._merkle import HASH_SIZE
from ._note import NoteError, SigningKey, VerifierKey, decoded, open_note, sign_note

_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")
_TIME = re.compile(r"time ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _check_time(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        msg = f"a checkpoint's time is an aware datetime, not {value!r}"
        raise ValueError(msg)
    # Whole seconds in UTC: the text holds no more, and a checkpoint reads back equal.
    return value.astimezone(UTC).replace(microsecond=0)


@attrs.frozen
class Checkpoint:
    """The head of a log: its *origin*, its *size* in entries, its Merkle *root*, and when it was made."""

    origin: str
    size: int
    root: bytes = attrs.field(repr=lambda root: root.hex())
    time: datetime | None = attrs.field(default=None, converter=_check_time)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.origin, str) or not self.origin or "\n" in self.origin:
            msg = f"a checkpoint's origin is one non-empty line, not {self.origin!r}"
            raise ValueError(msg)
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            msg = f"a checkpoint's size is a number of entries (an int >= 0), not {self.size!r}"
            raise ValueError(msg)
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            msg = f"a checkpoint's root is a {HASH_SIZE}-byte hash"
            raise ValueError(msg)

    def text(self) -> str:
        """The note text the signature covers."""
        root = base64.b64encode(self.root).decode("ascii")
        when = "" if self.time is None else f"time {self.time.strftime(_TIME_FORMAT)}\n"
        return f"{self.origin}\n{self.size}\n{root}\n{when}"

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Read a checkpoint's note text (no signature checked: see :func:`open_checkpoint`)."""
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):  # noqa: PLR2004 - three lines and the end
            msg = "a checkpoint is at least three non-empty lines, each ending with a newline"
            raise NoteError(msg)
        origin, size, root, *extensions, _ = lines
        if _SIZE.fullmatch(size) is None:
            msg = f"a checkpoint's second line is its size in decimal, not {size!r}"
            raise NoteError(msg)
        try:
            hashed = decoded(root, "a checkpoint's root")
        except NoteError:
            hashed = b""
        if len(hashed) != HASH_SIZE:
            msg = "a checkpoint's third line is its root hash in base64"
            raise NoteError(msg)
        time = None
        for line in extensions:  # others' extension lines are opaque, and kept out of what this one says
            found = _TIME.fullmatch(line)
            if found is not None and time is None:
                time = datetime.strptime(found[1], _TIME_FORMAT).replace(tzinfo=UTC)
        return cls(origin, int(size), hashed, time)


def sign_checkpoint(checkpoint: Checkpoint, key: SigningKey) -> str:
    """*checkpoint* as a signed note, signed by *key*, whose name must be the checkpoint's origin."""
    if key.name != checkpoint.origin:
        msg = (
            f"the key {key.name!r} cannot sign for the log {checkpoint.origin!r}: its name must be the origin"
        )
        raise NoteError(msg)
    return sign_note(checkpoint.text(), key)


def open_checkpoint(note: str, key: VerifierKey) -> Checkpoint:
    """The checkpoint in signed *note*, once *key*'s signature verifies and its origin is *key*'s name.

    Raises :class:`NoteError` otherwise: a partner holding only the public
    key cannot be shown a checkpoint the log did not sign.
    """
    checkpoint = Checkpoint.from_text(open_note(note, key))
    if checkpoint.origin != key.name:
        msg = f"the checkpoint is of the log {checkpoint.origin!r}, not of {key.name!r}"
        raise NoteError(msg)
    return checkpoint
