"""Change records as CSV rows: the same fields as columns, evidence in numbered groups.

The same fields as a JSON record (:mod:`casestate._records`) are columns, and
evidence is flattened into numbered groups of four columns,
``evidence_1_kind``, ``evidence_1_reference``, ``evidence_1_source``,
``evidence_1_obtained_at``, then ``evidence_2_...``; an empty group is no
evidence. ``resolves`` is a cell of numbers separated by spaces (``3 5``); an
empty cell for ``reason`` or ``resolves`` means none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._change import Change
from ._records import EVIDENCE_FIELDS, FIELDS, REQUIRED_FIELDS, RecordError, change_from_record
from ._text import printable

_EVIDENCE_COLUMN = re.compile(r"evidence_([1-9][0-9]*)_(kind|reference|source|obtained_at)\Z")


def csv_columns(evidence: int = 1) -> list[str]:
    """The CSV header for records with up to *evidence* pieces of evidence each.

    >>> csv_columns(1)[-4:]
    ['evidence_1_kind', 'evidence_1_reference', 'evidence_1_source', 'evidence_1_obtained_at']
    """
    columns = [*REQUIRED_FIELDS, "reason", "resolves"]
    for number in range(1, evidence + 1):
        columns.extend(f"evidence_{number}_{part}" for part in EVIDENCE_FIELDS)
    return columns


def check_csv_header(columns: Iterable[str]) -> None:
    """Refuse a CSV header with unknown, repeated or missing columns (a :class:`RecordError`)."""
    names = list(columns)
    unknown = [
        name for name in names if name not in FIELDS - {"evidence"} and not _EVIDENCE_COLUMN.match(name)
    ]
    if unknown:
        raise RecordError(
            ", ".join(map(printable, unknown)), "unknown column; see casestate's change record format"
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise RecordError(", ".join(map(printable, repeated)), "column appears more than once")
    missing = [name for name in REQUIRED_FIELDS if name not in names]
    if missing:
        raise RecordError(", ".join(missing), "required column missing")


def record_from_csv_row(row: Mapping[str, str]) -> dict[str, Any]:
    """The change record a CSV row (column name to cell) encodes.

    Empty cells are absent values; evidence columns are gathered into the
    ``evidence`` list in the order of their numbers.
    """
    record: dict[str, Any] = {}
    groups: dict[int, dict[str, str]] = {}
    for column, cell in row.items():
        if column is None or cell is None:
            continue  # csv.DictReader's markers for a row longer or shorter than the header
        match = _EVIDENCE_COLUMN.match(column)
        if match is not None:
            if cell != "":
                groups.setdefault(int(match.group(1)), {})[match.group(2)] = cell
        elif column == "resolves":
            record["resolves"] = _csv_numbers(cell)
        elif cell != "":
            record[column] = cell
    if groups:
        record["evidence"] = [groups[number] for number in sorted(groups)]
    return record


def _csv_numbers(cell: str) -> list[int]:
    numbers = []
    for part in cell.split():
        if not part.isdigit():
            raise RecordError("resolves", f"expected entry numbers separated by spaces, got {cell!r}")
        numbers.append(int(part))
    return numbers


def record_to_csv_row(record: Mapping[str, Any]) -> dict[str, str]:
    """A change record as a CSV row (see :func:`csv_columns` for the header)."""
    row = {name: str(record.get(name) or "") for name in (*REQUIRED_FIELDS, "reason")}
    row["resolves"] = " ".join(str(number) for number in record.get("resolves") or ())
    for number, item in enumerate(record.get("evidence") or (), start=1):
        for part in EVIDENCE_FIELDS:
            row[f"evidence_{number}_{part}"] = str(item[part])
    return row


def csv_field(field: str) -> str:
    """The CSV column a record field is read from: ``evidence[1].source`` is ``evidence_2_source``.

    >>> csv_field("evidence[1].source")
    'evidence_2_source'
    """
    match = re.fullmatch(r"evidence\[(\d+)\]\.(\w+)", field)
    if match is None:
        return field
    return f"evidence_{int(match.group(1)) + 1}_{match.group(2)}"


def change_from_csv_row(row: Mapping[str, str]) -> tuple[str, Change]:
    """The case id and change a CSV row encodes; a :class:`RecordError` naming the column."""
    try:
        return change_from_record(record_from_csv_row(row))
    except RecordError as error:
        if error.field is None:
            raise
        raise RecordError(csv_field(error.field), error.problem) from None
