"""Lists of two or more in the hashed bytes: their order is sealed, and reordering them is tampering.

The evidence an entry names (its kinds in public, the pieces in full behind
the commitment), the codes of a conflict and the conflicts a change
resolves are lists. The hash covers them in their order, so a trail whose
list was reordered no longer verifies, and the pinned bytes below hold each
list with two items, as other implementations must write them.
"""

import hashlib
from pathlib import Path

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate._chain import canonical_private
from casestate._entry import Entry, Form
from casestate.testing import TEST_KEY, canonical_bytes, cases
from marked_cases import WORKFLOWS
from support import WORKFLOW, case_in, change

TRAILS = Path(__file__).parents[1] / "data" / "trails"

LISTS = tuple(
    field.name
    for field in Entry.__attrs_attrs__
    if field.metadata["form"] in {Form.NAMES, Form.KINDS, Form.INTS, Form.OPTIONAL_INTS, Form.RECORDS}
)


def test_the_lists_are_the_evidence_its_kinds_the_codes_and_the_conflicts_resolved():
    assert set(LISTS) == {
        "codes",
        "contests",
        "evidence",
        "evidence_kinds",
        "evidence_tiers",
        "reconciles",
        "resolves",
    }


TWO_OF_EACH = TRAILS / "two-of-each-list-before-late-periods-between-left-ones.json"
"""A confirmed death, reported otherwise twice on two pieces of evidence each, and both dismissed.

As casestate wrote it before a late report between two periods the case had
left told a period of its own: a capture of 25 February and a wound of
26 February, learned after the death of 1 March was confirmed, were kept as
conflicts then; now they tell the story of those days. The trail keeps
verifying, with its bytes.
"""


def _two_of_each():
    return cs.from_json(TWO_OF_EACH.read_text(encoding="utf-8"), head=PINNED_HEAD)


def test_the_pinned_case_was_written_by_the_rules_of_its_time_and_reads_back_as_written():
    case = _two_of_each()
    assert [entry.kind for entry in case.trail[3:]] == [cs.EntryKind.CONFLICT] * 2 + [cs.EntryKind.DISMISSAL]
    assert cs.to_json(case, indent=2) + "\n" == TWO_OF_EACH.read_text(encoding="utf-8")
    # Told today, the capture tells its period between the missing one and the death.
    told = WORKFLOW.apply(
        case_in("confirmed"), change("report_captured", "family", "video", "photo", on=5, recorded=30)
    )
    assert told.trail[-1].kind is cs.EntryKind.EARLIER_PERIOD


PINNED_CONFLICT = (
    b'{"assurance":"identified","case_id":"case-1","chain":"sha256",'
    b'"codes":["illegal_transition","earlier_than_current"],'
    b'"commitment":"ac8f4d9ebda17ae924fa8baaa615702a931640431215242891046d0710d8add7",'
    b'"effective_at":"2024-02-25T06:30:00.000000Z","evidence_kinds":["video","photo"],"fate":"dead",'
    b'"from_status":"confirmed","kind":"conflict",'
    b'"prev_hash":"e06b7e9eb8628a36fa8674cb99c71b854473efee6eded375572ca903ee569ee0",'
    b'"recorded_at":"2024-03-21T06:30:00.000000Z","resolves":[],"reverts_to":null,"role":"family","seq":3,'
    b'"to_status":"confirmed","trigger":"report_captured","whereabouts":"unknown"}'
)
PINNED_CONFLICT_PRIVATE = (
    b'{"actor_id":"family-1","evidence":['
    b'{"kind":"video","obtained_at":"2024-02-25T06:30:00.000000Z","reference":"ref/video/5",'
    b'"source":"source of video"},'
    b'{"kind":"photo","obtained_at":"2024-02-25T06:30:00.000000Z","reference":"ref/photo/5",'
    b'"source":"source of photo"}],"reason":null}'
)
PINNED_DISMISSAL = (
    b'{"assurance":"identified","case_id":"case-1","chain":"sha256","codes":[],'
    b'"commitment":"ec3667dffc811a6ff9cc1c14e55b67a4d0d90221ccbd66dc28668bc1116bd187",'
    b'"effective_at":"2024-03-23T06:30:00.000000Z","evidence_kinds":[],"fate":"dead",'
    b'"from_status":"confirmed","kind":"dismissal",'
    b'"prev_hash":"ed8100d51b1df7c75d68001e38c3865caa84bf43ae8a4177ce52ba59814fb70b",'
    b'"recorded_at":"2024-03-23T06:30:00.000000Z","resolves":[3,4],"reverts_to":null,"role":"icrc","seq":5,'
    b'"to_status":"confirmed","trigger":"dismiss","whereabouts":"unknown"}'
)
# The links (prev_hash, the head) follow the opening entry, which records the default
# workflow's identity: a change to its rules changes them, and says so in the CHANGELOG.
PINNED_HEAD = "25e61bab3aa7d0cdc364f22785e579781dafa34708d51b561fa6489db3a1a6d6"


