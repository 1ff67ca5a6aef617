"""Signed notes (C2SP signed-note, as Go's checksum database writes them) with Ed25519 keys.

A note is UTF-8 text ending in a newline; a signed note adds a blank line
and one line per signature: an em dash, the key's name, and the base64 of
the key hash (4 bytes) followed by the signature. Keys are written in the
same texts as Go's ``golang.org/x/mod/sumdb/note``:

- a verifier key: ``<name>+<key hash, 8 hex digits>+<base64 of 0x01 and the 32-byte public key>``
- a signing key: ``PRIVATE+KEY+<name>+<key hash>+<base64 of 0x01 and the 32-byte seed>``

The key hash is the first four bytes of SHA-256 over the name, a newline,
0x01 and the public key. Ed25519 comes from the ``cryptography`` package,
imported when a key is used (``pip install 'casestate[proofs]'``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from types import ModuleType
from typing import TYPE_CHECKING

import attrs

from casestate import CasestateError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_ED25519 = b"\x01"
"""The signature algorithm's byte in a key's text: Ed25519."""
_DASH = "\u2014 "
"""How a signature line starts: an em dash and a space."""
_PRIVATE = "PRIVATE+KEY+"
_MAX_SIGNATURES = 100
_INSTALL = "signing and checking proofs needs the cryptography package: pip install 'casestate[proofs]'"


class NoteError(CasestateError, ValueError):
    """A key or signed note that cannot be read, or whose signature does not verify."""


class ProofsUnavailable(CasestateError, ImportError):
    """The ``proofs`` extra (the ``cryptography`` package) is not installed."""


def _ed25519() -> ModuleType:
    """The ``cryptography`` package's Ed25519 module, or a clear error when the extra is missing."""
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: PLC0415 - optional: the proofs extra
    except ImportError as error:
        raise ProofsUnavailable(_INSTALL) from error
    return ed25519


def _private_key(seed: bytes) -> Ed25519PrivateKey:
    key: Ed25519PrivateKey = _ed25519().Ed25519PrivateKey.from_private_bytes(seed)
    return key


def _public_key(public: bytes) -> Ed25519PublicKey:
    key: Ed25519PublicKey = _ed25519().Ed25519PublicKey.from_public_bytes(public)
    return key


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name or any(c.isspace() or c == "+" for c in name):
        msg = f"a key name is a non-empty text with no spaces and no '+', not {name!r}"
        raise NoteError(msg)
    return name


def _key_hash(name: str, public: bytes) -> int:
    return int.from_bytes(hashlib.sha256(name.encode() + b"\n" + _ED25519 + public).digest()[:4], "big")


def decoded(text: str, what: str) -> bytes:
    """The bytes *text* writes in standard base64, as base64 writes them; :class:`NoteError` otherwise.

    A text that decodes but is not how those bytes are written (its unused
    bits set) is refused: a note has one text, so that no two texts of one
    signature both verify.
    """
    try:
        found = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        found = None
    if found is None or base64.b64encode(found).decode("ascii") != text:
        msg = f"{what} is not base64"
        raise NoteError(msg)
    return found


def _key_parts(text: str, what: str, form: str) -> tuple[str, str, bytes]:
    """The name, the written key hash and the 32 key bytes of a key's *text* (past ``PRIVATE+KEY+``)."""
    parts = text.split("+", 2)  # the base64 may hold a "+"
    if len(parts) != 3:  # noqa: PLR2004 - name, hash, key
        msg = f"not a {what} ({form})"
        raise NoteError(msg)
    name, written_hash, encoded = parts
    key = decoded(encoded, f"the {what}")
    if len(key) != 33 or key[:1] != _ED25519:  # noqa: PLR2004 - the algorithm byte and 32 bytes
        msg = f"the {what} is not an Ed25519 key"
        raise NoteError(msg)
    return name, written_hash, key[1:]


