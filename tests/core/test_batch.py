"""A batch check decides exactly what check and apply decide, case by case, without trails."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from support import PATH_TO, WORKFLOW, actor, change, day, opened

TRIGGERS = [*WORKFLOW.triggers, "promote"]
KINDS = [
    "video",
    "unit_notification",
    "capture_card",
    "death_certificate",
    "dna_match",
    "exchange_list",
    "handover_record",
    "court_decision",
    "grave_list",
]
ROLES = ["family", "unit", "ngo", "ministry", "icrc", "forensic_lab", "court"]


@st.composite
def changes(draw):
    steps = []
    for _ in range(draw(st.integers(1, 12))):
        on = draw(st.integers(0, 400))
        steps.append(
            change(
                draw(st.sampled_from(TRIGGERS)),
                actor(draw(st.sampled_from(ROLES)), draw(st.integers(1, 2))),
                *draw(st.lists(st.sampled_from(KINDS), max_size=2)),
                on=on,
                recorded=on + draw(st.integers(0, 30)),
                reason=draw(st.sampled_from([None, "checked"])),
                resolves=tuple(draw(st.sets(st.integers(1, 8), max_size=1))),
            )
        )
    return steps


@given(changes())
def test_a_batch_agrees_with_check_and_apply(steps):
    case = opened()
    batch = cs.Batch(WORKFLOW, load=lambda case_id: case if case_id == "case-1" else None)
    for step in steps:
        verdict = batch.check("case-1", step)
        assert verdict == WORKFLOW.check(case, step)
        if verdict.ok:
            case = WORKFLOW.apply(case, step)
        assert batch.standing("case-1") == case.standing


def test_a_batch_opens_cases_and_refuses_changes_to_unknown_ones():
    batch = cs.Batch(WORKFLOW)
    opening = change(cs.OPEN, "ngo", on=0, recorded=1)
    assert batch.check("a", opening).ok
    assert batch.check("a", opening).codes == (cs.Code.CASE_EXISTS,)
    assert batch.check("b", change("report_dead", "unit", "video", on=3)).codes == (cs.Code.UNKNOWN_CASE,)
    assert batch.check("c", change(cs.OPEN, "journalist", on=2, recorded=1)).codes == (
        cs.Code.UNKNOWN_ROLE,
        cs.Code.EFFECTIVE_AFTER_RECORDED,
    )
    assert batch.knows("a")
    assert not batch.knows("b")
    assert len(batch) == 1
    for step in PATH_TO["confirmed"]:
        assert batch.check("a", step).ok
    assert batch.status("a") == ("confirmed", cs.Fate.DEAD, cs.Assurance.IDENTIFIED)
    assert batch.status("b") is None


def test_an_opening_is_told_as_a_transition_into_the_initial_status_or_as_refused():
    batch = cs.Batch(WORKFLOW)
    accepted = batch.check("a", change(cs.OPEN, "ngo", on=0, recorded=1))
    assert (accepted.outcome, accepted.target, accepted.fate, accepted.whereabouts) == (
        cs.Outcome.TRANSITION,
        "missing",
        cs.Fate.UNKNOWN,
        cs.Whereabouts.UNKNOWN,
    )
    refused = batch.check("b", change(cs.OPEN, "journalist", on=0, recorded=1))
    assert (refused.outcome, refused.ok) == (cs.Outcome.REJECTED, False)
    with pytest.raises(cs.Rejected) as rejected:
        WORKFLOW.open("b", actor=actor("journalist"), effective_at=day(0), recorded_at=day(1))
    assert rejected.value.verdict == refused


def test_a_batch_opening_agrees_with_workflow_open():
    batch = cs.Batch(WORKFLOW)
    batch.check("case-1", change(cs.OPEN, "family", on=0, recorded=1))
    assert batch.standing("case-1") == opened().standing


def test_a_batch_with_now_refuses_the_future():
    batch = cs.Batch(WORKFLOW, now=change("x", "ngo", on=5).recorded_at)
    assert batch.check("a", change(cs.OPEN, "ngo", on=0, recorded=9)).codes == (cs.Code.RECORDED_IN_FUTURE,)
    # Effective after it is recorded, and recorded in the future: both told, in that order.
    assert batch.check("b", change(cs.OPEN, "ngo", on=10, recorded=9)).codes == (
        cs.Code.EFFECTIVE_AFTER_RECORDED,
        cs.Code.RECORDED_IN_FUTURE,
    )


def test_a_standing_given_out_keeps_its_values_as_the_batch_moves_on():
    batch = cs.Batch(WORKFLOW)
    batch.check("case-1", change(cs.OPEN, "family", on=0, recorded=1))
    before = batch.standing("case-1")
    kept = (before.status, before.version, before.periods)
    for step in PATH_TO["confirmed"]:
        assert batch.check("case-1", step).ok
    assert (before.status, before.version, before.periods) == kept
    assert batch.standing("case-1").status == "confirmed"


def test_many_cases_interleaved():
    rng = random.Random(7)  # noqa: S311 - a seeded, repeatable walk, not a secret
    batch = cs.Batch(WORKFLOW)
    cases = {}
    for number in range(20):
        case_id = f"c{number}"
        batch.check(case_id, change(cs.OPEN, "family", on=0, recorded=1))
        cases[case_id] = opened(case_id)
    for _ in range(200):
        case_id = rng.choice(sorted(cases))
        on = rng.randint(1, 300)
        step = change(
            rng.choice(TRIGGERS),
            actor(rng.choice(ROLES)),
            rng.choice(KINDS),
            on=on,
            recorded=on,
            reason="checked",
        )
        verdict = batch.check(case_id, step)
        assert verdict == WORKFLOW.check(cases[case_id], step)
        if verdict.ok:
            cases[case_id] = WORKFLOW.apply(cases[case_id], step)
    assert all(batch.standing(case_id) == case.standing for case_id, case in cases.items())
