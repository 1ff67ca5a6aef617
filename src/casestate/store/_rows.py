"""Entries as rows and back: the store's row codec, generated from the entry's declaration.

Every apply writes rows and every load reads them, so both directions work on
the row tuple itself, in the order of :data:`ENTRY_FIELDS`, without a dict
in between. The writer and the fast reader are generated, as attrs generates
``__init__``, from the fields ``Entry`` declares and the form each is
written in: a public field added to ``Entry`` is a column here with no
edit, and a personal field a key of the ``private`` column's JSON (whose
evidence is laid out by ``Evidence``'s own fields). The fast reader accepts
only rows exactly as this store writes them; any other row is read again by
the strict reader of the JSON format (``entry_from_dict``), which reads it
the same way or names the field at fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Container
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from json.encoder import encode_basestring as _quote
from typing import Any, TypeAlias

import attrs

from casestate import (
    BrokenTrail,
    Entry,
    Evidence,
    EvidenceKind,
    FormatError,
    Integrity,
    Problem,
    as_evidence_kind,
    entry_from_dict,
    trusted_evidence,
    unique_keys,
)
from casestate.instants import format_instant
from casestate.text import is_storable, is_text

from ._schema import DECLARED, ENTRY_FIELDS, JSON_FIELDS, PERSONAL, Row

Field: TypeAlias = "attrs.Attribute[Any]"
"""A field of the entry's declaration."""

_PLAIN: dict[object, str | None] = {
    member: member.value
    for field in DECLARED
    if field.metadata["form"] in ("name", "optional name")
    for member in field.metadata["of"]
}
_PLAIN[None] = None  # an optional name without a value
"""Each member's value as a plain ``str``, as the row holds it (``.value`` is a slower property)."""

# -- writing --------------------------------------------------------------------


_WRITTEN = {
    "int": "{v}",
    "optional int": "{v}",
    "text": "{v}",
    "optional text": "{v}",
    "name": "_PLAIN[{v}]",
    "optional name": "_PLAIN[{v}]",
    "names": "_names_json({v})",
    "kinds": "_names_json({v})",
    "ints": '"[" + ",".join(map(str, {v})) + "]"',
    "optional ints": '(None if {v} is None else "[" + ",".join(map(str, {v})) + "]")',
    "instant": "format_instant({v})",
}
"""By the form a field is declared in: how its value is written in its column."""


def _generated(source: str, name: str, namespace: dict[str, object]) -> Callable[..., Any]:
    exec(source, namespace)  # noqa: S102 - source generated here from the names Entry and its records declare
    return namespace[name]  # type: ignore[return-value] # defined by the exec above


def _writer_source() -> str:
    columns = [_WRITTEN[_FORMS[name]].format(v=f"entry.{name}") for name in ENTRY_FIELDS[:-1]]
    columns.append(f"_private_json({', '.join(f'entry.{field.name}' for field in PERSONAL)})")
    body = "".join(f"        {column},\n" for column in columns)
    return (
        "def entry_row(entry):\n"
        "    if entry.salt is None or entry.actor_id is None:\n"
        "        raise _redacted(entry)\n"
        f"    return (\n{body}    )\n"
    )


def _redacted(entry: Entry) -> ValueError:
    return ValueError(
        f"case {entry.case_id!r}: entry {entry.seq} is redacted; the store keeps every entry whole"
    )


def _names_json(values: tuple[str, ...]) -> str:
    # The enums are StrEnums: quoting a member quotes its value.
    return "[" + ",".join(map(_quote, values)) + "]"


def _private_text_source() -> str:
    """The writer of the personal part from its values' texts: a list of records as tuples of theirs.

    One function, with no call per field: every apply writes a row.
    """
    pieces, lines = [], []
    for field in PERSONAL:
        form, name = field.metadata["form"], field.name
        if form == "records":
            members = field.metadata["members"]
            body = ",".join(
                f'"{member.name}":' + _TEXT_PIECE[member.form] % member.name for member in members
            )
            each = ", ".join(member.name for member in members)
            lines.append(f"    {name}_text = ','.join([f'{{{{{body}}}}}' for {each} in {name}])\n")
            pieces.append(f'"{name}":[{{{name}_text}}]')
        elif form == "optional text":
            lines.append(f"    {name}_text = 'null' if {name} is None else _quote({name})\n")
            pieces.append(f'"{name}":{{{name}_text}}')
        else:
            pieces.append(f'"{name}":' + _TEXT_PIECE[form] % name)
    params = ", ".join(field.name for field in PERSONAL)
    body = "".join(lines)
    return f"def _private_text({params}):\n{body}    return f'{{{{{','.join(pieces)}}}}}'\n"


