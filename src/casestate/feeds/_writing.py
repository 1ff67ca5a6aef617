"""Writing change files: changes to cases as JSON Lines or CSV, which :func:`read_changes` reads back."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from casestate import Change, change_to_record, csv_columns, record_to_csv_row

from ._errors import FeedError
from ._reading import Format


def write_changes(
    changes: Iterable[tuple[str, Change]],
    stream: TextIO,
    *,
    format: Format = "jsonl",  # noqa: A002 - the word for it; the builtin is not needed here
    evidence: int | None = None,
) -> int:
    """Write each ``(case_id, change)`` of *changes* to *stream* as a change record; how many were written.

    JSON Lines writes one record per line. CSV writes a header, then one row
    per change, with columns for up to *evidence* pieces of evidence (by
    default, as many as the change with the most has); open the file with
    ``newline=""``. A cell a spreadsheet would run as a formula is written
    behind an apostrophe, and read back without it. The change's salt is not
    written: a stored change gets a fresh one.

    >>> import io
    >>> from datetime import datetime, UTC
    >>> import casestate as cs
    >>> from casestate.feeds import write_changes
    >>> opening = cs.Change(trigger="open", actor=cs.Actor("mothers-committee", cs.Role.NGO),
    ...     effective_at=datetime(2024, 2, 20, tzinfo=UTC), recorded_at=datetime(2024, 3, 1, tzinfo=UTC))
    >>> out = io.StringIO()
    >>> write_changes([("ua-0173", opening)], out, format="csv")
    1
    >>> print(out.getvalue().splitlines()[1])
    ua-0173,open,mothers-committee,ngo,2024-02-20T00:00:00+00:00,2024-03-01T00:00:00+00:00,,,,
    """
    if format == "jsonl":
        written = 0
        for case_id, change in changes:
            stream.write(json.dumps(change_to_record(case_id, change), ensure_ascii=False) + "\n")
            written += 1
        return written
    if format != "csv":
        msg = f"a change file's format is 'jsonl' or 'csv', not {format!r}"
        raise FeedError(msg)
    held = list(changes)
    most = max((len(change.evidence) for _, change in held), default=0)
    if evidence is None:
        evidence = most
    elif most > evidence:
        msg = f"a change holds {most} pieces of evidence, more than the {evidence} the columns have room for"
        raise FeedError(msg)
    writer = csv.DictWriter(stream, fieldnames=csv_columns(evidence), restval="", lineterminator="\n")
    writer.writeheader()
    for case_id, change in held:
        writer.writerow(record_to_csv_row(change_to_record(case_id, change)))
    return len(held)
