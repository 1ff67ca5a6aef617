"""An entry's layout, derived from its one declaration: the canonical bytes its hash covers, and JSON.

:class:`~casestate.Entry` declares each field once, with the part it
belongs to (public, the seal, personal) and the form its value is written
in; the evidence a personal field lists is laid out by :class:`Evidence`'s
own fields. Everything here is generated from that declaration, as attrs
generates ``__init__`` from a class's fields: the function that writes the
canonical bytes of the public part, the one that writes the bytes of the
personal part its commitment covers, the one that makes an entry, the JSON
form of both parts. A new field is one edit in ``_entry``.

The canonical bytes are compact JSON with the keys sorted, ASCII only; the
pinned test vectors hold them, and the hashes of stored trails, stable. A
field added after trails were written declares ``omit_none``: when it has
no value it is left out of the bytes and the JSON altogether, so those
trails keep their bytes and hashes.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring_ascii as _quote
from operator import attrgetter
from typing import Any, TypeAlias

import attrs

from ._entry import Entry, Form, Member, Part
from ._time import format_instant


def _text(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _texts(values: tuple[str, ...]) -> str:
    # Most lists here are empty or hold one item: skip the generator for them.
    if not values:
        return "[]"
    if len(values) == 1:
        return "[" + _quote(values[0]) + "]"
    return "[" + ",".join(map(_quote, values)) + "]"


def _ints(values: tuple[int, ...]) -> str:
    return "[" + ",".join(map(str, values)) + "]" if values else "[]"


def _int(value: int | None) -> str:
    return "null" if value is None else str(value)


Field: TypeAlias = "attrs.Attribute[Any]"
"""A field of the entry's declaration (its values are of many types)."""

_CANONICAL = {
    Form.INT: "{%s}",
    Form.OPTIONAL_INT: "{_int(%s)}",
    Form.TEXT: "{_quote(%s)}",
    Form.OPTIONAL_TEXT: "{_text(%s)}",
    # The enums are StrEnums: quoting a member quotes its value, without the
    # cost of the ``.value`` property.
    Form.NAME: "{_quote(%s)}",
    Form.OPTIONAL_NAME: "{_text(%s)}",
    Form.NAMES: "{_texts(%s)}",
    Form.KIND: "{_quote(%s)}",
    Form.KINDS: "{_texts(%s)}",
    Form.INTS: "{_ints(%s)}",
    Form.OPTIONAL_INTS: "{_ints(%s)}",  # left out when None (see _EXPRESSION)
    Form.INSTANT: '"{format_instant(%s)}"',
    Form.HEX: '"{%s.hex()}"',
}
"""By form: how a value is written in the canonical bytes, as a piece of an f-string (a list of
records is written by a function of its own: see :func:`_records_source`)."""

_EXPRESSION = {
    Form.INT: "str(%s)",
    Form.OPTIONAL_INT: "_int(%s)",
    Form.TEXT: "_quote(%s)",
    Form.OPTIONAL_TEXT: "_text(%s)",
    Form.OPTIONAL_NAME: "_quote(%s)",
    Form.OPTIONAL_INTS: "_ints(%s)",
}
"""By form: the expression a value is written by, for a field left out when it has none."""


def _part(field: Field) -> Part:
    part: Part = field.metadata["part"]
    return part


def _form(field: Field) -> Form:
    form: Form = field.metadata["form"]
    return form


FIELDS: tuple[Field, ...] = attrs.fields(Entry)
"""Every field of an entry, in declaration order."""
PUBLIC: tuple[Field, ...] = tuple(field for field in FIELDS if _part(field) is Part.PUBLIC)
"""The public fields, in declaration order: the order sealing passes them in."""
SEALED: tuple[Field, ...] = tuple(field for field in FIELDS if _part(field) is not Part.PERSONAL)
"""The public fields and the seal: what a redacted export keeps, in declaration order."""
PERSONAL_FIELDS: tuple[Field, ...] = tuple(field for field in FIELDS if _part(field) is Part.PERSONAL)
"""The personal fields, in declaration order: what a redacted export leaves out."""
PERSONAL: tuple[str, ...] = tuple(field.name for field in PERSONAL_FIELDS)
"""The names of the personal fields, in declaration order."""
COMMITTED: tuple[Field, ...] = tuple(field for field in PERSONAL_FIELDS if not field.metadata["salts"])
"""The personal fields the commitment covers, in declaration order: all but the salt, which salts it."""


