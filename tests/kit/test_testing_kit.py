"""casestate.testing itself: optional, and its strategies build what they promise."""

import subprocess
import sys
from datetime import timedelta
from importlib.metadata import requires

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

import casestate as cs
from casestate.testing import (
    Attempt,
    BrokenInvariant,
    attempts,
    cases,
    check_case,
    check_step,
    enough_evidence,
    evidence_rules,
    reachable,
    weak_evidence,
    workflow_state_machine,
    workflows,
)
from casestate.testing._attempts import _fate_checked as fate_checked
from support import PATH_TO, T0, WORKFLOW, case_in, change, day, resealed

# These build workflows for their shape, lax ones among them: the hazards a lax workflow
# warns of are tested in tests/core/test_workflow_hazards.py.
pytestmark = pytest.mark.filterwarnings("ignore::casestate.WorkflowWarning")


def test_casestate_runs_without_hypothesis():
    code = "import sys, casestate; sys.exit('hypothesis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603 - our own code


def test_hypothesis_comes_only_with_the_testing_extra():
    hypothesis = [line for line in requires("casestate") if line.startswith("hypothesis")]
    assert hypothesis
    assert all("extra ==" in line for line in hypothesis)


@given(st.sampled_from(sorted(PATH_TO)), st.data())
def test_every_attempt_gets_the_verdict_it_was_built_for(status, data):
    case = case_in(status)
    attempt = data.draw(attempts(WORKFLOW, case))
    assert attempt.disagreement(WORKFLOW.check(case, attempt.change)) is None


def test_a_verdict_other_than_the_one_built_for_is_named():
    case = case_in("dead")
    confirm = change("confirm", "family", "video", on=30)
    verdict = WORKFLOW.check(case, confirm)
    assert Attempt(confirm, "valid confirm", cs.Outcome.TRANSITION, (), "confirmed").disagreement(verdict)
    wrong_code = Attempt(confirm, "no reason", cs.Outcome.REJECTED, (cs.Code.REASON_REQUIRED,))
    assert "reason_required" in wrong_code.disagreement(verdict)
    right = Attempt(confirm, "wrong role", cs.Outcome.REJECTED, (cs.Code.ROLE_NOT_PERMITTED,))
    assert right.disagreement(verdict) is None


@given(workflows())
def test_generated_workflows_reach_every_status(workflow):
    assert reachable(workflow) == {status.name for status in workflow.statuses}


@given(evidence_rules().filter(lambda rule: rule is not None), st.data())
def test_enough_evidence_satisfies_the_rule_and_weak_evidence_never_does(rule, data):
    assert any(rule.accepts(item) for item in data.draw(enough_evidence(rule)))
    if rule.max_tier < cs.Tier.UNVERIFIED or rule.kinds is not None:
        assert not any(rule.accepts(item) for item in data.draw(weak_evidence(rule)))


@given(cases())
@settings(suppress_health_check=[HealthCheck.too_slow])  # many draws per case: slow on a busy machine
def test_generated_cases_hold_every_invariant(case):
    check_case(WORKFLOW, case)


def test_a_case_that_does_not_follow_from_its_trail_is_caught():
    case = case_in("confirmed")
    with pytest.raises(BrokenInvariant, match="replaying"):
        check_case(WORKFLOW, attrs.evolve(case, status="dead"))


def test_a_transition_that_skipped_a_guard_is_caught():
    # The workflow that made the case let a family confirm; the workflow checked does not.
    lax = WORKFLOW.replace_rule("confirm", roles=cs.EVERYONE)
    case = lax.apply(case_in("dead"), change("confirm", "family", "dna_match", on=30))
    with pytest.raises(BrokenInvariant, match="role 'family' may not fire it"):
        check_case(WORKFLOW, case)


def test_check_step_returns_the_case_after_an_accepted_change_and_keeps_a_refused_one():
    case = case_in("dead")
    after = check_step(WORKFLOW, case, change("confirm", "icrc", "dna_match", on=30))
    assert after.status == "confirmed"
    assert check_step(WORKFLOW, case, change("confirm", "family", "video", on=30)) is case


def test_a_machine_is_named_after_its_workflow():
    machine = workflow_state_machine(WORKFLOW.replace_rule("confirm", roles={"icrc"}))
    assert machine.__name__ == "DefaultWorkflowMachine"
    assert machine.workflow.rule("confirm").roles == {"icrc"}


