"""Cases whose every personal value is marked with « », so that a leak is plain to see."""

from datetime import UTC, datetime

import attrs
from hypothesis import strategies as st

import casestate as cs
from casestate.testing import TEST_KEY, changes
from workflows import DEFAULT, REGISTRY, STRICT, WITH_RELEASED

WORKFLOWS = st.sampled_from([DEFAULT, WITH_RELEASED, STRICT, REGISTRY])
KEYS = st.sampled_from([None, TEST_KEY])
T0 = datetime(2024, 2, 20, tzinfo=UTC)
MARK = "«"
"""What every personal value holds and nothing else does."""


def _marked(change, number):
    """*change* with every personal value marked, so that a leak is plain to see."""
    evidence = [
        attrs.evolve(item, reference=f"«reference {number}.{index}»", source=f"«source {number}.{index}»")
        for index, item in enumerate(change.evidence)
    ]
    return attrs.evolve(
        change,
        actor=cs.Actor(f"«actor {number % 3}»", change.actor.role),
        reason=None if change.reason is None else f"«reason {number}»",
        evidence=evidence,
    )


@st.composite
def marked_cases(draw):
    workflow, key = draw(WORKFLOWS), draw(KEYS)
    case = workflow.open(
        "case-7",
        actor=cs.Actor("«opener»", min(workflow.roles)),
        effective_at=T0,
        recorded_at=T0,
        reason="«why it was opened»",
        key=key,
    )
    for number in range(draw(st.integers(0, 10))):
        change = _marked(draw(changes(workflow, case)), number)
        if workflow.check(case, change).ok:
            case = workflow.apply(case, change, key=key)
    return key, case