@attrs.frozen
class VerifierKey:
    """The public key that checks a log's signatures: what a partner, a family or a court holds.

    Its text (:meth:`to_text`, :meth:`from_text`) is Go's note verifier key.
    """

    name: str = attrs.field(converter=_check_name)
    public: bytes = attrs.field()

    @public.validator
    def _check_public(self, _: object, value: object) -> None:
        if not isinstance(value, bytes) or len(value) != 32:  # noqa: PLR2004 - an Ed25519 public key's size
            msg = "an Ed25519 public key is 32 bytes"
            raise NoteError(msg)

    @property
    def key_hash(self) -> int:
        """The four bytes that tell this key's signatures from others' with the same name."""
        return _key_hash(self.name, self.public)

    def to_text(self) -> str:
        """``<name>+<key hash>+<base64 key>``, one line."""
        encoded = base64.b64encode(_ED25519 + self.public).decode("ascii")
        return f"{self.name}+{self.key_hash:08x}+{encoded}"

    @classmethod
    def from_text(cls, text: str) -> VerifierKey:
        """Read a verifier key from its text (surrounding blank space ignored)."""
        if not isinstance(text, str):
            msg = f"a verifier key is a text, not {type(text).__name__}"
            raise NoteError(msg)
        if text.strip().startswith(_PRIVATE):
            msg = "not a verifier key (<name>+<key hash>+<base64 key>), but a signing key: keep it secret"
            raise NoteError(msg)
        name, written_hash, key = _key_parts(text.strip(), "verifier key", "<name>+<key hash>+<base64 key>")
        found = cls(name, key)
        if written_hash != f"{found.key_hash:08x}":
            msg = "the verifier key's hash does not match its name and key"
            raise NoteError(msg)
        return found

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether *signature* is this key's over *message*."""
        from cryptography.exceptions import InvalidSignature  # noqa: PLC0415 - optional: the proofs extra

        try:
            _public_key(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@attrs.frozen
class SigningKey:
    """The private key a log signs its checkpoints with; keep it out of the database and out of sight.

    Its text (:meth:`to_text`, :meth:`from_text`) is Go's note signer key.
    """

    name: str = attrs.field(converter=_check_name)
    seed: bytes = attrs.field(repr=False)

    @seed.validator
    def _check_seed(self, _: object, value: object) -> None:
        if not isinstance(value, bytes) or len(value) != 32:  # noqa: PLR2004 - an Ed25519 seed's size
            msg = "an Ed25519 private key is a 32-byte seed"
            raise NoteError(msg)

    @classmethod
    def generate(cls, name: str) -> SigningKey:
        """A new key named *name* (the log's origin, such as ``registry.example.org/cases``)."""
        return cls(name, secrets.token_bytes(32))

    @property
    def verifier(self) -> VerifierKey:
        """The public key that checks this key's signatures."""
        from cryptography.hazmat.primitives.serialization import (  # noqa: PLC0415 - optional: the proofs extra
            Encoding,
            PublicFormat,
        )

        public = _private_key(self.seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return VerifierKey(self.name, public)

    def to_text(self) -> str:
        """``PRIVATE+KEY+<name>+<key hash>+<base64 seed>``, one line."""
        encoded = base64.b64encode(_ED25519 + self.seed).decode("ascii")
        return f"{_PRIVATE}{self.name}+{self.verifier.key_hash:08x}+{encoded}"

    @classmethod
    def from_text(cls, text: str) -> SigningKey:
        """Read a signing key from its text (surrounding blank space ignored)."""
        if not isinstance(text, str) or not text.strip().startswith(_PRIVATE):
            msg = "not a signing key (PRIVATE+KEY+<name>+<key hash>+<base64 key>)"
            raise NoteError(msg)
        form = "PRIVATE+KEY+<name>+<key hash>+<base64 key>"
        name, written_hash, key = _key_parts(text.strip()[len(_PRIVATE) :], "signing key", form)
        found = cls(name, key)
        if written_hash != f"{found.verifier.key_hash:08x}":
            msg = "the signing key's hash does not match its name and key"
            raise NoteError(msg)
        return found

    def sign(self, message: bytes) -> bytes:
        """This key's Ed25519 signature over *message*."""
        return _private_key(self.seed).sign(message)


def _check_text(text: object) -> str:
    if not isinstance(text, str) or not text.endswith("\n"):
        msg = "a note's text ends with a newline"
        raise NoteError(msg)
    if any((c < " " and c != "\n") or c == "\x7f" for c in text):
        msg = "a note's text holds no control character but the newline"
        raise NoteError(msg)
    return text


def sign_note(text: str, key: SigningKey) -> str:
    """*text* (ending with a newline) signed by *key*, as a signed note."""
    body = _check_text(text)
    signature = key.verifier.key_hash.to_bytes(4, "big") + key.sign(body.encode())
    return f"{body}\n{_DASH}{key.name} {base64.b64encode(signature).decode('ascii')}\n"


def open_note(note: str, key: VerifierKey) -> str:
    """The text of signed *note*, once a signature of *key* over it verifies.

    Signatures by other keys are ignored, as the format requires (a witness's
    cosignature, a rotated key's). Raises :class:`NoteError` for a note that
    is malformed, carries no signature of *key*, or one that does not verify.
    """
    if not isinstance(note, str):
        msg = f"a signed note is a text, not {type(note).__name__}"
        raise NoteError(msg)
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        msg = "not a signed note: no blank line before its signatures"
        raise NoteError(msg)
    text, lines = note[: split + 1], note[split + 2 :].splitlines()
    _check_text(text)
    if not lines or len(lines) > _MAX_SIGNATURES:
        msg = "a signed note has from 1 to 100 signature lines"
        raise NoteError(msg)
    found = False
    for line in lines:
        if not line.startswith(_DASH) or line.count(" ") != 2:  # noqa: PLR2004 - dash, name, signature
            msg = f"not a signature line: {line!r}"
            raise NoteError(msg)
        name, encoded = line[len(_DASH) :].split(" ")
        signature = decoded(encoded, "a signature")
        if len(signature) < 5:  # noqa: PLR2004 - a key hash and at least one byte
            msg = f"the signature by {name} is too short"
            raise NoteError(msg)
        if name != key.name or int.from_bytes(signature[:4], "big") != key.key_hash:
            continue  # another key's
        if not key.verify(text.encode(), signature[4:]):
            msg = f"the signature by {key.name} does not verify: the note was altered, or forged"
            raise NoteError(msg)
        found = True
    if not found:
        msg = f"the note carries no signature by {key.to_text()}"
        raise NoteError(msg)
    return text
