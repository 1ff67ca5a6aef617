"""An entry's one declaration: the canonical bytes, sealing and JSON, of both parts, all derive from it."""

import json

import attrs
import pytest
from hypothesis import given

import casestate as cs
from casestate._chain import canonical_private
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
        assert field.metadata["form"] is not None


def test_the_evidence_an_entry_lists_is_laid_out_by_its_own_fields():
    (evidence,) = [field for field in attrs.fields(cs.Entry) if field.metadata["form"] == "records"]
    assert evidence.metadata["of"] is cs.Evidence
    laid_out = [(member.name, member.form, member.of) for member in evidence.metadata["members"]]
    assert laid_out == [
        ("kind", "kind", None),
        ("reference", "text", None),
        ("source", "text", None),
        ("obtained_at", "instant", None),
    ]
    assert [member.name for member in evidence.metadata["members"]] == [
        field.name for field in attrs.fields(cs.Evidence)
    ]


def test_the_salt_alone_salts_the_commitment_and_is_not_covered_by_it():
    salting = [field.name for field in attrs.fields(cs.Entry) if field.metadata["salts"]]
    assert salting == ["salt"]


@given(trails())
def test_the_personal_bytes_are_the_personal_part_less_its_salt_as_sorted_compact_ascii_json(trail):
    written = cs.to_dict(cs.replay(trail, key=_key(trail)))["entries"]
    for entry, data in zip(trail, written, strict=True):
        personal = {name: value for name, value in data["private"].items() if name != "salt"}
        expected = json.dumps(personal, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        assert canonical_private(entry.actor_id, entry.reason, entry.evidence) == expected.encode("ascii")
        assert list(data["private"]) == ["actor_id", "reason", "evidence", "salt"]


def test_a_redacted_entry_holds_every_personal_field_at_its_default():
    entry = case_in("captured").trail[1].without_private()
    assert (entry.actor_id, entry.reason, entry.evidence, entry.salt) == (None, None, (), None)
    assert entry.redacted


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


def test_a_private_part_without_a_reason_reads_as_one_with_none():
    data = cs.to_dict(case_in("captured"))
    assert data["entries"][1]["private"].pop("reason") is None
    assert cs.from_dict(data) == case_in("captured")


@pytest.mark.parametrize(
    ("salt", "problem"),
    [
        ("zz", "not hexadecimal"),
        ("00ff", "a salt of 2 bytes; at least 16"),
        (7, "expected str, got int"),
    ],
)
def test_a_bad_salt_is_refused_naming_it(salt, problem):
    data = cs.to_dict(case_in("captured"))
    data["entries"][1]["private"]["salt"] = salt
    with pytest.raises(cs.FormatError, match=rf"entries\[1\]\.private\.salt: {problem}"):
        cs.from_dict(data)
