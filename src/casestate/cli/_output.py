"""Files a command writes: whole or not at all, and never over what it reads."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A stream that becomes *path* when the block ends, and leaves *path* as it was if the block fails.

    It writes a temporary file beside *path* and renames it over *path*: a
    reader never sees half a file, and a command stopped half way (an error,
    Ctrl-C) leaves the file it would have replaced untouched.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_whole(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all (see :func:`replacing`)."""
    with replacing(path) as stream:
        stream.write(data)


def refuse_overwriting(output: Path | None, sources: Iterable[str | os.PathLike[str]]) -> None:
    """A usage error when *output* names one of the files a command reads.

    Written to a temporary file and renamed, the output would still replace
    the source: a store exported onto itself would be lost.
    """
    if output is None or not output.exists():
        return
    for source in sources:
        try:
            same = output.samefile(source)
        except OSError:  # a source that is no file (a URL, a missing path) is not the output
            continue
        if same:
            msg = f"--output {output} is one of the sources read; write the export elsewhere"
            raise click.UsageError(msg)
