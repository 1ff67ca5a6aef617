"""Test your workflow with hypothesis: strategies, invariants and a ready stateful test.

An app that defines its own workflow points the stateful test at it::

    from casestate.testing import workflow_state_machine

    TestMyWorkflow = workflow_state_machine(MY_WORKFLOW).TestCase

and pytest drives cases through random changes, valid and invalid on purpose,
checking after every step that the rules held. Install with
``pip install 'casestate[testing]'``; the rest of casestate never imports this
module or hypothesis.
"""

try:
    import hypothesis as _hypothesis
except ImportError as error:  # pragma: no cover - the extra is installed wherever the tests run
    msg = "casestate.testing needs hypothesis: pip install 'casestate[testing]'"
    raise ImportError(msg) from error

from casestate import canonical_bytes
from casestate import publish as _publish

from ._attempts import Attempt, attempts, changes
from ._broken import BrokenInvariant
from ._cases import cases, declared_kinds, evidence_rules, opened_cases, trails, workflows
from ._invariants import check_case, check_step, reachable
from ._machine import WorkflowStateMachine, workflow_state_machine
from ._tamper import Tampering, alterations, rewritten, tamperings
from ._values import (
    TEST_KEY,
    accepted_kinds,
    actors,
    enough_evidence,
    evidence,
    gaps,
    instants,
    refused_kinds,
    texts,
    weak_evidence,
)

del _hypothesis

__all__ = [
    "TEST_KEY",
    "Attempt",
    "BrokenInvariant",
    "Tampering",
    "WorkflowStateMachine",
    "accepted_kinds",
    "actors",
    "alterations",
    "attempts",
    "canonical_bytes",
    "cases",
    "changes",
    "check_case",
    "check_step",
    "declared_kinds",
    "enough_evidence",
    "evidence",
    "evidence_rules",
    "gaps",
    "instants",
    "opened_cases",
    "reachable",
    "refused_kinds",
    "rewritten",
    "tamperings",
    "texts",
    "trails",
    "weak_evidence",
    "workflow_state_machine",
    "workflows",
]

_publish(__name__, globals(), __all__)