_TEXT_PIECE = {
    "text": "{_quote(%s)}",
    "name": "{_quote(%s)}",
    "kind": "{_quote(%s)}",
    "instant": '"{%s}"',
    "hex": '"{%s}"',
}
"""By form: how a value's text is written in the personal part, as a piece of an f-string (texts
are quoted; an instant or hexadecimal text is written as it is, in quotes; an optional text and a
list of records are written before, by a line of their own)."""
_AS_TEXT = {"instant": "format_instant(%s)", "hex": "%s.hex()"}
"""By form: the text of a value that is not text already (a StrEnum member quotes as its value)."""


def _private_json_source() -> str:
    """The writer of the personal part from the entry's values: their texts, then :func:`_private_text`."""
    texts = []
    for field in PERSONAL:
        form, name = field.metadata["form"], field.name
        if form == "records":
            members = field.metadata["members"]
            item = ", ".join(_AS_TEXT.get(member.form, "%s") % f"item.{member.name}" for member in members)
            texts.append(f"[({item},) for item in {name}]")
        else:
            texts.append(_AS_TEXT.get(form, "%s") % name)
    params = ", ".join(field.name for field in PERSONAL)
    return f"def _private_json({params}):\n    return _private_text({', '.join(texts)})\n"


# -- reading --------------------------------------------------------------------


ERASED = "null"
"""The personal part of an erased entry's row: JSON ``null``, where actor, reason, evidence and salt were."""


class _Every:
    """Every entry number: where erased rows read as redacted entries, whether or not they were recorded."""

    def __contains__(self, seq: object) -> bool:
        return True


ANY_ERASED: Container[object] = _Every()
"""For reads that verify nothing (the feed, the log's leaves): an erased row reads as a redacted entry."""


def row_entry(row: Row, case_id: str, count: int, *, erased: Container[object] = ()) -> Entry:
    """Read an entry row back; an altered, unreadable row is a :class:`BrokenTrail`.

    A row whose personal part is gone reads as a redacted entry only when its
    number is among *erased* (the erasures recorded for its case); otherwise
    it was stripped behind the store.
    """
    try:
        return _fast_entry(row)
    except _NOT_AS_WRITTEN:
        return _strict_entry(row, case_id, count, erased)


class _NotAsWritten(Exception):
    """A row the fast path does not read: the strict reader decides."""


_NOT_AS_WRITTEN = (_NotAsWritten, KeyError, TypeError, ValueError)
"""What the fast path raises on a row it cannot read: an unknown enum value
(KeyError), a value of another type (TypeError), malformed JSON, an
impossible date or bad hexadecimal (ValueError)."""

_INSTANT_TEXT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}Z"
_CANONICAL_INSTANT = re.compile(_INSTANT_TEXT).fullmatch
"""The text ``format_instant`` writes, in ASCII digits; ``fromisoformat`` reads
it, and more besides, so the text is matched first."""


_CHECKED = {
    "int": "type({v}) is int",
    "optional int": "({v} is None or type({v}) is int)",
    # A NUL, which SQLite holds and no other check sees (the feed reads rows unverified). No driver
    # hands out a lone surrogate from a column (each decodes UTF-8 strictly): a NUL is all there is.
    "text": 'type({v}) is str and "\\x00" not in {v}',
    "optional text": '({v} is None or (type({v}) is str and "\\x00" not in {v}))',
}
"""By form: the test a column's value must pass as it is (the other forms are checked as they are read)."""

_READ = {
    "name": "_by_value_{name}[{v}]",
    "optional name": "_by_value_{name}[{v}]",
    "names": "_names_{name}({v})",
    "kinds": "_kinds({v})",
    "ints": "_resolves({v})",
    "optional ints": "_optional_ints({v})",
    "instant": "_instant({v})",
}
"""By form: how a column's text is read into the entry's value (a KeyError or ValueError: not as written)."""


