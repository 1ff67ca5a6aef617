"""Entries as store rows and back: the fast row codec agrees with the JSON format, byte for byte."""

import json

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate._json import entry_to_dict
from casestate.store import _rows
from casestate.store._rows import entry_row, row_entry
from casestate.store._schema import ENTRY_FIELDS, JSON_FIELDS
from support import PATH_TO, WORKFLOW, case_in, change

KEY = b"a secret key of 32 bytes, really"


def varied_trail(key=None):
    """Every kind of entry: an opening, transitions, a conflict with codes, a dismissal
    resolving it, a retraction resuming an earlier status, several pieces of evidence,
    a reason in Cyrillic with quotes, and none at all."""
    case = case_in("captured", key=key)
    steps = [
        change("report_dead", "unit", "unit_notification", "medical_record", on=11, reason='"вбит" — звіт'),
        change("retract", "ministry", on=12, reason="the notification was withdrawn"),
        change("report_dead", "unit", "unit_notification", on=13),
        change("confirm", "forensic_lab", "dna_match", on=14),
        change("report_captured", "family", "video", on=15),
        change("dismiss", "ngo", on=16, reason="the video was older", resolves=(6,)),
    ]
    for step in steps:
        case = WORKFLOW.apply(case, step, key=key)
    return case.trail


def as_json_form(entry):
    """The row the store wrote when it went through ``entry_to_dict`` and ``json.dumps``.

    A field the JSON form leaves out when it has no value (``workflow``) is a null column.
    """
    data = entry_to_dict(entry)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return tuple(
        dumps(data[name]) if name in JSON_FIELDS and name in data else data.get(name) for name in ENTRY_FIELDS
    )


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "keyed"])
def test_rows_are_the_json_form_and_read_back_to_the_same_entries(key):
    trail = varied_trail(key)
    assert {entry.kind for entry in trail} >= {"opened", "transition", "conflict", "dismissal"}
    special = [entry.seq for entry in trail if entry.codes or entry.resolves or entry.reverts_to is not None]
    assert special == [3, 6, 7]
    for entry in trail:
        row = entry_row(entry)
        assert row == as_json_form(entry)
        assert _rows._fast_entry(row) == entry
        assert row_entry(row, entry.case_id, len(trail)) == entry


def test_a_redacted_entry_is_not_made_a_row():
    entry = cs.redact(case_in("captured").trail)[1]
    with pytest.raises(ValueError, match="entry 1 is redacted; the store keeps every entry whole"):
        entry_row(entry)


def replaced(row, **values):
    return tuple(values.get(name, value) for name, value in zip(ENTRY_FIELDS, row, strict=True))


ENTRY = case_in("confirmed").trail[2]
ROW = entry_row(ENTRY)

# Rows written otherwise than the store writes them, that mean the same entry.
READ_ALL_THE_SAME = {
    "spaces in a list": {"evidence_kinds": '[ "dna_match" ]'},
    "spaces in the personal part": {"private": " " + ROW[-1].replace(",", ", ") + " "},
    "personal fields in another order": {
        "private": json.dumps(dict(reversed(json.loads(ROW[-1]).items())), ensure_ascii=False)
    },
    # Left to the strict reader, which takes a missing reason for none.
    "no reason at all": {"private": ROW[-1].replace('"reason":null,', "")},
}


@pytest.mark.parametrize("how", READ_ALL_THE_SAME)
def test_a_row_written_otherwise_but_meaning_the_same_is_read_the_same(how):
    row = replaced(ROW, **READ_ALL_THE_SAME[how])
    assert row != ROW
    assert row_entry(row, "case-1", 3) == ENTRY


def test_the_fast_path_leaves_what_it_does_not_read_to_the_strict_reader():
    row = replaced(ROW, **READ_ALL_THE_SAME["no reason at all"])
    with pytest.raises(_rows._NOT_AS_WRITTEN):
        _rows._fast_entry(row)


