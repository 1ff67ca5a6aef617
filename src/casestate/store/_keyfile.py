"""Reading a key file from disk, as the command line reads it."""

from __future__ import annotations

import os
from pathlib import Path

from casestate import KeyFileError, chain_key_from_text

MOST_KEY_FILE_BYTES = 64 * 1024
"""Far more than any key file holds: a file that goes on (``/dev/zero``) is not read for ever."""


def read_key_file(path: str | os.PathLike[str]) -> bytes:
    r"""The chain key in the key file at *path*, in hexadecimal (:func:`casestate.chain_key_from_text`).

    ``casestate --key-file`` reads key files with this function. A file that
    holds no key in that form is a :class:`casestate.KeyFileError` naming
    the path; one that cannot be read is the system's ``OSError``.

    >>> import pathlib, tempfile
    >>> key_path = pathlib.Path(tempfile.mkdtemp()) / "chain.key"
    >>> _ = key_path.write_text("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\n")
    >>> read_key_file(key_path).hex()
    '6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f'
    """
    where = Path(path)
    # A pipe may never end, a device neither; a missing file is the OSError of open below.
    if not where.is_file() and where.exists():
        raise KeyFileError(f"{where}: not a regular file")
    with where.open("rb") as stream:
        data = stream.read(MOST_KEY_FILE_BYTES + 1)
    if len(data) > MOST_KEY_FILE_BYTES:
        raise KeyFileError(f"{where}: larger than {MOST_KEY_FILE_BYTES} bytes: not a key file")
    return chain_key_from_text(data, where=str(where))
