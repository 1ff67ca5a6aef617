"""Workflow definitions that can never work are refused, naming what cannot work."""

import pytest

import casestate as cs

WORKFLOW = cs.DEFAULT_WORKFLOW


def _confirm_evidence(evidence: object) -> dict:
    data = cs.workflow_to_dict(WORKFLOW)
    rule = next(rule for rule in data["rules"] if rule["trigger"] == "confirm")
    rule["evidence"] = evidence
    return data


@pytest.mark.parametrize(("tier", "given"), [(True, "bool"), (False, "bool"), (2.0, "float"), ("1", "str")])
def test_a_tier_that_is_not_a_whole_number_is_refused(tier, given):
    # JSON's true would read as tier 1, the strongest: a rule asking for more than its author wrote.
    with pytest.raises(cs.WorkflowError, match=rf"rules\[3\]\.evidence\.max_tier: expected int, got {given}"):
        cs.workflow_from_dict(_confirm_evidence({"max_tier": tier, "kinds": None}))


def test_a_tier_that_is_a_whole_number_reads_as_that_tier():
    workflow = cs.workflow_from_dict(_confirm_evidence({"max_tier": 1, "kinds": None}))
    assert workflow.rule("confirm").evidence == cs.EvidenceRule(max_tier=cs.Tier.IDENTIFICATION)


def test_a_rule_naming_an_evidence_kind_too_weak_for_its_tier_is_refused():
    evidence = cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL, kinds={"dna_match", "video", "photo"})
    with pytest.raises(cs.WorkflowError) as caught:
        WORKFLOW.replace_rule("confirm", evidence=evidence)
    assert caught.value.problems == (
        "rule 'confirm' names evidence kinds weaker than tier 2, never enough: photo, video",
    )


def test_the_same_refusal_from_a_definition_file():
    evidence = {"max_tier": 2, "kinds": ["death_certificate", "witness_statement"]}
    with pytest.raises(cs.WorkflowError, match="never enough: witness_statement"):
        cs.workflow_from_dict(_confirm_evidence(evidence))


def test_a_rule_none_of_whose_kinds_can_count_is_still_named_so():
    evidence = cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL, kinds={"video"})
    with pytest.raises(cs.WorkflowError, match="can never be satisfied"):
        WORKFLOW.replace_rule("confirm", evidence=evidence)


@pytest.mark.parametrize("name", ["=", "*"])
def test_a_status_named_as_a_wildcard_of_the_state_machine_is_refused(name):
    data = cs.workflow_to_dict(cs.DEFAULT_WORKFLOW)
    data["statuses"].append({"name": name, "fate": "dead", "final": True})
    data["rules"].append({"trigger": "to_it", "sources": ["missing"], "target": name, "roles": ["icrc"]})
    with pytest.raises(cs.WorkflowError, match=f"status '\\{name}' is a name the state machine reserves"):
        cs.workflow_from_dict(data)