# Rows no reader accepts, and what the error says about each.
UNREADABLE = {
    "an unknown kind": ({"kind": "rumour"}, "row.kind: unknown value 'rumour'"),
    "a number for a text": ({"role": 7}, "row.role: expected str, got int"),
    "bytes for a text": ({"trigger": b"confirm"}, "row.trigger: expected str, got bytes"),
    "a text for the sequence number": ({"seq": "2"}, "row.seq: expected int, got str"),
    "an instant without microseconds": (
        {"effective_at": "2024-03-11T06:30:00Z"},
        "row.effective_at: not a canonical UTC instant",
    ),
    "an instant with an offset": (
        {"recorded_at": "2024-03-11T06:30:00.000000+00:00"},
        "row.recorded_at: not a canonical UTC instant",
    ),
    "an instant with a space": (
        {"recorded_at": "2024-03-11 06:30:00.000000Z"},
        "row.recorded_at: not a canonical UTC instant",
    ),
    "an impossible day": ({"effective_at": "2024-02-30T06:30:00.000000Z"}, "impossible instant"),
    "hour 24": ({"effective_at": "2024-03-11T24:00:00.000000Z"}, "impossible instant"),
    "a list that is not JSON": ({"codes": "[oops"}, "Expecting value"),
    "an object for a list": ({"resolves": "{}"}, "row.resolves: expected list, got dict"),
    "true for a resolved entry": ({"resolves": "[true]"}, r"row.resolves\[0\]: expected int, got bool"),
    "an unknown evidence kind": (
        {"evidence_kinds": '["Rumour"]'},
        r"row.evidence_kinds\[0\]: unknown evidence kind 'Rumour'",
    ),
    "an unknown personal field": (
        {"private": ROW[-1][:-1] + ',"phone":"+380"}'},
        "row.private: unknown fields phone",
    ),
    "salt that is not hexadecimal": (
        {"private": json.dumps({**json.loads(ROW[-1]), "salt": "zz"})},
        "row.private.salt: not hexadecimal",
    ),
    "an empty evidence reference": (
        {"private": ROW[-1].replace('"reference":"ref/dna_match/20"', '"reference":" "')},
        r"row\.private\.evidence\[0\]: reference must be a non-empty string",
    ),
    "a number for an evidence source": (
        {"private": ROW[-1].replace('"source":"source of dna_match"', '"source":7')},
        r"row\.private\.evidence\[0\]\.source: expected str, got int",
    ),
    "a NUL in an evidence source": (
        {"private": ROW[-1].replace('"source":"source of dna_match"', '"source":"lab\\u0000"')},
        r"row\.private\.evidence\[0\]\.source: not storable text: a NUL character",
    ),
    "a NUL in the role": ({"role": "forensic_lab\x00"}, "row.role: not storable text: a NUL character"),
    "a lone surrogate in the actor id": (
        {"private": ROW[-1].replace('"actor_id":"forensic_lab-1"', '"actor_id":"lab\\ud800"')},
        r"row\.private\.actor_id: not valid Unicode: a lone surrogate",
    ),
    "a NUL in the hash": ({"hash": ROW[18] + "\x00"}, "row.hash: not storable text: a NUL character"),
    "the personal part stripped": ({"private": "null"}, "its actor, reason and evidence were removed"),
}


@pytest.mark.parametrize("how", UNREADABLE)
def test_an_unreadable_row_is_named_by_case_entry_and_field(how):
    values, message = UNREADABLE[how]
    with pytest.raises(
        cs.BrokenTrail, match=rf"case 'case-1': entry \S+: was altered: .*{message}"
    ) as raised:
        row_entry(replaced(ROW, **values), "case-1", 3)
    assert raised.value.integrity.case_id == "case-1"


