"""Source ids: a change sent again is stored once, a different change under a taken id is refused."""

import hashlib

import attrs
import pytest

import casestate as cs
from casestate._chain import seal
from casestate.testing import canonical_bytes
from support import WORKFLOW, actor, change, day, opened

SENT = "hotline-kyiv/2024-0412"


def sent(trigger="report_captured", by="family", *kinds, on=10, source_id=SENT, **more):
    """A change with a source id (video evidence unless *kinds* say otherwise)."""
    made = change(trigger, by, *(kinds or ("video",)), on=on, **more)
    return attrs.evolve(made, source_id=source_id)


def with_sent():
    return WORKFLOW.apply(opened(), sent())


# -- the case ------------------------------------------------------------------


def test_an_entry_records_the_source_id_and_the_case_knows_which_entry_took_it():
    case = with_sent()
    assert case.trail[-1].source_id == SENT
    assert dict(case.source_ids) == {SENT: 1}
    assert case.trail[0].source_id is None


def test_a_change_sent_again_is_already_stored_and_applying_it_appends_nothing():
    case = with_sent()
    verdict = WORKFLOW.check(case, sent())
    assert verdict.outcome is cs.Outcome.ALREADY_STORED
    assert verdict.ok
    assert verdict.reasons == ()
    assert (verdict.target, verdict.fate, verdict.whereabouts) == (case.status, case.fate, case.whereabouts)
    assert WORKFLOW.apply(case, sent()) is case


def test_when_a_change_was_recorded_or_its_salt_does_not_make_it_another():
    case = WORKFLOW.apply(with_sent(), change("report_dead", "unit", "unit_notification", on=12))
    again = attrs.evolve(sent(), recorded_at=day(30), salt=bytes(range(16)))
    # Sent again after the case moved on: not refused for time or legality, it is there already.
    assert WORKFLOW.check(case, again).outcome is cs.Outcome.ALREADY_STORED
    assert WORKFLOW.apply(case, again) is case


@pytest.mark.parametrize(
    "differs",
    [
        {"trigger": "report_wounded"},
        {"actor": cs.Actor("family-2", "family")},
        {"actor": cs.Actor("family-1", "ngo")},
        {"effective_at": day(11)},
        {"reason": "seen on a second video"},
        {"evidence": [cs.Evidence("video", "another reference", "source of video", day(10))]},
        {"evidence": []},
    ],
    ids=["trigger", "actor id", "role", "effective time", "reason", "evidence", "no evidence"],
)
def test_a_different_change_under_a_taken_id_is_refused_as_reused(differs):
    case = with_sent()
    other = attrs.evolve(sent(), **differs)
    verdict = WORKFLOW.check(case, other)
    assert verdict.outcome is cs.Outcome.REJECTED
    assert verdict.codes[0] is cs.Code.SOURCE_ID_REUSED
    assert "taken by entry 1" in verdict.reasons[0].message
    with pytest.raises(cs.Rejected) as refused:
        WORKFLOW.apply(case, other)
    assert refused.value.codes == verdict.codes


def test_a_reused_id_is_refused_with_every_other_reason_that_refuses_the_change():
    case = with_sent()
    other = attrs.evolve(sent(), trigger="confirm", recorded_at=day(5), effective_at=day(5))
    assert WORKFLOW.check(case, other).codes == (
        cs.Code.SOURCE_ID_REUSED,
        *WORKFLOW.check(case, attrs.evolve(other, source_id="another/1")).codes,
    )
    assert len(WORKFLOW.check(case, other).codes) > 1


def test_a_free_id_is_decided_as_any_change_and_then_taken():
    case = with_sent()
    other = sent("report_dead", "unit", "unit_notification", on=12, source_id="unit-41/118")
    assert WORKFLOW.check(case, other) == WORKFLOW.check(case, attrs.evolve(other, source_id=None))
    assert dict(WORKFLOW.apply(case, other).source_ids) == {SENT: 1, "unit-41/118": 2}


def test_without_a_source_id_the_same_change_sent_again_is_stored_again():
    # What the feeds how-to documents: with no id, a resend cannot be told from a second report.
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    again = WORKFLOW.apply(case, change("report_captured", "family", "video", on=10))
    assert again.version == case.version + 1
    assert again.trail[-1].kind is cs.EntryKind.CORROBORATION


def test_an_opening_records_its_source_id():
    case = WORKFLOW.open(
        "case-1", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1), source_id=SENT
    )
    assert case.trail[0].source_id == SENT
    assert dict(case.source_ids) == {SENT: 0}
    assert cs.from_json(cs.to_json(case)) == case


