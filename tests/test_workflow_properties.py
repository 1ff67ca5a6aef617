"""The stateful property test, run on the default workflow, two custom ones and random ones."""

from hypothesis import settings
from hypothesis.stateful import invariant

import casestate as cs
from casestate.testing import BrokenInvariant, WorkflowStateMachine, workflow_state_machine, workflows
from workflows import DEFAULT, STRICT, WITH_RELEASED


class DefaultWorkflowMachine(WorkflowStateMachine):
    workflow = DEFAULT

    @invariant()
    def only_authorities_establish_a_fate_on_strong_evidence(self):
        # The domain's own promise, not derived from the rules: were the rules
        # changed to let a relative confirm a death, this is what would say so.
        for entry in self.case.trail:
            if entry.kind is cs.EntryKind.TRANSITION and entry.to_status == cs.Status.CONFIRMED:
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
TestRandomWorkflows = runs(workflow_state_machine(workflows()))
