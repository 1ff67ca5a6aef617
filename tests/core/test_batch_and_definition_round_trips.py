"""Batch checks agree with apply; workflow definitions round-trip and name their faults."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from support import PATH_TO, WORKFLOW, actor, change, day


def opening(on: float = 0, recorded: float = 1, by: str = "ngo"):
    return cs.Change(trigger=cs.OPEN, actor=actor(by), effective_at=day(on), recorded_at=day(recorded))


STEPS = [
    change("report_captured", "family", "video", on=10),
    change("report_dead", "unit", "unit_notification", on=12),
    change("report_dead", "ngo", "grave_list", on=13),
    change("confirm", "forensic_lab", "dna_match", on=20),
    change("confirm", "family", "death_certificate", on=21),
    change("report_captured", "family", "video", on=25),
    change("dismiss", "ngo", on=26, reason="not him", resolves=(5,)),
    change("dismiss", "ngo", on=26, reason="not him", resolves=(6,)),
    change("retract", "unit", on=27, reason="wrong man"),
    change("reopen", "icrc", "dna_match", on=28, reason="DNA exclusion"),
    change("repatriate", "icrc", "exchange_list", on=30),
    change("report_wounded", "unit", "medical_record", on=5),
    change("declare_dead", "court", "court_decision", on=400),
]


@given(st.lists(st.sampled_from(range(len(STEPS))), max_size=12))
def test_a_batch_gives_the_verdicts_apply_gives(order):
    case = WORKFLOW.open("case-1", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
    batch = cs.Batch(WORKFLOW)
    assert batch.check("case-1", opening()).ok
    for index in order:
        step = STEPS[index]
        expected = WORKFLOW.check(case, step)
        assert batch.check("case-1", step) == expected
        if expected.ok:
            case = WORKFLOW.apply(case, step)
        assert batch.status("case-1") == (case.status, case.fate, case.assurance)


def test_a_batch_refuses_changes_to_unknown_cases_and_second_openings():
    batch = cs.Batch(WORKFLOW)
    assert batch.check("case-1", STEPS[0]).codes == (cs.Code.UNKNOWN_CASE,)
    assert batch.check("case-1", opening()).ok
    again = batch.check("case-1", opening(on=2, recorded=1))
    assert again.codes == (cs.Code.CASE_EXISTS, cs.Code.EFFECTIVE_AFTER_RECORDED)
    assert batch.check("case-2", opening(by="nobody")).codes == (cs.Code.UNKNOWN_ROLE,)
    assert len(batch) == 1
    assert not batch.knows("case-2")


def test_a_batch_starts_from_loaded_cases():
    stored = WORKFLOW.open("case-9", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
    for step in PATH_TO["dead"]:
        stored = WORKFLOW.apply(stored, step)
    batch = cs.Batch(WORKFLOW, load={"case-9": stored}.get)
    assert batch.knows("case-9")
    assert batch.check("case-9", opening()).codes == (cs.Code.CASE_EXISTS,)
    assert batch.check("case-9", STEPS[3]).outcome is cs.Outcome.TRANSITION
    assert batch.status("case-9") == ("confirmed", cs.Fate.DEAD, cs.Assurance.IDENTIFIED)


def test_a_workflow_definition_round_trips_through_json():
    derived = WORKFLOW.replace_rule("declare_dead", waiting_period=cs.DECLARATION_WAITING_PERIOD / 2)
    text = cs.workflow_to_json(derived)
    assert cs.workflow_from_json(text) == derived
    assert json.loads(text)["format"] == "casestate.workflow"


def test_a_bad_definition_names_every_place():
    data = cs.workflow_to_dict(WORKFLOW)
    data["rules"][0]["sources"] = ["missing", 3]
    data["rules"][1]["evidence"] = {"max_tier": 7, "kinds": ["Rumour"]}
    data["statuses"][2]["fate"] = "perhaps"
    data["version"] = 9
    data["colour"] = "red"
    with pytest.raises(cs.WorkflowError) as caught:
        cs.workflow_from_dict(data)
    problems = caught.value.problems
    assert "definition: unknown fields colour" in problems
    assert "version: this casestate reads version 1, not 9" in problems
    assert "rules[0].sources[1]: expected a non-empty name, got 3" in problems
    assert "rules[1].evidence.max_tier: unknown value 7" in problems
    assert "rules[1].evidence.kinds[0]: unknown evidence kind 'Rumour'" in problems
    assert "statuses[2].fate: unknown value 'perhaps'" in problems


def test_a_definition_that_reads_but_cannot_work_is_refused_by_the_workflow():
    data = cs.workflow_to_dict(WORKFLOW)
    data["rules"][0]["target"] = "released"
    with pytest.raises(cs.WorkflowError, match="unknown target status 'released'"):
        cs.workflow_from_dict(data)


@pytest.mark.parametrize("text", ["", "[1, 2]", "{", b"\xff\xfe{"])
def test_a_definition_that_is_not_a_json_object_is_refused(text):
    with pytest.raises(cs.WorkflowError):
        cs.workflow_from_json(text)