def test_a_standing_knows_no_source_ids():
    case = with_sent()
    # A Batch keeps the ids itself: the standing alone decides the change as a new one.
    assert WORKFLOW.check(case.standing, sent()) == WORKFLOW.check(case, attrs.evolve(sent(), source_id=None))


def test_a_case_rebuilt_by_hand_reads_its_source_ids_from_its_trail():
    case = with_sent()
    rebuilt = attrs.evolve(case, status=case.status)
    assert dict(rebuilt.source_ids) == {SENT: 1}
    assert WORKFLOW.apply(rebuilt, sent()) is rebuilt


@pytest.mark.parametrize(
    ("source_id", "problem"),
    [
        ("", "must be a non-empty string"),
        ("  ", "must be a non-empty string"),
        (" hotline/1", "whitespace at its start or end"),
        ("hotline\u200b/1", "shows nothing"),
        ("x" * 201, "at most 200"),
        (7, "must be a non-empty string"),
        ("hotline\ud800", "not valid Unicode"),
    ],
)
def test_a_source_id_that_would_look_like_another_or_cannot_be_stored_is_refused(source_id, problem):
    with pytest.raises(ValueError, match=problem):
        attrs.evolve(sent(), source_id=source_id)


# -- the trail -----------------------------------------------------------------

PINNED_WITH_SOURCE_ID = (
    b'{"assurance":"reported","case_id":"case-1","chain":"sha256","codes":[],'
    b'"commitment":"a58f8a40aaee425f84089b478d3b6e7063b50914766703a738d22f65655e12ed",'
    b'"effective_at":"2024-03-01T06:30:00.000000Z","evidence_kinds":["video"],'
    b'"fate":"alive","from_status":"missing","kind":"transition",'
    b'"prev_hash":"847c301fdf15a46e07d346d4e81b96fe3d7b5c39531c5c05a282f25f4bc2898f",'
    b'"recorded_at":"2024-03-01T06:30:00.000000Z","resolves":[],"reverts_to":null,"role":"family",'
    b'"seq":1,"source_id":"hotline-kyiv/2024-0412","to_status":"captured","trigger":"report_captured",'
    b'"whereabouts":"held"}'
)
PINNED_WITH_SOURCE_ID_HASH = "415f78eb04413f1d138dba59af2be486a0fc1dee645a9eadad731be9a03e0ba3"


def test_pinned_vector_of_an_entry_with_a_source_id():
    # An entry of a change sent with a source id: the id is covered by the hash,
    # between seq and to_status, as the sorted keys place it.
    # The commitment is that of the same change without one (the trail of the first pinned
    # vector): the id is public, not committed to. prev_hash is the pinned opening's of
    # test_chain: a change to the default workflow's rules changes it, and this vector with it.
    entry = with_sent().trail[1]
    assert canonical_bytes(entry) == PINNED_WITH_SOURCE_ID
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_WITH_SOURCE_ID).hexdigest()
    assert entry.hash == PINNED_WITH_SOURCE_ID_HASH


def test_an_entry_without_a_source_id_has_no_such_key_in_its_bytes_or_json():
    entry = WORKFLOW.apply(opened(), attrs.evolve(sent(), source_id=None)).trail[1]
    assert b"source_id" not in canonical_bytes(entry)
    assert "source_id" not in cs.entry_to_dict(entry)
    assert cs.entry_to_dict(with_sent().trail[1])["source_id"] == SENT


def test_a_source_id_is_kept_in_a_redacted_export_and_still_verifies():
    case = with_sent()
    redacted = cs.from_json(cs.to_json(case, redacted=True), allow_redacted=True)
    assert dict(redacted.source_ids) == {SENT: 1}


def test_replay_refuses_a_trail_whose_entries_take_one_source_id_twice():
    case = with_sent()
    last = case.trail[-1]
    twice = seal(
        2,
        case.id,
        cs.EntryKind.CORROBORATION,
        "report_captured",
        "captured",
        "captured",
        last.fate,
        last.assurance,
        "family",
        "family-2",
        None,
        (),
        day(11),
        day(11),
        (),
        (),
        None,
        last.hash,
        bytes(16),
        None,
        None,
        last.whereabouts,
        None,
        SENT,
    )
    with pytest.raises(cs.BrokenTrail, match="takes source id 'hotline-kyiv/2024-0412', which entry 1 took"):
        cs.replay([*case.trail, twice])


# -- an entry whose personal data is gone ----------------------------------------