def _reader_source() -> str:
    names = ENTRY_FIELDS
    tests = [_CHECKED[_FORMS[name]].format(v=name) for name in names[:-1] if _FORMS[name] in _CHECKED]
    values = []
    for field in attrs.fields(Entry):
        name = field.name
        if name in _FORMS:
            form = _FORMS[name]
            values.append(_READ[form].format(name=name, v=name) if form in _READ else name)
        else:
            values.append(name)  # the personal part, read from the private column
    return (
        "def _fast_entry(row):\n"
        f"    ({', '.join(names)},) = row\n"
        "    if not (\n        " + "\n        and ".join(tests) + "\n    ):\n"
        "        raise _NotAsWritten\n"
        f"    {', '.join(field.name for field in PERSONAL)} = _personal(private)\n"
        # By position, in the order of Entry's fields: a load builds one per row,
        # and two dozen keywords cost more than the call itself.
        f"    return Entry({', '.join(values)})\n"
    )


def _instant(text: str) -> datetime:
    if _CANONICAL_INSTANT(text) is None:
        raise _NotAsWritten
    return datetime.fromisoformat(text)


def _json_list(text: str) -> list[object]:
    values = json.loads(text)
    if type(values) is not list:
        raise _NotAsWritten
    return values


def _names_reader(enumeration: type[StrEnum]) -> Callable[[str], tuple[StrEnum, ...]]:
    """The reader of a column that lists members of *enumeration* as JSON."""
    by_value = {member.value: member for member in enumeration}

    # Few lists of evidence kinds or codes recur ("[]", '["video"]'): each text is read once.
    @lru_cache(maxsize=256)
    def names(text: str) -> tuple[StrEnum, ...]:
        return tuple([by_value[value] for value in _json_list(text)])  # type: ignore[index]

    return names


@lru_cache(maxsize=256)
def _kind(text: str) -> EvidenceKind | str:
    """An evidence kind's name (a ValueError: not as written); few names recur, each is checked once."""
    return as_evidence_kind(text)


# Few lists of evidence kinds recur ("[]", '["video"]'): each text is read once.
@lru_cache(maxsize=256)
def _kinds(text: str) -> tuple[EvidenceKind | str, ...]:
    # A value that is no text is refused by _kind: unhashable, a TypeError; else a ValueError.
    return tuple([_kind(value) for value in _json_list(text)])


def _optional_ints(text: str | None) -> tuple[int, ...] | None:
    return None if text is None else _resolves(text)


# Few lists of resolved entries recur ("[]", "[3]"): each text is read once.


@lru_cache(maxsize=256)
def _resolves(text: str) -> tuple[int, ...]:
    values = _json_list(text)
    if not all(type(value) is int for value in values):
        raise _NotAsWritten
    return tuple(values)  # type: ignore[arg-type]


_UNESCAPED = r'([^"\\\x00-\x1f]*)'
"""A JSON string's content that needs no escape, as a group: what nearly every text is."""

_PATTERN = {
    "text": '"' + _UNESCAPED + '"',
    "optional text": '(?:null|"' + _UNESCAPED + '")',
    "name": '"' + _UNESCAPED + '"',
    "kind": '"' + _UNESCAPED + '"',
    "instant": '"(' + _INSTANT_TEXT + ')"',
    "hex": '"([0-9a-f]*)"',
}
"""By form: a value as this store writes it when it needs no escape, its text as a group."""


def _plain_pattern() -> str:
    """The personal part exactly as this store writes it, with at most one record in a list."""
    pieces = []
    for field in PERSONAL:
        form, name = field.metadata["form"], field.name
        if form == "records":
            members = ",".join(
                f'"{member.name}":' + _PATTERN[member.form] for member in field.metadata["members"]
            )
            pieces.append(f'"{name}":\\[(?:\\{{{members}\\}})?\\]')
        else:
            pieces.append(f'"{name}":' + _PATTERN[form])
    return "\\{" + ",".join(pieces) + "\\}"


_PLAIN_PERSONAL = re.compile(_plain_pattern()).fullmatch
"""The personal part exactly as this store writes it, when it holds no text with an escape
and at most one piece of evidence (nearly every row): one match stands for the JSON parse
and the comparison of the text with what the parsed values write."""

_CHECKED_PERSONAL = {
    # The pattern leaves out NULs, quotes and escapes; a lone surrogate is all that is left to look for.
    "text": "is_storable({v})",
    "optional text": "({v} is None or is_storable({v}))",
}
"""By form: the test a personal field's text must pass, as the strict reader's."""
_MEMBER_CHECKED = {
    # A record is built without its constructor's checks (a load reads every row), so each
    # text is held to what the constructor asks: text that shows something, storable.
    "text": "is_text({v})",
}
"""By form: the test a record's field must pass (a name is checked as it is looked up)."""
_MEMBER_READ = {
    "text": "{v}",
    "name": "_by_value_{v}[{v}]",
    "kind": "_kind({v})",
    "instant": "datetime.fromisoformat({v})",
}
"""By form: how a record's field is read from its text, once the pattern matched."""
_TRUSTED = {Evidence: trusted_evidence}
"""The maker of each kind of record from fields already checked."""


