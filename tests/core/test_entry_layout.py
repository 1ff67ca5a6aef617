"""An entry's one declaration: the canonical bytes, sealing and JSON all derive from it."""

import json

import attrs
import pytest
from hypothesis import given

import casestate as cs
from casestate.testing import trails
from support import case_in


@given(trails())
def test_the_canonical_bytes_are_the_public_fields_as_sorted_compact_ascii_json(trail):
    written = cs.to_dict(cs.replay(trail, key=_key(trail)))["entries"]
    for entry, data in zip(trail, written, strict=True):
        public = {name: value for name, value in data.items() if name not in {"hash", "private"}}
        expected = json.dumps(public, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        assert cs.canonical_bytes(entry) == expected.encode("ascii")


def _key(trail):
    return cs.testing.TEST_KEY if trail[0].chain != "sha256" else None


def test_every_field_of_an_entry_names_its_part_and_form():
    for field in attrs.fields(cs.Entry):
        assert field.metadata["part"] in {"public", "seal", "personal"}
        if field.metadata["part"] != "personal":
            assert field.metadata["form"] is not None


@pytest.mark.parametrize("field", ["from_status", "reverts_to", "codes", "resolves"])
def test_a_document_without_a_field_is_refused_naming_it(field):
    data = cs.to_dict(case_in("captured"))
    del data["entries"][1][field]
    with pytest.raises(cs.FormatError, match=rf"entries\[1\]\.{field}: missing"):
        cs.from_dict(data)


def test_null_stays_the_value_of_a_field_that_has_none():
    data = cs.to_dict(case_in("captured"))
    assert data["entries"][0]["from_status"] is None
    assert data["entries"][1]["reverts_to"] is None
    assert cs.from_dict(data) == case_in("captured")