@given(evidence_rules(), st.sampled_from([cs.Fate.ALIVE, cs.Fate.DEAD]), st.data())
def test_evidence_drawn_for_a_fate_never_speaks_for_the_other(rule, fate, data):
    fitting = [kind for kind in cs.EvidenceKind if kind.indicates in (None, fate)]
    if rule is not None and not any(rule.accepts(cs.Evidence(kind, "r", "s", T0)) for kind in fitting):
        return
    drawn = data.draw(enough_evidence(rule, fate=fate))
    assert all(item.kind.indicates in (None, fate) for item in drawn)
    assert rule is None or any(rule.accepts(item) for item in drawn)


def test_a_retraction_is_checked_as_resuming_the_period_it_withdrew_to():
    case = WORKFLOW.apply(case_in("missing"), change("report_captured", "family", "video", on=10))
    after = check_step(WORKFLOW, case, change("retract", "ministry", on=30, reason="not him on the video"))
    assert (after.status, after.status_since, [period.seq for period in after.periods]) == (
        "missing",
        day(0),
        [0],
    )


def test_a_period_resumed_where_the_rule_does_not_revert_is_caught():
    # The workflow that made the case resumed the missing period; the workflow checked does not.
    case = WORKFLOW.apply(case_in("missing"), change("report_captured", "family", "video", on=10))
    case = WORKFLOW.apply(case, change("retract", "ministry", on=30, reason="not him on the video"))
    with pytest.raises(BrokenInvariant, match="resumes entry 0, the rule says None"):
        check_case(WORKFLOW.replace_rule("retract", reverts=False, withdraws=False), case)


STILL = cs.Workflow(
    name="still",
    statuses=[cs.StatusDef("missing", fate=cs.Fate.UNKNOWN, final=True)],
    rules=[],
    roles=["ngo"],
    initial="missing",
    dismiss_roles=["ngo"],
)


@settings(max_examples=5)
@given(cases(STILL), st.data())
def test_a_workflow_without_rules_gives_cases_as_opened_and_no_attempt(case, data):
    assert case.version == 1
    with pytest.raises(ValueError, match="workflow 'still' has no rules"):
        data.draw(attempts(STILL, case))


def test_a_workflow_without_rules_still_runs_as_a_state_machine():
    machine = workflow_state_machine(STILL)
    run_state_machine_as_test(
        machine, settings=settings(max_examples=3, stateful_step_count=3, deadline=None)
    )


FOUND_DEAD = cs.Workflow(
    name="found-dead",
    statuses=[cs.StatusDef("found_dead", cs.Fate.DEAD), cs.StatusDef("buried", None, final=True)],
    rules=[
        cs.Rule(
            trigger="report_buried",
            sources={"found_dead"},
            target="buried",
            roles={"ngo", "court"},
            evidence=cs.EvidenceRule(max_tier=cs.Tier.IDENTIFICATION),
            report=True,
        )
    ],
    roles=["ngo", "court"],
    initial="found_dead",
    dismiss_roles=["ngo", "court"],
)
"""A registry of remains: a case opened dead, and a report into a status that keeps the fate."""


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_a_report_about_a_time_before_the_case_opened_claims_only_its_own_fate(data):
    # Kept as a conflict, a report of a status that keeps the fate speaks for none: evidence of
    # either fate is no fault there, and the kit builds no attempt that says it is.
    opened = FOUND_DEAD.open("r-1", actor=cs.Actor("ngo-1", "ngo"), effective_at=T0, recorded_at=T0)
    case = FOUND_DEAD.apply(opened, change("report_buried", "ngo", "dna_match", on=1))
    attempt = data.draw(attempts(FOUND_DEAD, case))
    assert attempt.disagreement(FOUND_DEAD.check(case, attempt.change)) is None


def test_the_kit_checks_the_evidence_of_a_report_before_the_case_opened_against_no_fate():
    # The kit's attempts build evidence against the fate the library checks: before the person went
    # missing, a report of a status that keeps the fate claims none, as the library reads it.
    opened = FOUND_DEAD.open("r-1", actor=cs.Actor("ngo-1", "ngo"), effective_at=T0, recorded_at=T0)
    case = FOUND_DEAD.apply(opened, change("report_buried", "ngo", "dna_match", on=1))
    rule = FOUND_DEAD.rule("report_buried")
    assert fate_checked(FOUND_DEAD, case, rule, day(2)) is cs.Fate.DEAD
    assert fate_checked(FOUND_DEAD, case, rule, day(-1)) is None
    alive_card = change("report_buried", "ngo", "capture_card", "dna_match", on=-1, recorded=3)
    assert FOUND_DEAD.check(case, alive_card).outcome is cs.Outcome.CONFLICT