def _personal_source() -> str:
    """The reader of a personal part: by the pattern, or else by :func:`_personal_from_json`."""
    groups, tests, lines, values = [], [], [], []
    for field in PERSONAL:
        form, name = field.metadata["form"], field.name
        if form == "records":
            members = field.metadata["members"]
            names = [f"{name}_{member.name}" for member in members]
            groups += names
            checks = [
                _MEMBER_CHECKED[member.form].format(v=each)
                for member, each in zip(members, names, strict=True)
                if member.form in _MEMBER_CHECKED
            ]
            made = ", ".join(
                _MEMBER_READ[member.form].format(v=each) for member, each in zip(members, names, strict=True)
            )
            lines += [
                f"    if {names[0]} is None:",
                f"        {name} = ()",
                "    else:",
                f"        if not ({' and '.join(checks) or 'True'}):",
                "            raise _NotAsWritten",
                f"        {name} = (_make_{name}({made}),)",
            ]
            values.append(name)
        else:
            groups.append(name)
            if form in _CHECKED_PERSONAL:
                tests.append(_CHECKED_PERSONAL[form].format(v=name))
            values.append(f"bytes.fromhex({name})" if form == "hex" else name)
    return "\n".join(
        [
            "def _personal(text):",
            "    matched = _PLAIN_PERSONAL(text)",
            "    if matched is None:",
            "        return _personal_from_json(text)",
            f"    {', '.join(groups)}, = matched.groups()",
            f"    if not ({' and '.join(tests)}):",
            "        raise _NotAsWritten",
            *lines,
            f"    return {', '.join(values)}",
            "",
        ]
    )


def _personal_from_json(text: str) -> tuple[object, ...]:
    """The personal part of any row: parsed, each value checked, then written again and compared.

    A key given twice, spaces, or anything else this store does not write
    is not as written: the parse keeps one value, another reader may keep
    another.
    """
    data = json.loads(text)
    if type(data) is not dict or data.keys() != _PERSONAL_NAMES:
        raise _NotAsWritten
    values: list[object] = []
    texts: list[object] = []
    for field in PERSONAL:
        value, form = data[field.name], field.metadata["form"]
        if form == "records":
            if type(value) is not list:
                raise _NotAsWritten
            values.append(tuple([_record_from_json(field, item) for item in value]))
            names = [member.name for member in field.metadata["members"]]
            texts.append([tuple([item[name] for name in names]) for item in value])
            continue
        if form == "hex":
            if type(value) is not str:
                raise _NotAsWritten
            values.append(bytes.fromhex(value))
        elif value is None and form == "optional text":
            values.append(None)
        elif type(value) is str and is_storable(value):  # JSON escapes can spell a lone surrogate or a NUL
            values.append(value)
        else:
            raise _NotAsWritten
        texts.append(value)
    if _private_text(*texts) != text:
        raise _NotAsWritten
    return tuple(values)


def _record_from_json(field: Field, item: object) -> object:
    members = field.metadata["members"]
    if type(item) is not dict or item.keys() != {member.name for member in members}:
        raise _NotAsWritten
    made = []
    for member in members:
        value = item[member.name]
        if member.form == "name":
            made.append(_MEMBERS_BY_VALUE[member.of][value])
        elif member.form == "kind":
            made.append(_kind(value))
        elif member.form == "instant":
            made.append(_instant(value))
        elif is_text(value):
            made.append(value)
        else:
            raise _NotAsWritten
    return _TRUSTED[field.metadata["of"]](*made)


def broken_trail(case_id: str, seq: object, entries: int, problem: Problem, text: str) -> BrokenTrail:
    """The error of a stored trail of *entries* broken at entry *seq* (as the row says it), and how."""
    position = seq if type(seq) is int else 0
    return BrokenTrail(
        Integrity(
            ok=False,
            case_id=case_id,
            entries=entries,
            position=position,
            problem=problem,
            message=f"case {case_id!r}: entry {seq}: {text}",
        )
    )


def unreadable(case_id: str, seq: object, count: int, text: str) -> BrokenTrail:
    return broken_trail(case_id, seq, count, Problem.HASH, f"was altered: {text}")


