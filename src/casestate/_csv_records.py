"""Change records as CSV rows: the same fields as columns, evidence in numbered groups.

The same fields as a JSON record (:mod:`casestate._records`) are columns, and
evidence is flattened into numbered groups of four columns,
``evidence_1_kind``, ``evidence_1_reference``, ``evidence_1_source``,
``evidence_1_obtained_at``, then ``evidence_2_...``; an empty group is no
evidence. ``resolves`` is a cell of numbers separated by spaces (``3 5``); an
empty cell for ``reason``, ``resolves``, ``source_id`` or ``follows`` means none.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return) as a formula: ``=HYPERLINK(...)`` in a reason would
send whoever opens the file to the writer's site. Such a cell is written
behind an apostrophe, which spreadsheets show as text, and read back without
it; a cell that starts with an apostrophe and one of those characters (or a
second apostrophe) is given one more, so that every text reads back as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._change import Change
from ._records import (
    EVIDENCE_FIELDS,
    FIELDS,
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    RecordError,
    change_from_record,
)
from ._text import printable

_FORMULA_STARTS = frozenset("=+-@\t\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list)."""
_QUOTE = "'"
_EVIDENCE_COLUMN = re.compile(r"evidence_([1-9][0-9]*)_(kind|reference|source|obtained_at)\Z")
_CELLS = tuple(name for name in OPTIONAL_FIELDS if name != "evidence")
"""The optional fields that are a column each (evidence is numbered groups of columns)."""


def csv_columns(evidence: int = 1) -> list[str]:
    """The CSV header for records with up to *evidence* pieces of evidence each.

    >>> csv_columns(1)[-4:]
    ['evidence_1_kind', 'evidence_1_reference', 'evidence_1_source', 'evidence_1_obtained_at']
    """
    columns = [*REQUIRED_FIELDS, *_CELLS]
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
                groups.setdefault(int(match.group(1)), {})[match.group(2)] = _text_from_cell(cell)
        elif column == "resolves":
            record["resolves"] = _csv_numbers(cell)
        elif cell != "":
            record[column] = _text_from_cell(cell)
    if groups:
        record["evidence"] = [groups[number] for number in sorted(groups)]
    return record


def _csv_numbers(cell: str) -> list[int]:
    numbers = []
    for part in cell.split():
        if not (part.isascii() and part.isdigit()):  # "²" and "①" are digits to str.isdigit, not to int()
            raise RecordError("resolves", f"expected entry numbers separated by spaces, got {cell!r}")
        numbers.append(int(part))
    return numbers


def record_to_csv_row(record: Mapping[str, Any]) -> dict[str, str]:
    """A change record as a CSV row (see :func:`csv_columns` for the header)."""
    row = {
        name: _cell_from_text(str(record.get(name) or ""))
        for name in (*REQUIRED_FIELDS, *_CELLS)
        if name != "resolves"
    }
    row["resolves"] = " ".join(str(number) for number in record.get("resolves") or ())
    for number, item in enumerate(record.get("evidence") or (), start=1):
        for part in EVIDENCE_FIELDS:
            row[f"evidence_{number}_{part}"] = _cell_from_text(str(item[part]))
    return row


def _cell_from_text(text: str) -> str:
    """*text* as a CSV cell a spreadsheet shows as text, never runs as a formula.

    >>> print(_cell_from_text('=HYPERLINK("https://evil.example","open")'))
    '=HYPERLINK("https://evil.example","open")
    >>> _cell_from_text("unit 41 HQ"), _cell_from_text("'tis")
    ('unit 41 HQ', "'tis")
    """
    if text[:1] in _FORMULA_STARTS or _quoted(text):
        return _QUOTE + text
    return text


def _text_from_cell(cell: str) -> str:
    """The text a CSV cell holds, as ``_cell_from_text`` wrote it: its guarding apostrophe taken off.

    >>> _text_from_cell("'=1+1"), _text_from_cell("'tis")
    ('=1+1', "'tis")
    """
    return cell[1:] if _quoted(cell) else cell


def _quoted(cell: str) -> bool:
    """Whether *cell* starts with an apostrophe put there to guard what follows it."""
    return cell[:1] == _QUOTE and cell[1:2] != "" and (cell[1] in _FORMULA_STARTS or cell[1] == _QUOTE)


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
