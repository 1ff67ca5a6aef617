"""Change records: the flat, documented form in which changes travel between systems.

One record is one change to one case, as a JSON object (a line of a JSON
Lines file) or as a CSV row. The fields:

============  ========  ==============================================================
field         required  meaning
============  ========  ==============================================================
case_id       yes       the case the change is for (non-empty text)
trigger       yes       ``open`` opens the case; any other value is a workflow trigger
actor_id      yes       who makes the change (non-empty text)
role          yes       the role they act in (``family``, ``ngo``, ``icrc``, ...)
effective_at  yes       when the fact happened: ISO 8601 with an offset
recorded_at   yes       when the case holder learned it: ISO 8601 with an offset
evidence      no        a list of ``{kind, reference, source, obtained_at}``
reason        no        a written reason (text, or null)
resolves      no        sequence numbers of the conflict entries it settles
source_id     no        the id the change's source gave it, unique within the case
follows       no        for ``open``: the case of the person's disappearance before
============  ========  ==============================================================

A timestamp without an offset (``2024-03-02T12:00:00``) is refused: it would be
read in whatever zone the reading machine is in. So is an impossible one
(``2024-02-30T12:00:00Z``). Unknown fields are refused too, so that a typo
(``efective_at``) is not silently dropped. Every fault is a
:class:`RecordError` that names the field.

A record with trigger ``open`` opens the case: *effective_at* is when the
person was last seen, *recorded_at* when the case holder opened the case; it
resolves nothing.

A record sent again with its *source_id* is recognised and stored once (see
:attr:`casestate.Change.source_id`); a record without one is a new change
each time it is sent.

The same records as CSV rows are read and written in
:mod:`casestate._csv_records`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ._building import KINDS, shared_actor, trusted_change, trusted_evidence
from ._change import OPEN, Change
from ._errors import CasestateError
from ._evidence import Evidence
from ._json import FormatError, unique_keys
from ._text import (
    MAX_CASE_ID,
    MAX_NAME,
    identifier_problem,
    is_blank,
    is_storable,
    is_text,
    printable,
    too_long,
    unstorable,
)
from ._time import OUTSIDE_THE_CALENDAR

REQUIRED_FIELDS = ("case_id", "trigger", "actor_id", "role", "effective_at", "recorded_at")
"""The fields every change record has."""

OPTIONAL_FIELDS = ("evidence", "reason", "resolves", "source_id", "follows")
"""The fields a change record may leave out."""

EVIDENCE_FIELDS = ("kind", "reference", "source", "obtained_at")
"""The fields of each piece of evidence in a record."""

FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)
"""Every field a change record may have."""
_EVIDENCE_FIELDS = frozenset(EVIDENCE_FIELDS)
_TIMESTAMP_SHAPE = re.compile(
    r"\d{4}-?\d{2}-?\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)?"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?\Z"
)


class RecordError(CasestateError, ValueError):
    """A change record that cannot be read; *field* names where (``evidence[0].kind``).

    >>> try:
    ...     change_from_record({"case_id": "ua-0173"})
    ... except RecordError as error:
    ...     print(error.field, "-", error)
    trigger - trigger: missing
    """

    def __init__(self, field: str | None, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)

    def __reduce__(self) -> tuple[type[RecordError], tuple[str | None, str], dict[str, object]]:
        # Pickled by its fields, as its constructor takes them (and its notes): it crosses processes.
        return (RecordError, (self.field, self.problem), self.__dict__)


def _type(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    # The common case first: this runs per field per line.
    if is_text(value):
        return value
    if name not in record:
        raise RecordError(name, "missing")
    if not isinstance(value, str):
        raise RecordError(name, f"expected text, got {_type(value)}")
    if not value.strip():
        raise RecordError(name, "must not be empty")
    if not is_storable(value):
        raise RecordError(name, unstorable(value))
    return value


def _identifier(record: Mapping[str, Any], name: str) -> str:
    value = _text(record, name)
    problem = identifier_problem(value)
    if problem is not None:
        raise RecordError(name, problem)
    return value


def parse_timestamp(text: str, field: str) -> datetime:
    """Read an ISO 8601 timestamp with an offset; a :class:`RecordError` naming *field* otherwise.

    >>> parse_timestamp("2024-03-02T14:00:00+02:00", "effective_at").isoformat()
    '2024-03-02T12:00:00+00:00'
    >>> parse_timestamp("2024-03-02T14:00:00", "effective_at")
    Traceback (most recent call last):
    ...
    casestate.RecordError: effective_at: naive timestamp '2024-03-02T14:00:00': add an offset such as Z or +02:00
    """  # noqa: E501 - a doctest's expected output is one line
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        shape = _TIMESTAMP_SHAPE.match(text)
        if shape is None:
            raise RecordError(
                field, f"not an ISO 8601 timestamp (2024-03-02T14:00:00+02:00): {text!r}"
            ) from None
        raise RecordError(field, f"impossible timestamp {text!r}: {error}") from None
    offset = value.utcoffset()
    if offset is None:
        raise RecordError(field, f"naive timestamp {text!r}: add an offset such as Z or +02:00")
    try:
        return value if value.tzinfo is UTC else value.astimezone(UTC)
    except OverflowError:
        raise RecordError(field, f"timestamp {text!r} {OUTSIDE_THE_CALENDAR}") from None


def _timestamp(record: Mapping[str, Any], name: str) -> datetime:
    return parse_timestamp(_text(record, name), name)


def _evidence(value: object) -> tuple[Evidence, ...]:
    if not isinstance(value, list):
        raise RecordError("evidence", f"expected a list, got {_type(value)}")
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) and not isinstance(item, Mapping):
            where = f"evidence[{index}]"
            raise RecordError(where, f"expected an object, got {_type(item)}")
        if not _EVIDENCE_FIELDS.issuperset(item):
            extra = item.keys() - _EVIDENCE_FIELDS
            names = ", ".join(sorted(printable(str(name)) for name in extra))
            raise RecordError(f"evidence[{index}]", f"unknown fields {names}")
        try:
            kind = _text(item, "kind")
            reference, source = _text(item, "reference"), _text(item, "source")
            obtained_at = _timestamp(item, "obtained_at")
            known = KINDS.get(kind)
            if known is None:  # a declared kind's name, checked by the converter, or its own message
                items.append(Evidence(kind, reference, source, obtained_at))
            else:
                items.append(trusted_evidence(known, reference, source, obtained_at))
        except RecordError as error:
            raise RecordError(f"evidence[{index}].{error.field}", error.problem) from None
        except ValueError as error:  # only the kind's converter is left to refuse
            raise RecordError(f"evidence[{index}].kind", str(error)) from None
    return tuple(items)


def _resolves(value: object) -> list[int]:
    if not isinstance(value, list):
        raise RecordError("resolves", f"expected a list of entry numbers, got {_type(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, int) or isinstance(item, bool) or item < 0:
            raise RecordError(f"resolves[{index}]", f"expected an entry number (int >= 0), got {item!r}")
    return value


def change_from_record(record: object) -> tuple[str, Change]:
    r"""The case id and the :class:`Change` a record describes; a :class:`RecordError` if it is not one.

    Text is refused where it holds a lone surrogate (half of a UTF-16 pair,
    as JSON's ``"\ud800"`` makes it): no UTF-8 file or database could store it.

    >>> case_id, change = change_from_record({
    ...     "case_id": "ua-0173", "trigger": "report_dead", "actor_id": "unit-41-hq", "role": "unit",
    ...     "effective_at": "2024-03-02T12:00:00Z", "recorded_at": "2024-03-10T09:15:00+02:00",
    ...     "evidence": [{"kind": "unit_notification", "reference": "notice 41/118",
    ...                   "source": "unit 41 HQ", "obtained_at": "2024-03-10T09:00:00+02:00"}]})
    >>> case_id, change.trigger, change.actor.role, change.recorded_at.isoformat()
    ('ua-0173', 'report_dead', 'unit', '2024-03-10T07:15:00+00:00')
    """
    if record.__class__ is dict:
        read = _well_formed(record)
        if read is not None:
            return read
    return _read_record(record)


def change_from_json(text: str | bytes) -> tuple[str, Change]:
    """The case id and :class:`Change` of one record as JSON text (a line of a JSON Lines file).

    Read as :func:`change_from_record` reads a parsed record, and a key given
    twice in one object is refused: parsers disagree on which one counts, so
    ``"role": "family", "role": "icrc"`` must not read as either.

    >>> change_from_json('{"case_id": "ua-1", "role": "family", "role": "icrc"}')
    Traceback (most recent call last):
    ...
    casestate.RecordError: the key 'role' appears twice in one object
    """
    try:
        record = json.loads(text, object_pairs_hook=unique_keys)
    except FormatError as error:
        raise RecordError(None, str(error)) from None
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise RecordError(None, f"not JSON: {error}") from None
    return change_from_record(record)


def _read_record(record: object) -> tuple[str, Change]:
    """:func:`change_from_record` field by field, naming the first fault."""
    if not isinstance(record, dict) and not isinstance(record, Mapping):
        raise RecordError(None, f"expected a JSON object, got {_type(record)}")
    if not FIELDS.issuperset(record):
        extra = record.keys() - FIELDS
        raise RecordError(
            ", ".join(sorted(printable(str(name)) for name in extra)),
            f"unknown field; a change record has {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}",
        )
    case_id = _identifier(record, "case_id")
    if len(case_id) > MAX_CASE_ID:
        raise RecordError("case_id", too_long(case_id, MAX_CASE_ID))
    trigger = _identifier(record, "trigger")
    actor = shared_actor(_identifier(record, "actor_id"), _identifier(record, "role"))
    effective_at = _timestamp(record, "effective_at")
    recorded_at = _timestamp(record, "recorded_at")
    evidence = () if record.get("evidence") is None else _evidence(record["evidence"])
    reason = record.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise RecordError("reason", f"expected text or null, got {_type(reason)}")
    if reason is not None and not is_storable(reason):
        raise RecordError("reason", unstorable(reason))
    resolves = () if record.get("resolves") is None else _resolves(record["resolves"])
    if trigger == OPEN and resolves:
        raise RecordError("resolves", "a record that opens a case resolves nothing")
    source_id = None if record.get("source_id") is None else _identifier(record, "source_id")
    if source_id is not None and len(source_id) > MAX_NAME:
        raise RecordError("source_id", too_long(source_id, MAX_NAME))
    follows = None if record.get("follows") is None else _follows(record, case_id, trigger)
    change = trusted_change(
        trigger,
        actor,
        effective_at,
        recorded_at,
        evidence,
        None if reason is None or is_blank(reason) else reason,
        tuple(sorted(set(resolves))) if resolves else (),
        source_id,
        follows,
    )
    return case_id, change


def _follows(record: Mapping[str, Any], case_id: str, trigger: str) -> str:
    """The case a record that opens a case follows: another case's id."""
    follows = _identifier(record, "follows")
    if trigger != OPEN:
        raise RecordError("follows", "only a record that opens a case follows another")
    if len(follows) > MAX_CASE_ID:
        raise RecordError("follows", too_long(follows, MAX_CASE_ID))
    if follows == case_id:
        raise RecordError("follows", "a case cannot follow itself: name the case of an earlier disappearance")
    return follows


def _well_formed(record: dict[str, Any]) -> tuple[str, Change] | None:  # noqa: C901, PLR0911, PLR0912
    """The change of a record in the common shape, every field well-formed; ``None`` for any other.

    A file of a million lines reads a million records, nearly all of them
    well-formed: this reads one in a single pass, calling out only for timestamps.
    It accepts exactly what :func:`_read_record` accepts and builds the same
    change (a test holds the two equal); on anything else it gives up, and
    :func:`_read_record` names the fault, so every message has one source.
    """
    if not FIELDS.issuperset(record):
        return None
    get = record.get
    case_id, trigger, actor_id, role = get("case_id"), get("trigger"), get("actor_id"), get("role")
    if not (
        case_id.__class__ is str
        and trigger.__class__ is str
        and actor_id.__class__ is str
        and role.__class__ is str
        and identifier_problem(case_id) is None
        and identifier_problem(trigger) is None
        and identifier_problem(actor_id) is None
        and identifier_problem(role) is None
        and is_storable(case_id)
        and len(case_id) <= MAX_CASE_ID
        and is_storable(trigger)
        and is_storable(actor_id)
        and is_storable(role)
    ):
        return None
    effective_at = _utc_or_none(get("effective_at"))
    recorded_at = _utc_or_none(get("recorded_at"))
    if effective_at is None or recorded_at is None:
        return None
    evidence: tuple[Evidence, ...] = ()
    listed = get("evidence")
    if listed is not None:
        if listed.__class__ is not list:
            return None
        items = []
        for item in listed:
            if item.__class__ is not dict or not _EVIDENCE_FIELDS.issuperset(item):
                return None
            kind, reference, source = item.get("kind"), item.get("reference"), item.get("source")
            known = KINDS.get(kind) if kind.__class__ is str else None
            obtained_at = _utc_or_none(item.get("obtained_at"))
            if not (known is not None and is_text(reference) and is_text(source) and obtained_at is not None):
                return None
            items.append(trusted_evidence(known, reference, source, obtained_at))
        evidence = tuple(items)
    reason = get("reason")
    if reason is not None:
        if reason.__class__ is not str or not is_storable(reason):
            return None
        if is_blank(reason):
            reason = None  # a blank reason is none, as the constructor has it
    resolves: tuple[int, ...] = ()
    numbers = get("resolves")
    if numbers:  # None and [] resolve nothing; anything else must be a list of entry numbers
        if numbers.__class__ is not list or trigger == OPEN:
            return None
        for number in numbers:
            if number.__class__ is not int or number < 0:
                return None
        resolves = tuple(sorted(set(numbers)))
    elif numbers is not None and numbers.__class__ is not list:
        return None
    source_id = get("source_id")
    if source_id is not None and not (
        source_id.__class__ is str
        and identifier_problem(source_id) is None
        and is_storable(source_id)
        and len(source_id) <= MAX_NAME
    ):
        return None
    if get("follows") is not None:  # an opening of a later disappearance, rare: read field by field
        return None
    change = trusted_change(
        trigger,
        shared_actor(actor_id, role),
        effective_at,
        recorded_at,
        evidence,
        reason,
        resolves,
        source_id,
    )
    return case_id, change


_RECENT_INSTANTS: dict[str, datetime] = {}
_RECENT_LIMIT = 4096


def _utc_or_none(text: object) -> datetime | None:
    """The instant of a well-formed timestamp with an offset, in UTC; ``None`` for anything else.

    Timestamps repeat in a change file (a list compiled at one time, evidence
    obtained when it was recorded): the instants of recent ones are kept, and
    the store is emptied when it grows past a few thousand.
    """
    if text.__class__ is not str:
        return None
    known = _RECENT_INSTANTS.get(text)
    if known is not None:
        return known
    try:
        value = datetime.fromisoformat(text)
        zone = value.tzinfo
        if zone is not UTC:
            if zone is None:
                return None
            value = value.astimezone(UTC)
    except (ValueError, OverflowError):  # parse_timestamp names the fault
        return None
    if len(_RECENT_INSTANTS) >= _RECENT_LIMIT:
        _RECENT_INSTANTS.clear()
    _RECENT_INSTANTS[text] = value
    return value


def change_to_record(case_id: str, change: Change) -> dict[str, Any]:
    """The record of *change* to case *case_id*, JSON-ready; :func:`change_from_record` reads it back.

    Timestamps are written in UTC; the change's salt is not part of a record
    (a stored change gets a fresh one).
    """
    record: dict[str, Any] = {
        "case_id": case_id,
        "trigger": change.trigger,
        "actor_id": change.actor.id,
        "role": change.actor.role,
        "effective_at": change.effective_at.isoformat(),
        "recorded_at": change.recorded_at.isoformat(),
        "evidence": [
            {
                "kind": str(item.kind),
                "reference": item.reference,
                "source": item.source,
                "obtained_at": item.obtained_at.isoformat(),
            }
            for item in change.evidence
        ],
    }
    if change.reason is not None:
        record["reason"] = change.reason
    if change.resolves:
        record["resolves"] = list(change.resolves)
    if change.source_id is not None:
        record["source_id"] = change.source_id
    if change.follows is not None:
        record["follows"] = change.follows
    return record
