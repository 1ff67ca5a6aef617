"""Entries as rows and back: the store's row codec, generated from the entry's declaration.

Every apply writes rows and every load reads them, so both directions work on
the row tuple itself, in the order of :data:`ENTRY_FIELDS`, without a dict
in between. The writer and the fast reader are generated, as attrs generates
``__init__``, from the fields ``Entry`` declares and the form each is
written in: a field added to ``Entry`` is a column here with no edit. The
fast reader accepts only rows exactly as this store writes them; any other
row is read again by the strict reader of the JSON format
(``entry_from_dict``), which reads it the same way or names the field at
fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from json.encoder import encode_basestring as _quote
from typing import Any

import attrs

from casestate import (
    BrokenTrail,
    Entry,
    Evidence,
    EvidenceKind,
    FormatError,
    Integrity,
    Problem,
    entry_from_dict,
    trusted_evidence,
    unique_keys,
)
from casestate.instants import format_instant
from casestate.text import is_storable, is_text

from ._schema import DECLARED, ENTRY_FIELDS, JSON_FIELDS, Row

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
    "ints": '"[" + ",".join(map(str, {v})) + "]"',
    "instant": "format_instant({v})",
}
"""By the form a field is declared in: how its value is written in its column."""


def _generated(source: str, name: str, namespace: dict[str, object]) -> Callable[..., Any]:
    exec(source, namespace)  # noqa: S102 - source generated in this module from Entry's declared field names
    return namespace[name]  # type: ignore[return-value] # defined by the exec above


def _writer_source() -> str:
    columns = [_WRITTEN[_FORMS[name]].format(v=f"entry.{name}") for name in ENTRY_FIELDS[:-1]]
    columns.append("_private_json(entry.actor_id, entry.reason, entry.evidence, entry.salt)")
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


def _private_json(actor_id: str, reason: str | None, evidence: tuple[Evidence, ...], salt: bytes) -> str:
    items = [(item.kind, item.reference, item.source, format_instant(item.obtained_at)) for item in evidence]
    return _private_text(actor_id, reason, items, salt.hex())


def _private_text(
    actor_id: str, reason: str | None, evidence: Sequence[tuple[str, str, str, str]], salt: str
) -> str:
    """The personal part of a row as this store writes it, from its values' texts.

    Writing formats the entry's values; reading compares a row with what its
    own parsed texts give, without formatting a time again.
    """
    items = ",".join(
        [
            f'{{"kind":{_quote(kind)},"reference":{_quote(reference)},'
            f'"source":{_quote(source)},"obtained_at":"{obtained_at}"}}'
            for kind, reference, source, obtained_at in evidence
        ]
    )
    said = "null" if reason is None else _quote(reason)
    return f'{{"actor_id":{_quote(actor_id)},"reason":{said},"evidence":[{items}],"salt":"{salt}"}}'


# -- reading --------------------------------------------------------------------


def row_entry(row: Row, case_id: str, count: int) -> Entry:
    """Read an entry row back; an altered, unreadable row is a :class:`BrokenTrail`."""
    try:
        return _fast_entry(row)
    except _NOT_AS_WRITTEN:
        return _strict_entry(row, case_id, count)


class _NotAsWritten(Exception):
    """A row the fast path does not read: the strict reader decides."""


_NOT_AS_WRITTEN = (_NotAsWritten, KeyError, TypeError, ValueError)
"""What the fast path raises on a row it cannot read: an unknown enum value
(KeyError), a value of another type (TypeError), malformed JSON, an
impossible date or bad hexadecimal (ValueError)."""

_EVIDENCE_KINDS = {kind.value: kind for kind in EvidenceKind}
_PRIVATE_FIELDS = frozenset({"actor_id", "reason", "evidence", "salt"})
_EVIDENCE_FIELDS = frozenset({"kind", "reference", "source", "obtained_at"})
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
    "ints": "_resolves({v})",
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
        "    actor_id, reason, evidence, salt = _personal(private)\n"
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


# Few lists of resolved entries recur ("[]", "[3]"): each text is read once.


@lru_cache(maxsize=256)
def _resolves(text: str) -> tuple[int, ...]:
    values = _json_list(text)
    if not all(type(value) is int for value in values):
        raise _NotAsWritten
    return tuple(values)  # type: ignore[arg-type]


_UNESCAPED = r'([^"\\\x00-\x1f]*)'
"""A JSON string's content that needs no escape, as a group: what nearly every text is."""