def test_the_lists_read_once_are_shared_and_never_changed():
    first = row_entry(ROW, "case-1", 3)
    again = row_entry(ROW, "case-1", 3)
    assert first.evidence_kinds is again.evidence_kinds
    assert isinstance(first.evidence_kinds, tuple)
    assert first == again == ENTRY


def test_path_to_confirmed_is_what_the_rows_above_are_made_of():
    # The rows above replace fields of a known entry: make sure it is the one meant.
    assert ENTRY.trigger == PATH_TO["confirmed"][1].trigger
    assert ENTRY.evidence_kinds == (cs.EvidenceKind.DNA_MATCH,)


# The personal part as the store writes it, and texts near it: a value that is
# odd (quotes, escapes, control characters, NULs, lone surrogates, blanks, bad
# salts), or a character or two changed, in about half of them.
GOOD_PERSONAL = {
    "text": ["family-1", "a channel", "ref/7", "Іван", "é", "\x7f"],
    "kind": ["video", "dna_match"],
    "instant": ["2024-03-11T06:30:00.000000Z", "0812-09-07T05:04:03.000021Z"],
    "salt": ["00ff" * 8, ""],
}
ODD_PERSONAL = {
    "text": ["", " ", 'a "quoted" one', "back\\slash", "tab\there", "a\x00b", "a\ud800"],
    "kind": ["Rumour", "VIDEO", "", 'vi"deo', "rumour"],
    "instant": [
        "2024-02-30T06:30:00.000000Z",
        "2024-03-11T06:30:00Z",
        "\u0661\u0669\u0669\u0669-03-11T06:30:00.000000Z",
    ],
    "salt": ["abc", "ABCD", "zz", "0 1"],
}


@st.composite
def personal_parts(draw):
    """A personal part written as the store writes one, from good values and maybe one odd one."""
    shape = ["text", "text"] + ["kind", "text", "text", "instant"] * draw(st.integers(0, 2)) + ["salt"]
    values = [draw(st.sampled_from(GOOD_PERSONAL[what])) for what in shape]
    if draw(st.booleans()):
        spoiled = draw(st.integers(0, len(shape) - 1))
        values[spoiled] = draw(st.sampled_from(ODD_PERSONAL[shape[spoiled]]))
    actor_id, reason, *items, salt = values
    if draw(st.booleans()):
        reason = None
    evidence = [tuple(items[at : at + 4]) for at in range(0, len(items), 4)]
    text = _rows._private_text(actor_id, reason, evidence, salt)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        at = draw(st.integers(0, len(text)))
        nudge = draw(st.sampled_from(['"', "\\", " ", ",", "}", "\x00", "\t", "\x1f", "x", ""]))
        text = text[:at] + nudge + text[at + 1 :]
    return text


def _read(reader, text):
    try:
        return reader(text)
    except _rows._NOT_AS_WRITTEN:
        return "left to the strict reader"


@settings(max_examples=2000)
@given(personal_parts())
def test_the_plain_personal_part_is_read_as_its_json_is(text):
    # The pattern answers for most rows; whatever it answers, the JSON reading answers the same.
    event("read by the pattern" if _rows._PLAIN_PERSONAL(text) else "left to the JSON reading")
    assert _read(_rows._personal, text) == _read(_rows._personal_from_json, text)


def test_the_rows_this_store_writes_are_read_by_the_pattern():
    # Else the pattern would be a cost, not a saving: it answers for rows with one piece
    # of evidence or none, and no text that needs an escape.
    plain = [
        entry for entry in varied_trail() if len(entry.evidence) <= 1 and '"' not in (entry.reason or "")
    ]
    assert len(plain) >= 5
    for entry in plain:
        assert _rows._PLAIN_PERSONAL(entry_row(entry)[-1]) is not None, entry.seq
    quoted = next(entry for entry in varied_trail() if '"' in (entry.reason or ""))
    assert _rows._PLAIN_PERSONAL(entry_row(quoted)[-1]) is None
