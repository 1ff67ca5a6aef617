r"""Key files: the one text form of the key that seals chains, read and written the same way everywhere.

A key file holds the chain's HMAC key as hexadecimal digits on one line:
two digits a byte, at least 32 digits (the 16 bytes a chain key needs at
the least; 64, a 32-byte key, is the usual), upper or lower case. Whitespace
at either end, the line's end among it, is not part of the key. Nothing else
may be in the file, so that a key file read by the command line and one
read by an app give the same key. Make one with::

    python3 -c "import secrets; print(secrets.token_hex(32))" > chain.key

The key file is about the chain's HMAC key only.
"""

from __future__ import annotations

import re

from ._chain import MIN_KEY_BYTES
from ._errors import CasestateError

_HEX = re.compile(rb"[0-9A-Fa-f]+")
_ENDS = b" \t\r\n"
_CONVERT = (
    "a key file of raw bytes, as casestate's command line once read, is written as hexadecimal with: "
    "python3 -c \"import sys; print(open(sys.argv[1], 'rb').read().rstrip(b'\\r\\n').hex())\" OLD > NEW"
)


class KeyFileError(CasestateError, ValueError):
    """A key file that does not hold a chain key in the one documented form (hexadecimal digits)."""


def chain_key_from_text(text: str | bytes, *, where: str = "the key file") -> bytes:
    r"""The chain key a key file's content holds; a :class:`KeyFileError` naming *where* otherwise.

    >>> chain_key_from_text("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\n").hex()
    '6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f'
    >>> chain_key_from_text("6b1c 2e9f", where="chain.key")
    Traceback (most recent call last):
    ...
    casestate.KeyFileError: chain.key: not a key file: it holds other characters than hexadecimal digits ...
    """
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    digits = data.strip(_ENDS)
    if not digits:
        raise KeyFileError(f"{where}: the key file is empty; it holds the key as hexadecimal digits")
    if _HEX.fullmatch(digits) is None:
        raise KeyFileError(
            f"{where}: not a key file: it holds other characters than hexadecimal digits on one line "
            f"(two a byte); {_CONVERT}"
        )
    if len(digits) % 2:
        raise KeyFileError(f"{where}: an odd number of hexadecimal digits ({len(digits)}): two make a byte")
    if len(digits) < 2 * MIN_KEY_BYTES:
        raise KeyFileError(
            f"{where}: a chain key is at least {MIN_KEY_BYTES} bytes "
            f"({2 * MIN_KEY_BYTES} hexadecimal digits); this one is {len(digits) // 2}"
        )
    return bytes.fromhex(digits.decode("ascii"))


def chain_key_to_text(key: bytes) -> str:
    r"""The content of the key file that holds *key*: what :func:`chain_key_from_text` reads back.

    >>> chain_key_to_text(bytes(range(16)))
    '000102030405060708090a0b0c0d0e0f\n'
    """
    if not isinstance(key, bytes):
        raise TypeError(f"the chain key must be bytes, not {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise KeyFileError(f"a chain key is at least {MIN_KEY_BYTES} bytes; this one is {len(key)}")
    return key.hex() + "\n"