def members_of(field: Field) -> tuple[Member, ...]:
    """The fields of the records a RECORDS field lists, in their class's declaration order."""
    members: tuple[Member, ...] = field.metadata["members"]
    return members


_NAMESPACE: dict[str, object] = {
    "_quote": _quote,
    "_text": _text,
    "_texts": _texts,
    "_ints": _ints,
    "_int": _int,
    "format_instant": format_instant,
    "Entry": Entry,
}
"""What the generated functions call."""


def _generate(source: str, name: str) -> Callable[..., object]:
    namespace = dict(_NAMESPACE)
    exec(source, namespace)  # noqa: S102 - source generated here from the names of Entry's fields and its records' alone
    made = namespace[name]
    assert callable(made)  # noqa: S101 - defined by the exec above
    return made


def omitted_when_none(field: Field) -> bool:
    """Whether *field* is left out of the bytes and JSON when it has no value (a field added later)."""
    omit: bool = field.metadata["omit_none"]
    return omit


def _canonical_piece(field: Field) -> str:
    if _form(field) is Form.RECORDS:
        return f"[{{_canonical_{field.name}({field.name})}}]"
    return _CANONICAL[_form(field)] % field.name


def _canonical_source() -> str:
    params = ", ".join(field.name for field in PUBLIC)
    body = ""
    for field in sorted(PUBLIC, key=lambda field: field.name):
        piece = f'"{field.name}":' + _canonical_piece(field)
        if not omitted_when_none(field):
            body += ("," if body else "") + piece
        else:
            # In the bytes only when given: trails written before the field existed keep their hashes.
            key = f"_key_{field.name}"
            _NAMESPACE[key] = f',"{field.name}":'
            value = _EXPRESSION[_form(field)] % field.name
            body += "{" + f'"" if {field.name} is None else {key} + {value}' + "}"
    return f"def canonical_public({params}):\n    return f'{{{{{body}}}}}'.encode('ascii')\n"


canonical_public: Callable[..., bytes] = _generate(_canonical_source(), "canonical_public")  # type: ignore[assignment]
"""The bytes an entry's hash covers, from its public fields by position (as :data:`PUBLIC` orders them).

Sealing and verifying pass the fields by position, once per entry; a test
holds the bytes equal to ``json.dumps(sort_keys=True, separators=(",", ":"))``
and the pinned test vectors hold them stable.
"""

public_values: Callable[[Entry], tuple[object, ...]] = attrgetter(*(field.name for field in PUBLIC))
"""An entry's public fields, in the order :func:`canonical_public` takes them."""


def canonical_bytes(entry: Entry) -> bytes:
    """The bytes *entry*'s hash covers: its public fields as compact JSON, keys sorted, ASCII only.

    What a verifier written in another language must rebuild, byte for byte:

    >>> from datetime import datetime, UTC
    >>> import casestate as cs
    >>> case = cs.DEFAULT_WORKFLOW.open("ua-1", actor=cs.Actor("olena", "family"),
    ...     effective_at=datetime(2024, 3, 1, tzinfo=UTC), recorded_at=datetime(2024, 3, 2, tzinfo=UTC),
    ...     salt=bytes(16))
    >>> cs.canonical_bytes(case.trail[0])[:60]
    b'{"assurance":"reported","case_id":"ua-1","chain":"sha256","c'
    """
    return canonical_public(*public_values(entry))


