"""casestate's exceptions pickle with everything they carry: they cross process boundaries."""

import pickle

import pytest

import casestate as cs
from casestate import store
from casestate.feeds import UnreadableFile
from casestate.pfif import PfifError
from support import WORKFLOW, change, opened


def _refusal():
    try:
        WORKFLOW.apply(opened(), change("confirm", "family", "video", on=3))
    except cs.Rejected as error:
        return error
    raise AssertionError


def _broken_trail():
    case = WORKFLOW.apply(opened(), change("report_dead", "unit", "unit_notification", on=3))
    trail = (case.trail[0], case.trail[1].without_private())
    try:
        cs.replay(trail)
    except cs.BrokenTrail as error:
        return error
    raise AssertionError


def _workflow_error():
    try:
        cs.workflow_from_json("[]")
    except cs.WorkflowError as error:
        return error
    raise AssertionError


FAULTS = [
    pytest.param(_refusal, id="Rejected"),
    pytest.param(lambda: cs.Rejected("ua-1", _refusal().verdict, index=4), id="Rejected in a batch"),
    pytest.param(_broken_trail, id="BrokenTrail"),
    pytest.param(_workflow_error, id="WorkflowError"),
    pytest.param(lambda: cs.WorkflowError("w", ["one fault"], heading="cannot be extended"), id="headed"),
    pytest.param(lambda: cs.RecordError("evidence[0].kind", "unknown kind"), id="RecordError"),
    pytest.param(lambda: cs.RecordError(None, "not an object"), id="RecordError without field"),
    pytest.param(lambda: store.ConcurrentUpdate("ua-1", 3, None), id="ConcurrentUpdate"),
    pytest.param(lambda: store.UnknownCase("ua-1"), id="UnknownCase"),
    pytest.param(lambda: store.CaseExists("ua-1"), id="CaseExists"),
    pytest.param(lambda: UnreadableFile("a.jsonl", "the file is empty"), id="UnreadableFile"),
    pytest.param(lambda: cs.ChainKeyError("case 'ua-1' is sealed with a key; pass key="), id="ChainKeyError"),
    pytest.param(lambda: cs.FormatError("entries[3].recorded_at: naive"), id="FormatError"),
    pytest.param(lambda: PfifError("not a PFIF document"), id="PfifError"),
]


@pytest.mark.parametrize("make", FAULTS)
def test_a_fault_comes_back_from_pickle_as_it_went_in(make):
    fault = make()
    fault.add_note("while reading line 7")
    back = pickle.loads(pickle.dumps(fault))  # noqa: S301 - made just above
    assert type(back) is type(fault)
    assert str(back) == str(fault)
    assert vars(back) == vars(fault)
    assert back.__notes__ == ["while reading line 7"]