ENDLESS = attrs.evolve(
    WORKFLOW,
    name="endless",
    rules=tuple(
        attrs.evolve(rule, waiting_period=timedelta(days=3_600_000)) if rule.waiting_period else rule
        for rule in WORKFLOW.rules
    ),
)
"""The default workflow, its waiting periods longer than the calendar lasts (ten thousand years)."""


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PATH_TO)), st.data())
def test_a_waiting_period_longer_than_the_calendar_is_only_ever_not_elapsed(status, data):
    case = case_in(status)
    attempt = data.draw(attempts(ENDLESS, case))
    assert attempt.disagreement(ENDLESS.check(case, attempt.change)) is None
    rule = ENDLESS.get_rule(attempt.change.trigger)
    if rule is not None and rule.waiting_period and case.status in rule.sources:
        assert attempt.outcome is cs.Outcome.REJECTED  # never built as a change that fires it


def test_a_waiting_period_longer_than_the_calendar_runs_as_a_state_machine():
    machine = workflow_state_machine(ENDLESS)
    run_state_machine_as_test(
        machine, settings=settings(max_examples=10, stateful_step_count=8, deadline=None)
    )


def test_a_report_that_agrees_is_held_to_the_fate_it_corroborates_even_where_its_rule_withdraws():
    # A report of the status the case holds, naming no fate, whose rule withdraws to the status
    # before, sent about a case whose death a lab identified: it corroborates the status, so its
    # death certificate fits the fate the case holds, not the one a withdrawal would resume.
    workflow = cs.Workflow(
        name="withdrawing-report",
        statuses=[cs.StatusDef(name="held", fate=cs.Fate.ALIVE), cs.StatusDef(name="named", fate=None)],
        rules=[
            cs.Rule(trigger="identify", sources={"held"}, target="named", fate=cs.Fate.DEAD, roles={"court"}),
            cs.Rule(
                trigger="withdraw_named",
                sources={"named"},
                target="named",
                roles={"court"},
                report=True,
                reverts=True,
                withdraws=True,
            ),
        ],
        roles={"court"},
        initial="held",
        dismiss_roles={"court"},
    )
    court = cs.Actor("court-1", "court")
    case = workflow.open("c-1", actor=court, effective_at=day(0), recorded_at=day(0))
    case = workflow.apply(
        case, cs.Change(trigger="identify", actor=court, effective_at=day(1), recorded_at=day(1))
    )
    certificate = cs.Evidence("death_certificate", "DC-1", "registry", day(2))
    agreeing = cs.Change(
        trigger="withdraw_named", actor=court, evidence=[certificate], effective_at=day(2), recorded_at=day(2)
    )
    case = check_step(workflow, case, agreeing)
    assert case.trail[-1].kind is cs.EntryKind.CORROBORATION
    check_case(workflow, case)


def test_a_late_report_told_otherwise_than_its_rule_tells_its_earlier_period_is_caught():
    # Dead on day 20; wounded on day 15, learned later: the rule tells the wound as a period.
    case = WORKFLOW.apply(case_in("missing"), change("report_dead", "unit", "unit_notification", on=20))
    case = WORKFLOW.apply(case, change("report_wounded", "family", "witness_statement", on=15, recorded=40))
    told_late = case.trail[-1]
    assert told_late.kind is cs.EntryKind.EARLIER_PERIOD
    for wrong in (
        attrs.evolve(told_late, fate=cs.Fate.DEAD),  # not the fate the wound speaks for
        # Kept as a conflict, as a report it could not have come first would be.
        attrs.evolve(
            told_late,
            kind=cs.EntryKind.CONFLICT,
            to_status="dead",
            fate=cs.Fate.DEAD,
            assurance=case.assurance,
            whereabouts=case.whereabouts,
            codes=(cs.Code.EARLIER_THAN_CURRENT,),
        ),
    ):
        forged = cs.replay(resealed([*case.trail[:-1], wrong]))
        with pytest.raises(BrokenInvariant, match="earlier period"):
            check_case(WORKFLOW, forged)