def _strict_entry(row: Row, case_id: str, count: int, erased: Container[object]) -> Entry:
    """The strict reader: every field checked by the JSON format's rules, and the fault named."""
    data = dict(zip(ENTRY_FIELDS, row, strict=True))
    seq = data["seq"]
    try:
        for name in JSON_FIELDS:
            if data[name] is not None:  # an optional list left out, as null
                data[name] = json.loads(data[name], object_pairs_hook=unique_keys)
        entry = entry_from_dict(data, "row")
    except (FormatError, TypeError, ValueError) as error:
        raise unreadable(case_id, seq, count, str(error)) from None
    if entry.redacted and entry.seq not in erased:
        # The store keeps the personal part unless an erasure is recorded; a row without it was stripped.
        raise unreadable(case_id, seq, count, "its actor, reason and evidence were removed")
    return entry


_FORMS: dict[str, str] = {field.name: str(field.metadata["form"]) for field in DECLARED}
"""Each column's declared form, by name."""
_BY_VALUE: dict[str, dict[str | None, object]] = {
    field.name: {member.value: member for member in field.metadata["of"]}
    | ({None: None} if field.metadata["form"] == "optional name" else {})
    for field in DECLARED
    if field.metadata["form"] in ("name", "optional name")
}
_NAMES = {
    field.name: _names_reader(field.metadata["of"]) for field in DECLARED if field.metadata["form"] == "names"
}
_PERSONAL_NAMES = frozenset(field.name for field in PERSONAL)
_RECORDS = tuple(field for field in PERSONAL if field.metadata["form"] == "records")
_MEMBERS_BY_VALUE = {
    member.of: {value.value: value for value in member.of}
    for field in _RECORDS
    for member in field.metadata["members"]
    if member.form == "name"
}
"""The members of each enumeration a record's field names, by value."""
_PERSONAL_NAMESPACE: dict[str, object] = {
    **{
        f"_by_value_{field.name}_{member.name}": _MEMBERS_BY_VALUE[member.of]
        for field in _RECORDS
        for member in field.metadata["members"]
        if member.form == "name"
    },
    **{f"_make_{field.name}": _TRUSTED[field.metadata["of"]] for field in _RECORDS},
    "_quote": _quote,
    "_kind": _kind,
    "_NotAsWritten": _NotAsWritten,
    "_PLAIN_PERSONAL": _PLAIN_PERSONAL,
    "_personal_from_json": _personal_from_json,
    "is_storable": is_storable,
    "is_text": is_text,
    "datetime": datetime,
    "format_instant": format_instant,
}
_private_text: Callable[..., str] = _generated(_private_text_source(), "_private_text", _PERSONAL_NAMESPACE)
"""The personal part of a row as this store writes it, from its values' texts (a record's as a tuple).

Writing formats the entry's values (:func:`_private_json`); reading compares a row with what its
own parsed texts give, without formatting a time again."""
_private_json: Callable[..., str] = _generated(_private_json_source(), "_private_json", _PERSONAL_NAMESPACE)
"""The personal part of a row, from the entry's personal values: compact JSON in declaration order."""
_personal: Callable[[str], tuple[object, ...]] = _generated(
    _personal_source(), "_personal", _PERSONAL_NAMESPACE
)
"""The personal values of a row's personal part, in declaration order; not as written: raises."""

_NAMESPACE: dict[str, object] = {
    # One name per column's reader: one lookup each, on the path every row takes.
    **{f"_by_value_{name}": members for name, members in _BY_VALUE.items()},
    **{f"_names_{name}": reader for name, reader in _NAMES.items()},
    "_NotAsWritten": _NotAsWritten,
    "_redacted": _redacted,
    "_PLAIN": _PLAIN,
    "_names_json": _names_json,
    "_private_json": _private_json,
    "_personal": _personal,
    "_resolves": _resolves,
    "_kinds": _kinds,
    "_optional_ints": _optional_ints,
    "_instant": _instant,
    "format_instant": format_instant,
    "Entry": Entry,
}
entry_row: Callable[[Entry], Row] = _generated(_writer_source(), "entry_row", dict(_NAMESPACE))
"""*entry* as a row of :data:`ENTRY_FIELDS` (without its position), each column written as the
entry's declaration says: lists and the personal part as compact JSON, exactly as
``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` writes them. A redacted entry is
refused: the store keeps every entry whole."""
_fast_entry: Callable[[Row], Entry] = _generated(_reader_source(), "_fast_entry", dict(_NAMESPACE))
