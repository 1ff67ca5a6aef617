"""The ready stateful test: random walks through any workflow, checked after every step."""

from __future__ import annotations

import re
from typing import ClassVar, TypeVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from casestate import DEFAULT_WORKFLOW, Case, ChainKeyError, Change, Workflow

from ._attempts import attempts
from ._broken import BrokenInvariant
from ._cases import opened_cases
from ._invariants import check_case, check_step
from ._values import TEST_KEY

_T = TypeVar("_T")


class WorkflowStateMachine(RuleBasedStateMachine):
    """Drives one case of :attr:`workflow` through random changes, valid and invalid.

    After every step it checks what :func:`check_step` and :func:`check_case`
    check: accepted changes append one entry and rejected ones change
    nothing, ``check`` and ``apply`` agree, replay, the chain, reachability,
    fates, every entry's guards, the clocks, both as-of queries, JSON round
    trips and the redacted export. Point it at your workflow by subclassing::

        class MyWorkflowMachine(WorkflowStateMachine):
            workflow = MY_WORKFLOW

        TestMyWorkflow = MyWorkflowMachine.TestCase

    or with :func:`workflow_state_machine`. Add your own ``@invariant()``
    methods to a subclass for what your workflow promises beyond its rules;
    :attr:`case` and :attr:`active_workflow` are there to check. The loaded
    hypothesis profile decides how many runs and how many steps each.
    """

    workflow: ClassVar[Workflow | st.SearchStrategy[Workflow]] = DEFAULT_WORKFLOW
    """The workflow under test, or a strategy that draws one per run (see ``workflows()``)."""
    keys: ClassVar[tuple[bytes | None, ...]] = (None, TEST_KEY)
    """The chain keys to seal cases with, one drawn per run: ``None`` for a plain chain."""

    def __init__(self) -> None:
        super().__init__()
        self._case: Case | None = None
        self._workflow: Workflow | None = None
        self.key: bytes | None = None
        self._checked = 0
        self._sound = False

    @property
    def case(self) -> Case:
        """The case as it stands after the last step."""
        return _opened(self._case)

    @property
    def active_workflow(self) -> Workflow:
        """The workflow of this run (drawn, when :attr:`workflow` is a strategy)."""
        return _opened(self._workflow)

    @initialize(data=st.data())
    def open_case(self, data: st.DataObject) -> None:
        """Choose the workflow and the key, and open a case."""
        chosen = type(self).workflow
        self._workflow = (
            data.draw(chosen, label="workflow") if isinstance(chosen, st.SearchStrategy) else chosen
        )
        self.key = data.draw(st.sampled_from(self.keys), label="key")
        self._case = data.draw(opened_cases(self._workflow, key=self.key), label="opened")

    @rule(data=st.data())
    def submit(self, data: st.DataObject) -> None:
        """Submit a change built valid or with one fault, and check the step."""
        if not self.active_workflow.rules:  # nothing to attempt: the case stays as it was opened
            return
        attempt = data.draw(attempts(self.active_workflow, self.case), label="attempt")
        if data.draw(st.integers(0, 9), label="also with the wrong key") == 0:
            self._refuse_the_wrong_key(attempt.change)
        self._case = check_step(self.active_workflow, self.case, attempt, key=self.key)

    @invariant()
    def case_holds(self) -> None:
        """Every property of the case, after every step (the entries added since the last one in full)."""
        if self._case is None or self._workflow is None:
            return
        self._sound = False
        check_case(self._workflow, self._case, key=self.key, checked=self._checked)
        self._checked = self._case.version
        self._sound = True

    def teardown(self) -> None:
        """At the end of a run that held, the whole case once more: every as-of time, whole-case JSON."""
        if self._sound and self._case is not None and self._workflow is not None:
            check_case(self._workflow, self._case, key=self.key)

    def _refuse_the_wrong_key(self, change: Change) -> None:
        """A change with a key that does not fit the chain is refused before anything else."""
        wrong = None if self.case.keyed else TEST_KEY
        try:
            self.active_workflow.apply(self.case, change, key=wrong)
        except ChainKeyError:
            return
        raise BrokenInvariant(f"case {self.case.id!r}: a change with the wrong chain key was accepted")


def _opened(value: _T | None) -> _T:
    if value is None:  # pragma: no cover - hypothesis runs the initialize rule first
        msg = "the case and its workflow are chosen by the first step"
        raise AttributeError(msg)
    return value


def workflow_state_machine(
    workflow: Workflow | st.SearchStrategy[Workflow], *, keys: tuple[bytes | None, ...] = (None, TEST_KEY)
) -> type[WorkflowStateMachine]:
    """A :class:`WorkflowStateMachine` for *workflow*; its ``TestCase`` is the test.

    >>> from casestate import DEFAULT_WORKFLOW
    >>> TestDefaultWorkflow = workflow_state_machine(DEFAULT_WORKFLOW).TestCase
    """
    label = workflow.name if isinstance(workflow, Workflow) else "Random"
    name = re.sub(r"\W+", "_", label.title()).strip("_") or "Custom"
    return type(f"{name}WorkflowMachine", (WorkflowStateMachine,), {"workflow": workflow, "keys": keys})