def _records_source(field: Field) -> str:
    """The writer of the canonical text of a RECORDS field's list, without its brackets."""
    name = field.name
    members = sorted(members_of(field), key=lambda member: member.name)
    body = ",".join(
        f'"{member.name}":' + _CANONICAL[member.form] % f"item.{member.name}" for member in members
    )
    return (
        f"def _canonical_{name}_item(item):\n    return f'{{{{{body}}}}}'\n"
        f"def _canonical_{name}(items):\n"
        # A change nearly always carries one piece of evidence, or none.
        f"    if len(items) == 1:\n        return _canonical_{name}_item(items[0])\n"
        f"    return ','.join(map(_canonical_{name}_item, items))\n"
    )


def _private_source() -> str:
    params = ", ".join(field.name for field in COMMITTED)
    body = ",".join(
        f'"{field.name}":' + _canonical_piece(field)
        for field in sorted(COMMITTED, key=lambda field: field.name)
    )
    records = "".join(_records_source(field) for field in COMMITTED if _form(field) is Form.RECORDS)
    return f"{records}def canonical_private({params}):\n    return f'{{{{{body}}}}}'.encode('ascii')\n"


canonical_private: Callable[..., bytes] = _generate(_private_source(), "canonical_private")  # type: ignore[assignment]
"""The bytes of an entry's personal part that its commitment covers, by position (as
:data:`COMMITTED` orders them): compact JSON, keys sorted, ASCII only, as the public part's.

A test holds them equal to ``json.dumps(sort_keys=True, separators=(",", ":"))`` of the
JSON form less the salt, and the pinned test vectors hold them stable.
"""


def _maker_source() -> str:
    # Sealing has the public values in PUBLIC's order, then the seal, then the
    # personal part; the entry takes them in its own declaration order.
    ordered = [*(field.name for field in PUBLIC), "hash", *PERSONAL]
    by_declaration = ", ".join(field.name for field in FIELDS)
    return f"def new_entry({', '.join(ordered)}):\n    return Entry({by_declaration})\n"


new_entry: Callable[..., Entry] = _generate(_maker_source(), "new_entry")  # type: ignore[assignment]
"""An entry from its public values (in :data:`PUBLIC`'s order), its hash, and its personal part."""


def public_to_json(entry: Entry) -> dict[str, object]:
    """The public fields and the hash of *entry*, as JSON writes them, in declaration order."""
    data: dict[str, object] = {}
    for field in SEALED:
        value = getattr(entry, field.name)
        if value is not None or not omitted_when_none(field):
            data[field.name] = to_json_value(field, value)
    return data


def personal_to_json(entry: Entry) -> dict[str, object]:
    """The personal fields of *entry*, as JSON writes them, in declaration order (an entry not redacted)."""
    return {field.name: to_json_value(field, getattr(entry, field.name)) for field in PERSONAL_FIELDS}


def to_json_value(field: Field, value: object) -> object:
    """*value* of *field* as JSON writes it."""
    if _form(field) is Form.RECORDS:
        members = members_of(field)
        return [
            {member.name: _json_value(member.form, getattr(item, member.name)) for member in members}
            for item in value  # type: ignore[attr-defined] # a tuple of records
        ]
    return _json_value(_form(field), value)


def _json_value(form: Form, value: object) -> object:  # noqa: PLR0911 - one return per form
    """*value*, of *form*, as JSON writes it."""
    if value is None:
        return None
    if form is Form.HEX:
        return value.hex()  # type: ignore[attr-defined] # bytes
    if form is Form.NAME or form is Form.OPTIONAL_NAME:
        return value.value  # type: ignore[attr-defined] # a StrEnum member
    if form is Form.NAMES:
        return [item.value for item in value]  # type: ignore[attr-defined] # StrEnum members
    if form is Form.KIND:
        return str(value)  # a StrEnum member's str is its value
    if form is Form.KINDS:
        return [str(item) for item in value]  # type: ignore[attr-defined] # built-in members and names
    if form is Form.INTS or form is Form.OPTIONAL_INTS:
        return list(value)  # type: ignore[call-overload] # a tuple of ints
    if form is Form.INSTANT:
        return format_instant(value)  # type: ignore[arg-type] # a datetime
    return value
