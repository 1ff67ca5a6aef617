"""The JSON format: round trips exactly, and every malformed document is named precisely."""

import json

import pytest

import casestate as cs
from support import WORKFLOW, case_in, change, opened

KEY = b"k" * 32


@pytest.mark.parametrize("status", ["missing", "captured", "wounded", "dead", "confirmed", "repatriated"])
def test_round_trip_is_equal_and_byte_stable(status):
    case = case_in(status)
    text = cs.to_json(case)
    again = cs.from_json(text)
    assert again == case
    assert cs.to_json(again) == text


def test_round_trip_of_a_keyed_case_needs_the_key():
    case = case_in("confirmed", key=KEY)
    assert cs.from_json(cs.to_json(case), key=KEY) == case
    with pytest.raises(cs.BrokenTrail, match="sealed with a key"):
        cs.from_json(cs.to_json(case))


def test_round_trip_of_conflicts_corroborations_and_dismissals():
    case = case_in("confirmed")
    case = WORKFLOW.apply(case, change("report_captured", "family", "video", on=50))
    case = WORKFLOW.apply(case, change("dismiss", "ngo", on=51, reason="not him", resolves=(3,)))
    case = WORKFLOW.apply(case, change("report_wounded", "unit", "medical_record", on=52))
    kinds = [entry.kind for entry in case.trail]
    assert kinds[-3:] == [cs.EntryKind.CONFLICT, cs.EntryKind.DISMISSAL, cs.EntryKind.CONFLICT]
    assert cs.from_json(cs.to_json(case, indent=2)) == case


def test_the_redacted_document_round_trips_and_still_verifies():
    case = case_in("repatriated")
    text = cs.to_json(case, redacted=True)
    with pytest.raises(cs.BrokenTrail, match="actor, reason and evidence are missing"):
        cs.from_json(text)
    again = cs.from_json(text, head=case.head, allow_redacted=True)
    assert (again.status, again.fate, again.version) == (case.status, case.fate, case.version)
    assert all(entry.redacted for entry in again.trail)
    assert "private" not in text


def document(**changes):
    data = cs.to_dict(case_in("captured"))
    data.update(changes)
    return data


def entry_with(**changes):
    data = cs.to_dict(case_in("captured"))
    data["entries"][1].update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "document: expected an object, got list"),
        (document(format="other"), "format: expected 'casestate.case', got 'other'"),
        (document(version=2), "version: this casestate reads version 1, not 2"),
        (document(version="1"), "version: expected int, got str"),
        (document(entries=[]), "entries: a case has at least its opening entry"),
        (document(case_id="other"), "case_id: 'other', but the entries are of 'case-1'"),
        (
            {**cs.to_dict(opened()), "case_id": "other"},  # a case of its opening entry only
            "case_id: 'other', but the entries are of 'case-1'",
        ),
        (document(extra=1), "document: unknown fields extra"),
        (document(zeta=1, extra=2), "document: unknown fields extra, zeta"),
        (entry_with(kind=None), "entries[1].kind: expected str, got null"),
        (entry_with(fate=None), "entries[1].fate: expected str, got null"),
        (entry_with(seq="1"), "entries[1].seq: expected int, got str"),
        (entry_with(seq=True), "entries[1].seq: expected int, got bool"),
        (entry_with(kind="rumour"), "entries[1].kind: unknown value 'rumour'"),
        (
            entry_with(recorded_at="2024-03-01T06:30:00Z"),
            "entries[1].recorded_at: not a canonical UTC instant",
        ),
        (entry_with(recorded_at="2024-02-30T06:30:00.000000Z"), "entries[1].recorded_at: impossible instant"),
        (
            entry_with(evidence_kinds=["Rumour"]),
            "entries[1].evidence_kinds[0]: unknown evidence kind 'Rumour'",
        ),
        (entry_with(evidence_kinds=[7]), "entries[1].evidence_kinds[0]: unknown evidence kind 7"),
        (entry_with(evidence_tiers=3), "entries[1].evidence_tiers: expected list, got int"),
        (entry_with(evidence_tiers=["3"]), "entries[1].evidence_tiers[0]: expected int, got str"),
        (entry_with(resolves=["3"]), "entries[1].resolves[0]: expected int, got str"),
        (entry_with(private={"actor_id": "x"}), "entries[1].private.evidence: missing"),
        (entry_with(hash=None), "entries[1].hash: expected str, got null"),
    ],
)
def test_malformed_documents_name_the_place(data, message):
    with pytest.raises(cs.FormatError) as refused:
        cs.from_dict(data)
    assert str(refused.value).startswith(message)


def test_malformed_private_parts_name_the_place():
    data = cs.to_dict(case_in("captured"))
    data["entries"][1]["private"]["evidence"][0]["kind"] = "Rumour"
    with pytest.raises(
        cs.FormatError, match=r"entries\[1\]\.private\.evidence\[0\]\.kind: unknown evidence kind"
    ):
        cs.from_dict(data)
    data = cs.to_dict(case_in("captured"))
    data["entries"][1]["private"]["evidence"][0]["reference"] = " "
    with pytest.raises(cs.FormatError, match=r"entries\[1\]\.private\.evidence\[0\]: reference must be"):
        cs.from_dict(data)
    data = cs.to_dict(case_in("captured"))
    data["entries"][1]["private"]["salt"] = "zz"
    with pytest.raises(cs.FormatError, match=r"entries\[1\]\.private\.salt: not hexadecimal"):
        cs.from_dict(data)


@pytest.mark.parametrize("text", ["", "{", b"\xff\xfe", "[1, 2"])
def test_text_that_is_not_json_is_a_format_error(text):
    with pytest.raises(cs.FormatError, match="not JSON"):
        cs.from_json(text)


def test_a_document_whose_entries_were_edited_fails_verification_not_parsing():
    data = cs.to_dict(case_in("captured"))
    data["entries"][1]["to_status"] = "dead"
    with pytest.raises(cs.BrokenTrail) as broken:
        cs.from_json(json.dumps(data))
    assert broken.value.integrity.position == 1


def test_one_entry_read_alone_names_its_fields_as_the_entry_s():
    data = cs.entry_to_dict(opened().trail[0])
    assert cs.entry_from_dict(data) == opened().trail[0]
    del data["recorded_at"]
    with pytest.raises(cs.FormatError) as refused:
        cs.entry_from_dict(data)
    assert str(refused.value) == "entry.recorded_at: missing"
