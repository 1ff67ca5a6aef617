"""A casestate entry in a PFIF note with a key given twice is refused, never the last one taken."""

from datetime import UTC, datetime

import pytest

import casestate as cs
from casestate.pfif import Person, PfifError, from_pfif, to_pfif


def _forged() -> bytes:
    """An export whose casestate entry gives its role twice: icrc, then family."""
    case = cs.DEFAULT_WORKFLOW.open(
        "ua-1",
        actor=cs.Actor("olena", "family"),
        effective_at=datetime(2024, 3, 1, tzinfo=UTC),
        recorded_at=datetime(2024, 3, 2, tzinfo=UTC),
        salt=bytes(16),
    )
    document = to_pfif([case], {"ua-1": Person(full_name="Ivan")}, domain="ngo.example.org").decode()
    twice = "&quot;role&quot;:&quot;icrc&quot;,&quot;role&quot;:&quot;family&quot;"
    forged = document.replace("&quot;role&quot;:&quot;family&quot;", twice, 1)
    assert forged != document
    return forged.encode()


def test_an_entry_with_a_key_twice_is_not_read_as_its_last_value():
    forged = _forged()
    report = from_pfif(forged, recorded_at=datetime(2024, 7, 1, tzinfo=UTC), trust_plain=True)
    assert report.imported == ()
    assert "note 1: the key 'role' appears twice in one object" in report.skipped[0].reason


def test_strict_import_refuses_the_document():
    with pytest.raises(PfifError, match="appears twice"):
        from_pfif(_forged(), recorded_at=datetime(2024, 7, 1, tzinfo=UTC), trust_plain=True, strict=True)