_PLAIN_PERSONAL = re.compile(
    r'\{"actor_id":"' + _UNESCAPED + r'","reason":(?:null|"' + _UNESCAPED + r'"),"evidence":\['
    r'(?:\{"kind":"([a-z_]+)","reference":"' + _UNESCAPED + r'","source":"' + _UNESCAPED + r'",'
    r'"obtained_at":"(' + _INSTANT_TEXT + r')"\})?'
    r'\],"salt":"([0-9a-f]*)"\}'
).fullmatch
"""The personal part exactly as this store writes it, when it holds no text with an escape
and at most one piece of evidence (nearly every row): one match stands for the JSON parse
and the comparison of the text with what the parsed values write."""


def _personal(text: str) -> tuple[str, str | None, tuple[Evidence, ...], bytes]:
    matched = _PLAIN_PERSONAL(text)
    if matched is None:
        return _personal_from_json(text)
    actor_id, reason, kind, reference, source, obtained_at, salt = matched.groups()
    # The pattern leaves out NULs, quotes and escapes; a lone surrogate is all that is left to look for.
    if not (is_storable(actor_id) and (reason is None or is_storable(reason))):
        raise _NotAsWritten
    if kind is None:
        return actor_id, reason, (), bytes.fromhex(salt)
    if not (is_text(reference) and is_text(source)):
        raise _NotAsWritten
    evidence = trusted_evidence(_EVIDENCE_KINDS[kind], reference, source, datetime.fromisoformat(obtained_at))
    return actor_id, reason, (evidence,), bytes.fromhex(salt)


def _personal_from_json(text: str) -> tuple[str, str | None, tuple[Evidence, ...], bytes]:
    data = json.loads(text)
    if type(data) is not dict or data.keys() != _PRIVATE_FIELDS:
        raise _NotAsWritten
    actor_id = data["actor_id"]
    reason = data["reason"]
    items = data["evidence"]
    salt = data["salt"]
    if not (
        type(actor_id) is str
        and (reason is None or type(reason) is str)
        and type(items) is list
        and type(salt) is str
        and is_storable(actor_id)  # JSON escapes can spell a lone surrogate or a NUL
        and (reason is None or is_storable(reason))
    ):
        raise _NotAsWritten
    evidence = tuple([_evidence(item) for item in items])
    texts = [(item["kind"], item["reference"], item["source"], item["obtained_at"]) for item in items]
    if _private_text(actor_id, reason, texts, salt) != text:
        # A key given twice, or anything else this store does not write: the
        # parse keeps one value, another reader may keep another.
        raise _NotAsWritten
    return actor_id, reason, evidence, bytes.fromhex(salt)


def _evidence(item: object) -> Evidence:
    if type(item) is not dict or item.keys() != _EVIDENCE_FIELDS:
        raise _NotAsWritten
    reference, source = item["reference"], item["source"]
    # What Evidence's own checks ask, without its constructor's call per field:
    # a row holds one piece or more per entry, and a load reads every row.
    if not (is_text(reference) and is_text(source)):
        raise _NotAsWritten
    return trusted_evidence(_EVIDENCE_KINDS[item["kind"]], reference, source, _instant(item["obtained_at"]))


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


def _strict_entry(row: Row, case_id: str, count: int) -> Entry:
    """The strict reader: every field checked by the JSON format's rules, and the fault named."""
    data = dict(zip(ENTRY_FIELDS, row, strict=True))
    seq = data["seq"]
    try:
        for name in JSON_FIELDS:
            data[name] = json.loads(data[name], object_pairs_hook=unique_keys)
        entry = entry_from_dict(data, "row")
    except (FormatError, TypeError, ValueError) as error:
        raise unreadable(case_id, seq, count, str(error)) from None
    if entry.redacted:
        # The store always keeps the personal part; a row without it was stripped.
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