def erased(case):
    """*case* as a store holds it once the personal data of its last entry was erased."""
    trail = (*case.trail[:-1], case.trail[-1].without_private())
    return cs.replay(trail, allow_redacted=True)


def test_an_entry_whose_personal_data_is_gone_is_compared_on_what_it_keeps():
    case = erased(with_sent())
    # Another actor or reason cannot be told apart any more: sending it again brings nothing back.
    same_public = attrs.evolve(sent(), actor=cs.Actor("someone-else", "family"), reason="other words")
    assert WORKFLOW.check(case, same_public).outcome is cs.Outcome.ALREADY_STORED
    assert WORKFLOW.check(case, attrs.evolve(sent(), trigger="report_wounded")).codes[0] is (
        cs.Code.SOURCE_ID_REUSED
    )
    assert WORKFLOW.check(case, attrs.evolve(sent(), evidence=[])).codes[0] is cs.Code.SOURCE_ID_REUSED


# -- a batch -------------------------------------------------------------------


def opening():
    return cs.Change(
        trigger=cs.OPEN,
        actor=actor("ngo"),
        effective_at=day(0),
        recorded_at=day(1),
        source_id="hotline/open-1",
    )


def test_a_batch_sees_the_ids_taken_earlier_in_its_stream():
    batch = cs.Batch(WORKFLOW)
    assert batch.check("case-1", opening()).ok
    assert batch.check("case-1", sent()).outcome is cs.Outcome.TRANSITION
    assert batch.check("case-1", sent()).outcome is cs.Outcome.ALREADY_STORED
    assert batch.check("case-1", opening()).outcome is cs.Outcome.ALREADY_STORED
    reused = batch.check("case-1", attrs.evolve(sent(), reason="another report"))
    assert reused.codes[0] is cs.Code.SOURCE_ID_REUSED
    # The id of another case is no business of this one.
    assert batch.check("case-2", opening()).ok
    assert batch.check("case-2", sent()).outcome is cs.Outcome.TRANSITION


def test_a_batch_sees_the_ids_of_the_cases_it_loads():
    stored = WORKFLOW.apply(
        WORKFLOW.open(
            "case-1", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1), source_id="hotline/open-1"
        ),
        sent(),
    )
    batch = cs.Batch(WORKFLOW, load={"case-1": stored}.get)
    assert batch.check("case-1", opening()).outcome is cs.Outcome.ALREADY_STORED
    assert batch.check("case-1", sent()).outcome is cs.Outcome.ALREADY_STORED
    assert batch.status("case-1") == (stored.status, stored.fate, stored.assurance)


def test_a_batch_opening_under_an_id_taken_by_another_change_is_refused_for_both():
    batch = cs.Batch(WORKFLOW)
    batch.check("case-1", opening())
    other = attrs.evolve(opening(), reason="a second call")
    assert batch.check("case-1", other).codes == (cs.Code.SOURCE_ID_REUSED, cs.Code.CASE_EXISTS)
    assert batch.check("case-1", attrs.evolve(opening(), source_id=None)).codes == (cs.Code.CASE_EXISTS,)


def test_a_batch_agrees_with_check_on_changes_sent_again():
    case = with_sent()
    batch = cs.Batch(WORKFLOW, load={"case-1": case}.get)
    for candidate in (sent(), attrs.evolve(sent(), reason="x"), attrs.evolve(sent(), recorded_at=day(40))):
        assert batch.check("case-1", candidate) == WORKFLOW.check(case, candidate)


# -- records -------------------------------------------------------------------


def test_a_record_carries_the_source_id_both_ways_in_json_and_csv():
    record = cs.change_to_record("case-1", sent())
    assert record["source_id"] == SENT
    assert cs.change_from_record(record)[1].source_id == SENT
    row = cs.record_to_csv_row(record)
    assert row["source_id"] == SENT
    assert cs.change_from_csv_row(row)[1].source_id == SENT
    assert "source_id" not in cs.change_to_record("case-1", attrs.evolve(sent(), source_id=None))
    assert cs.change_from_csv_row({**row, "source_id": ""})[1].source_id is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (7, "source_id: expected text, got int"),
        ("", "source_id: must not be empty"),
        ("hotline/1 ", "source_id: has whitespace at its start or end"),
        ("x" * 201, "source_id: 201 characters long; at most 200 are stored"),
    ],
)
def test_a_record_with_a_bad_source_id_is_refused_naming_the_field(value, problem):
    record = {**cs.change_to_record("case-1", sent()), "source_id": value}
    with pytest.raises(cs.RecordError) as refused:
        cs.change_from_record(record)
    assert str(refused.value) == problem
