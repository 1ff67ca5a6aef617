"""Files a command writes: whole or not at all, and never over what it reads."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click


class Unfinished(Exception):
    """Raised inside :func:`replacing` to leave the file as it was: what was written is dropped."""


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A stream that becomes *path* when the block ends, and leaves *path* as it was if the block fails.

    It writes a temporary file beside *path* and renames it over *path*: a
    reader never sees half a file, and a command stopped half way (an error,
    Ctrl-C, :class:`Unfinished`) leaves the file it would have replaced
    untouched. The new file has the old one's permissions (or the umask's).
    A symbolic link keeps pointing to its file, now the new one. What is no
    regular file (a pipe, ``/dev/stdout``, a shell's ``>(...)``) is written
    as it comes, as it cannot be replaced.
    """
    if path.exists() and not path.is_file():
        with path.open("wb") as stream:
            yield stream
        return
    target = path.resolve()
    if not target.parent.is_dir():
        msg = f"cannot write {path}: there is no folder {path.parent}"
        raise click.UsageError(msg)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:  # a folder that takes no new file (/proc, read-only, full)
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        Path(temporary).chmod(_mode_for(target))
        Path(temporary).replace(target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.filename is not None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from None  # a full disk names the file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """The permissions a file written to *target* gets: the old file's, or what the umask leaves."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)  # read by setting it, and set back at once
        os.umask(mask)
        return 0o666 & ~mask


def write_whole(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all (see :func:`replacing`)."""
    with replacing(path) as stream:
        stream.write(data)


def refuse_overwriting(output: Path | None, sources: Iterable[str | os.PathLike[str]]) -> None:
    """A usage error when *output* names one of the files a command reads.

    Written to a temporary file and renamed, the output would still replace
    the source: a store exported onto itself, or its key, would be lost.
    """
    if output is None or not output.exists():
        return
    for source in sources:
        try:
            same = output.samefile(source)
        except OSError:  # a source that is no file (a URL, a missing path) is not the output
            continue
        if same:
            msg = f"--output {output} is one of the files read; write the export elsewhere"
            raise click.UsageError(msg)