def test_pinned_vectors_of_entries_with_two_items_in_each_list():
    # If this fails, stored trails stop verifying: change the format only with a new format version.
    case = _two_of_each()
    conflict, dismissal = case.trail[3], case.trail[5]
    assert canonical_bytes(conflict) == PINNED_CONFLICT
    assert canonical_private(conflict.actor_id, conflict.reason, conflict.evidence) == PINNED_CONFLICT_PRIVATE
    salted = b"casestate/private/1\n" + conflict.salt + PINNED_CONFLICT_PRIVATE
    assert conflict.commitment == hashlib.sha256(salted).hexdigest()
    assert conflict.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_CONFLICT).hexdigest()
    assert canonical_bytes(dismissal) == PINNED_DISMISSAL
    assert case.head == PINNED_HEAD
    assert cs.from_json(cs.to_json(case), head=PINNED_HEAD) == case


def _reorderings(items):
    """Each other order of *items*: every one reversed, and every one rotated."""
    if items is None:  # an optional list left out
        return set()
    orders = {tuple(reversed(items)), *(items[shift:] + items[:shift] for shift in range(1, len(items)))}
    return orders - {items}


def _reordered_trails(trail):
    for position, entry in enumerate(trail):
        for name in LISTS:
            for order in _reorderings(getattr(entry, name)):
                altered = attrs.evolve(entry, **{name: order})
                yield position, name, (*trail[:position], altered, *trail[position + 1 :])


def test_each_list_of_the_pinned_case_reordered_is_tampering():
    case = _two_of_each()
    # The tiers of declared kinds are reordered in tests/core/test_declared_evidence_kinds.py, the
    # corroborations a move contests in tests/core/test_contested_corroborations.py, the conflicts
    # a move reconciles in tests/core/test_reconciled_conflicts.py.
    assert {name for _, name, _ in _reordered_trails(case.trail)} == set(LISTS) - {
        "evidence_tiers",
        "contests",
        "reconciles",
    }
    for position, name, tampered in _reordered_trails(case.trail):
        integrity = cs.verify(tampered, head=case.head)
        assert not integrity.ok, (position, name)
        assert integrity.position == position, name


@given(st.data())
@settings(max_examples=40)
def test_any_list_of_two_or_more_reordered_is_tampering_redacted_or_not(data):
    key = data.draw(st.sampled_from([None, TEST_KEY]))
    case = data.draw(cases(data.draw(WORKFLOWS), key=key, max_changes=10))
    for redacted, trail in ((False, case.trail), (True, cs.redact(case.trail))):
        for position, name, tampered in _reordered_trails(trail):
            event(name)
            what = f"entry {position}: {name}"
            assert not cs.verify(tampered, key=key, head=case.head, allow_redacted=redacted).ok, what
            assert not cs.verify(tampered, key=key, allow_redacted=redacted).ok, what
