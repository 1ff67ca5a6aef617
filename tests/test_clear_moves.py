"""The compiled fast path answers exactly as the full decision does, and answers most changes."""

from datetime import UTC, datetime

import attrs
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate._decide import plan, plan_in_full
from casestate._moves import clear_move
from casestate._standing import Tracked, standing_of
from casestate.testing import attempts, cases, workflows
from workflows import DEFAULT, STRICT, WITH_RELEASED


def _moves(workflow):
    return workflow._moves  # the compiled table under test


@st.composite
def cases_and_attempts(draw, workflow_strategy):
    workflow = draw(workflow_strategy)
    case = draw(cases(workflow, max_changes=6))
    return workflow, case, draw(attempts(workflow, case))


@given(cases_and_attempts(st.sampled_from([DEFAULT, STRICT, WITH_RELEASED]) | workflows()), st.booleans())
def test_a_clear_change_gets_the_plan_of_the_full_decision(drawn, with_now):
    workflow, case, attempt = drawn
    change = attempt.change
    now = change.recorded_at if with_now else None
    full = plan_in_full(workflow, case, change, now)
    assert plan(workflow, case, change, now) == full
    standing = standing_of(case)
    assert plan(workflow, standing, change, now) == plan_in_full(workflow, standing, change, now) == full
    tracked = Tracked.of(standing)
    assert plan(workflow, tracked, change, now) == plan_in_full(workflow, tracked, change, now) == full
    assert workflow.check(case, change, now=now) == full.verdict
    clear = clear_move(_moves(workflow), case, change, now)
    if clear is not None:
        assert full.verdict.ok


T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)


def _captured_report(actor, kind):
    evidence = cs.Evidence(kind, f"{kind} 7", "source", T0)
    return cs.Change(
        trigger="report_captured", actor=actor, evidence=[evidence], effective_at=T0, recorded_at=T0
    )


def test_the_fast_path_answers_the_clean_changes_of_a_story():
    ngo, icrc = cs.Actor("ngo-1", "ngo"), cs.Actor("icrc-1", "icrc")
    case = DEFAULT.open("ua-1", actor=ngo, effective_at=T0, recorded_at=T0)
    captured = _captured_report(icrc, "exchange_list")
    assert clear_move(_moves(DEFAULT), case, captured, None) is not None
    case = DEFAULT.apply(case, captured)
    again = _captured_report(icrc, "exchange_list")
    effect = clear_move(_moves(DEFAULT), case, again, None)
    assert effect.kind is cs.EntryKind.CORROBORATION
    assert effect.verdict == DEFAULT.check(case, again)
    refused = cs.Change(trigger="report_captured", actor=ngo, effective_at=T0, recorded_at=T0)
    assert clear_move(_moves(DEFAULT), case, refused, None) is None
    assert not DEFAULT.check(case, refused).ok


def test_the_reporter_may_retract_only_in_a_role_the_workflow_knows():
    ngo, journalist = cs.Actor("anna", "ngo"), cs.Actor("anna", "journalist")
    case = DEFAULT.open("ua-2", actor=ngo, effective_at=T0, recorded_at=T0)
    case = DEFAULT.apply(case, _captured_report(ngo, "video"))
    retraction = cs.Change(
        trigger="retract", actor=journalist, reason="mine", effective_at=T0, recorded_at=T0
    )
    assert clear_move(_moves(DEFAULT), case, retraction, None) is None
    assert DEFAULT.check(case, retraction).codes == (cs.Code.UNKNOWN_ROLE,)
    as_ngo = attrs.evolve(retraction, actor=ngo)
    assert clear_move(_moves(DEFAULT), case, as_ngo, None) is not None
