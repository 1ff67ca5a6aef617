"""Entries as rows and back, and the memory of trails already verified."""

from __future__ import annotations

import json
from collections import OrderedDict

from casestate._case import Case
from casestate._chain import BrokenTrail, Integrity, Problem
from casestate._entry import Entry
from casestate._json import FormatError, entry_from_dict, entry_to_dict

from ._schema import ENTRY_FIELDS, JSON_FIELDS, Row

_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entry_row(entry: Entry) -> Row:
    """*entry* as a row of :data:`ENTRY_FIELDS` (without its position)."""
    data = entry_to_dict(entry)
    return (
        data["case_id"],
        data["seq"],
        data["kind"],
        data["trigger"],
        data["from_status"],
        data["to_status"],
        data["fate"],
        data["assurance"],
        data["role"],
        _to_json(data["evidence_kinds"]),
        data["effective_at"],
        data["recorded_at"],
        _to_json(data["resolves"]),
        _to_json(data["codes"]),
        data["reverts_to"],
        data["chain"],
        data["prev_hash"],
        data["commitment"],
        data["hash"],
        _to_json(data["private"]),
    )


def unreadable(case_id: str, seq: object, count: int, text: str) -> BrokenTrail:
    position = seq if isinstance(seq, int) else 0
    return BrokenTrail(
        Integrity(
            ok=False,
            case_id=case_id,
            entries=count,
            position=position,
            problem=Problem.HASH,
            message=f"case {case_id!r}: entry {seq}: was altered: {text}",
        )
    )


def row_entry(row: Row, case_id: str, count: int) -> Entry:
    """Read an entry row back; an altered, unreadable row is a :class:`BrokenTrail`."""
    data = dict(zip(ENTRY_FIELDS, row, strict=True))
    seq = data["seq"]
    try:
        for name in JSON_FIELDS:
            data[name] = json.loads(data[name])
        entry = entry_from_dict(data, "row")
    except (FormatError, TypeError, ValueError) as error:
        raise unreadable(case_id, seq, count, str(error)) from None
    if entry.private is None:
        # The store always keeps the personal part; a row without it was stripped.
        raise unreadable(case_id, seq, count, "its actor, reason and evidence were removed")
    return entry


class Memo:
    """Cases already verified, by the exact rows they were read from.

    Verification is a function of the rows and the key alone: rows equal to
    rows verified before give the same case, so only changed rows are replayed.
    Bounded by the number of entries held.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.held = 0
        self.cases: OrderedDict[str, tuple[list[Row], Case]] = OrderedDict()

    def get(self, case_id: str, rows: list[Row]) -> Case | None:
        """The case verified from *rows*, or from the first of them (a trail that grew since)."""
        found = self.cases.get(case_id)
        if found is None:
            return None
        known_rows, case = found
        count = len(known_rows)
        if len(rows) < count or rows[:count] != known_rows:
            return None
        self.cases.move_to_end(case_id)
        return case

    def put(self, case_id: str, rows: list[Row], case: Case) -> None:
        self.forget(case_id)
        if len(rows) > self.capacity:
            return
        self.cases[case_id] = (rows, case)
        self.held += len(rows)
        while self.held > self.capacity:
            _, (old, _) = self.cases.popitem(last=False)
            self.held -= len(old)

    def latest(self, case_id: str) -> tuple[list[Row], Case] | None:
        return self.cases.get(case_id)

    def forget(self, case_id: str) -> None:
        found = self.cases.pop(case_id, None)
        if found is not None:
            self.held -= len(found[0])
