"""The stateful property test, run on the default workflow, three custom ones and random ones."""

from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant

import casestate as cs
from casestate.testing import BrokenInvariant, WorkflowStateMachine, workflow_state_machine, workflows
from workflows import DEFAULT, REGISTRY, STRICT, WITH_RELEASED

T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)


class DefaultWorkflowMachine(WorkflowStateMachine):
    workflow = DEFAULT

    @invariant()
    def only_authorities_establish_a_fate_on_strong_evidence(self):
        # The domain's own promise, not derived from the rules: were the rules
        # changed to let a relative confirm a death, this is what would say so.
        # A withdrawal that resumes a confirmed period establishes nothing: it returns to what
        # an authority established before the report withdrawn.
        for entry in self.case.trail:
            if (
                entry.kind is cs.EntryKind.TRANSITION
                and entry.to_status == cs.Status.CONFIRMED
                and entry.reverts_to is None
            ):
                strongest = min(kind.tier for kind in entry.evidence_kinds)
                if entry.role not in cs.AUTHORITIES or strongest > cs.Tier.OFFICIAL:
                    raise BrokenInvariant(f"entry {entry.seq}: confirmed by {entry.role} on tier {strongest}")


def runs(machine):
    """The machine's test, with a quarter of the profile's examples: each one is a whole
    run of ``stateful_step_count`` steps, where a plain property test draws one value."""
    test = machine.TestCase
    test.settings = settings(test.settings, max_examples=max(10, test.settings.max_examples // 4))
    return test


TestDefaultWorkflow = runs(DefaultWorkflowMachine)
TestWorkflowWithReleased = runs(workflow_state_machine(WITH_RELEASED))
TestStrictWorkflow = runs(workflow_state_machine(STRICT))
# Kinds of its own, drawn as often as the built-in ones: each rule that counts them is tried.
TestRegistryWorkflow = runs(workflow_state_machine(REGISTRY))
TestRandomWorkflows = runs(workflow_state_machine(workflows()))


@given(
    st.sampled_from([DEFAULT, STRICT]), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800))
)
@example(DEFAULT, cs.DECLARATION_WAITING_PERIOD - timedelta(microseconds=1))
@example(DEFAULT, cs.DECLARATION_WAITING_PERIOD)
def test_a_court_declares_dead_exactly_when_the_waiting_period_is_over(workflow, waited):
    case = workflow.open(
        "case-1", actor=cs.Actor("ngo-1", min(workflow.roles)), effective_at=T0, recorded_at=T0
    )
    when = T0 + waited
    decision = cs.Evidence("court_decision", "2-118/2025", "district court", when)
    declare = cs.Change(
        trigger="declare_dead",
        actor=cs.Actor("court-7", "court"),
        evidence=[decision],
        effective_at=when,
        recorded_at=when,
    )
    over = waited >= workflow.rule("declare_dead").waiting_period
    assert workflow.check(case, declare).ok == over
    assert (cs.Code.WAITING_PERIOD_NOT_ELAPSED in workflow.check(case, declare).codes) != over
