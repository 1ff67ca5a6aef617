"""PFIF records written by hand, as another repository writes them: persons, notes, documents."""

from __future__ import annotations

from datetime import UTC, datetime

from casestate.pfif import from_pfif

JULY = datetime(2024, 7, 1, tzinfo=UTC)
"""When the case holder takes the documents in."""


def element(name: str, fields: dict[str, str], inner: str = "", attributes: str = "") -> str:
    body = "".join(f"<pfif:{field}>{value}</pfif:{field}>" for field, value in fields.items())
    return f"<pfif:{name}{attributes}>{body}{inner}</pfif:{name}>"


def person(record_id: str = "site.example.org/p1", inner: str = "", **fields: str) -> str:
    """A person record; a field given as ``""`` is left out."""
    values = {"person_record_id": record_id, "source_date": "2024-03-01T00:00:00Z", "full_name": "Ivan"}
    values.update(fields)
    return element("person", {name: value for name, value in values.items() if value}, inner)


def note(number: int, status: str = "believed_dead", **fields: str) -> str:
    """A note written on 2024-03-(number + 1); a field given as ``""`` is left out."""
    values = {
        "note_record_id": f"site.example.org/n{number}",
        "author_name": "a volunteer",
        "source_date": f"2024-03-{number + 1:02d}T00:00:00Z",
        "status": status,
        "text": "seen",
    }
    values.update(fields)
    return element("note", {name: value for name, value in values.items() if value})


def document(*records: str) -> str:
    return f'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">{"".join(records)}</pfif:pfif>'


def read(*records: str, **options):
    """The import of a PFIF 1.4 document of *records*, taken in on :data:`JULY`."""
    return from_pfif(document(*records), recorded_at=JULY, **options)


def reasons(report) -> dict[str, str]:
    return {item.record: item.reason for item in report.skipped}
