"""JSON for cases and trails: a documented, versioned format, read strictly."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from ._case import Case, replay
from ._chain import commitment_problem, redact
from ._change import salt_problem
from ._entry import Entry, Form, Part
from ._errors import CasestateError
from ._evidence import EvidenceKind, as_evidence_kind
from ._layout import (
    PERSONAL_FIELDS,
    SEALED,
    Field,
    members_of,
    omitted_when_none,
    personal_to_json,
    public_to_json,
)
from ._text import is_storable, printable, unstorable
from ._time import parse_instant

FORMAT = "casestate.case"
FORMAT_VERSION = 1
"""The version of the JSON format; a reader refuses versions it does not know."""

_E = TypeVar("_E")


class FormatError(CasestateError, ValueError):
    """A document that is not a casestate case of a known format version.

    The message names the place (``entries[3].recorded_at``) and what is wrong.
    """


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """One entry as JSON-ready data, as :func:`to_dict` writes each of a case's entries.

    The public fields and the hash, in the entry's declaration order, each
    written in its declared form, then ``private``: the personal part, absent
    in a redacted entry. :func:`entry_from_dict` reads it back:

    >>> from datetime import datetime, UTC
    >>> import casestate as cs
    >>> when = datetime(2024, 3, 1, tzinfo=UTC)
    >>> case = cs.DEFAULT_WORKFLOW.open("ua-1", actor=cs.Actor("olena", "family"),
    ...     effective_at=when, recorded_at=when)
    >>> data = cs.entry_to_dict(case.trail[0])
    >>> data["kind"], data["private"]["actor_id"]
    ('opened', 'olena')
    >>> cs.entry_from_dict(data) == case.trail[0]
    True
    """
    data: dict[str, Any] = public_to_json(entry)
    if entry.salt is not None:
        data["private"] = personal_to_json(entry)
    return data


def to_dict(case: Case, *, redacted: bool = False) -> dict[str, Any]:
    """*case* as JSON-ready data; with *redacted*, without personal data."""
    entries = redact(case.trail) if redacted else case.trail
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "case_id": case.id,
        "entries": [entry_to_dict(entry) for entry in entries],
    }


def to_json(case: Case, *, redacted: bool = False, indent: int | None = None) -> str:
    """*case* as a JSON document (see :func:`to_dict`); :func:`from_json` reads it back.

    >>> from datetime import datetime, UTC
    >>> import casestate
    >>> when = datetime(2024, 2, 20, tzinfo=UTC)
    >>> case = casestate.DEFAULT_WORKFLOW.open(
    ...     "ua-0173", actor=casestate.Actor("hotline-7", "ngo"), effective_at=when, recorded_at=when
    ... )
    >>> casestate.from_json(casestate.to_json(case)) == case
    True
    """
    data = to_dict(case, redacted=redacted)
    return json.dumps(data, indent=indent, ensure_ascii=False)  # pragma: no mutate - None reads as False


class _Reader:
    """Strict field access that names the place of every fault."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise FormatError(f"{where or 'document'}: expected an object, got {_type(data)}")
        self.data = data
        self.where = where
        self.seen: set[str] = set()

    def at(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def get(self, name: str, kind: type[_E], *, optional: bool = False, nullable: bool = False) -> _E:
        """The value of *name*: *optional* may be missing or null; *nullable* is there, maybe null."""
        self.seen.add(name)
        if name not in self.data:
            if optional:
                return None  # type: ignore[return-value]
            raise FormatError(f"{self.at(name)}: missing")
        value = self.data[name]
        if value is None and (optional or nullable):
            return None  # type: ignore[return-value]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise FormatError(f"{self.at(name)}: expected {kind.__name__}, got {_type(value)}")
        if isinstance(value, str) and not is_storable(value):
            raise FormatError(f"{self.at(name)}: {unstorable(value)}")
        return value

    def text(self, name: str) -> str:
        return self.get(name, str)

    def instant(self, name: str) -> datetime:
        text = self.text(name)  # a FormatError of its own, which names the place
        try:
            return parse_instant(text)
        except ValueError as error:
            raise FormatError(f"{self.at(name)}: {error}") from None

    def enum(self, name: str, kind: type[_E], *, optional: bool = False, nullable: bool = False) -> _E:
        # The one nullable name (whereabouts) is optional too: nullable=None reads the same.
        value = self.get(name, str, optional=optional, nullable=nullable)  # pragma: no mutate
        if value is None:
            return None  # allowed by optional or nullable
        try:
            return kind(value)  # type: ignore[call-arg]
        except ValueError:
            raise FormatError(f"{self.at(name)}: unknown value {value!r}") from None

    def items(self, name: str) -> list[Any]:
        return self.get(name, list)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            names = ", ".join(map(printable, extra))
            raise FormatError(f"{self.where or 'document'}: unknown fields {names}")


def _type(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _enum_list(reader: _Reader, name: str, kind: type[_E]) -> tuple[_E, ...]:
    values = []
    for index, value in enumerate(reader.items(name)):
        try:
            values.append(kind(value))  # type: ignore[call-arg]
        except ValueError:
            raise FormatError(f"{reader.at(name)}[{index}]: unknown value {value!r}") from None
    return tuple(values)


def entry_from_dict(data: object, where: str = "entry") -> Entry:
    """Read one entry written by :func:`entry_to_dict`; a :class:`FormatError` if it is not one.

    Every field is checked as the JSON format says (see :func:`entry_to_dict`
    for an example); the error names its place, *where* first. The entry is
    read, not verified: :func:`verify` or :func:`replay` says whether a trail
    of them holds.

    >>> import casestate as cs
    >>> cs.entry_from_dict({"seq": "0"}, "entries[0]")
    Traceback (most recent call last):
    ...
    casestate.FormatError: entries[0].seq: expected int, got str
    """
    reader = _Reader(data, where)
    private_data = reader.data.get("private")
    reader.seen.add("private")
    values: dict[str, Any] = {}
    if private_data is not None:  # else redacted: the personal fields keep their defaults
        personal = _Reader(private_data, f"{where}.private")
        values.update((field.name, _read(personal, field)) for field in PERSONAL_FIELDS)
        personal.done()
    values.update((field.name, _read(reader, field)) for field in SEALED)
    problem = commitment_problem(values["commitment"])
    if problem is not None:
        raise FormatError(f"{reader.at('commitment')}: {problem}")
    entry = Entry(**values)
    reader.done()
    return entry


def _read(reader: _Reader, field: Field) -> object:
    """The value of *field*, read in its declared form; every field must be present, if only as null.

    A personal field that may be null may also be missing: readers have
    always taken a missing reason for none.
    """
    form = field.metadata["form"]
    if form is Form.RECORDS:
        return _records(reader, field)
    if form is Form.HEX:
        return _hex(reader, field)
    optional = omitted_when_none(field) or field.metadata["part"] is Part.PERSONAL
    return _value(reader, field.name, form, field.metadata["of"], optional=optional)


def _value(  # noqa: C901, PLR0911 - one return per form
    reader: _Reader,
    name: str,
    form: Form,
    of: type[StrEnum] | None,
    *,
    optional: bool = False,  # pragma: no mutate - a record has no optional member to read otherwise
) -> object:
    """The value of *name*, read in *form* (of the enumeration *of*, for names)."""
    if form is Form.INT:
        return reader.get(name, int)
    if form is Form.OPTIONAL_INT:
        return reader.get(name, int, nullable=True, optional=optional)
    if form is Form.TEXT:
        return reader.text(name)
    if form is Form.OPTIONAL_TEXT:
        return reader.get(name, str, nullable=True, optional=optional)
    if form is Form.NAME:
        return reader.enum(name, of)  # type: ignore[arg-type] # a NAME has its enumeration
    if form is Form.OPTIONAL_NAME:
        # The one such name, whereabouts, is optional too: not nullable, it reads the same.
        return reader.enum(name, of, nullable=True, optional=optional)  # type: ignore[arg-type] # pragma: no mutate
    if form is Form.NAMES:
        return _enum_list(reader, name, of)  # type: ignore[arg-type] # and so do NAMES
    if form is Form.KIND:
        return _kind(reader, name, reader.text(name))
    if form is Form.KINDS:
        return tuple(
            [_kind(reader, f"{name}[{index}]", value) for index, value in enumerate(reader.items(name))]
        )
    if form is Form.INTS:
        return tuple(_ints(reader, name))
    if form is Form.OPTIONAL_INTS:
        if reader.get(name, list, nullable=True, optional=optional) is None:
            return None
        return tuple(_ints(reader, name))
    return reader.instant(name)


def _records(reader: _Reader, field: Field) -> tuple[object, ...]:
    """A RECORDS field: each record read by its class's fields, then made (and checked) by its constructor."""
    record = field.metadata["of"]
    members = members_of(field)
    values = []
    for index, item in enumerate(reader.items(field.name)):
        part = _Reader(item, f"{reader.at(field.name)}[{index}]")
        try:
            values.append(record(*[_value(part, member.name, member.form, member.of) for member in members]))
        except (TypeError, ValueError) as error:
            if isinstance(error, FormatError):
                raise
            raise FormatError(f"{part.where}: {error}") from None
        part.done()
    return tuple(values)


def _hex(reader: _Reader, field: Field) -> bytes:
    """A HEX field; a salt must be long enough to hide what it salts."""
    text = reader.text(field.name)
    try:
        value = bytes.fromhex(text)
    except ValueError:
        raise FormatError(f"{reader.at(field.name)}: not hexadecimal") from None
    weak = salt_problem(value) if field.metadata["salts"] else None  # pragma: no mutate - only a salt is HEX
    if weak is not None:
        raise FormatError(f"{reader.at(field.name)}: {weak}")
    return value


def _kind(reader: _Reader, name: str, value: object) -> EvidenceKind | str:
    try:
        return as_evidence_kind(value)
    except ValueError as error:
        raise FormatError(f"{reader.at(name)}: {error}") from None


def _ints(reader: _Reader, name: str) -> list[int]:
    values = reader.items(name)
    for index, value in enumerate(values):
        if not isinstance(value, int) or isinstance(value, bool):
            raise FormatError(f"{reader.at(name)}[{index}]: expected int, got {_type(value)}")
    return values


def from_dict(
    data: object, *, key: bytes | None = None, head: str | None = None, allow_redacted: bool = False
) -> Case:
    """Read a case written by :func:`to_dict`, verifying and replaying its trail.

    Nothing in the document is trusted but the entries: the case is rebuilt
    from them. A document that is not a case of this format version raises
    :class:`FormatError`; a broken chain, or one that *key* or *head* does
    not fit, raises ``BrokenTrail``. A redacted document (see :func:`to_dict`)
    loads only with *allow_redacted*.
    """
    reader = _Reader(data, "")  # pragma: no mutate - a where of None reads as "" (the document)
    kind = reader.text("format")
    if kind != FORMAT:
        raise FormatError(f"format: expected {FORMAT!r}, got {kind!r}")
    version = reader.get("version", int)
    if version != FORMAT_VERSION:
        raise FormatError(f"version: this casestate reads version {FORMAT_VERSION}, not {version}")
    case_id = reader.text("case_id")
    entries = [
        entry_from_dict(item, f"entries[{index}]") for index, item in enumerate(reader.items("entries"))
    ]
    reader.done()
    if not entries:
        raise FormatError("entries: a case has at least its opening entry")
    if entries[0].case_id != case_id:
        raise FormatError(f"case_id: {case_id!r}, but the entries are of {entries[0].case_id!r}")
    return replay(entries, key=key, head=head, allow_redacted=allow_redacted)


def from_json(
    text: str | bytes, *, key: bytes | None = None, head: str | None = None, allow_redacted: bool = False
) -> Case:
    """Read a case written by :func:`to_json` (see :func:`from_dict`).

    A key given twice in one object is refused: parsers disagree on which
    one wins, and a reader must see what the chain covers.
    """
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except FormatError:
        raise
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise FormatError(f"not JSON: {error}") from None
    return from_dict(data, key=key, head=head, allow_redacted=allow_redacted)


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of JSON whose keys are each given once; a key twice is a :class:`FormatError`.

    Parsers disagree on which of two values for one key wins; a reader of
    anything a chain covers must see exactly what was sealed. Pass it to the
    standard library's reader:

    >>> import json
    >>> import casestate as cs
    >>> json.loads('{"case_id": "ua-1", "case_id": "ua-2"}', object_pairs_hook=cs.unique_keys)
    Traceback (most recent call last):
    ...
    casestate.FormatError: the key 'case_id' appears twice in one object
    """
    data: dict[str, Any] = {}
    for name, value in pairs:
        if name in data:
            raise FormatError(f"the key {name!r} appears twice in one object")
        data[name] = value
    return data
