"""A key given twice in one JSON object is refused by every reader of JSON, never read as the last one."""

import json

import pytest

import casestate as cs
from support import case_in, change

RECORD = cs.change_to_record("ua-1", change("report_captured", "family", "video", on=2))


def _twice(text: str, inside: str, key: str, value: object) -> str:
    """*text* with *key* given again, with *value*, at the start of the object that begins *inside*."""
    at = text.index(inside)
    return text[: at + 1] + json.dumps(key) + ": " + json.dumps(value) + ", " + text[at + 1 :]


def test_a_change_record_with_a_role_given_twice_is_refused():
    text = json.dumps(RECORD)
    assert cs.change_from_json(text)[1].actor.role == "family"
    with pytest.raises(cs.RecordError, match="the key 'role' appears twice in one object"):
        cs.change_from_json(_twice(text, "{", "role", "icrc"))


def test_a_key_given_twice_inside_a_records_evidence_is_refused():
    text = json.dumps(RECORD)
    doubled = _twice(text, '{"kind"', "kind", "dna_match")
    with pytest.raises(cs.RecordError, match="the key 'kind' appears twice"):
        cs.change_from_json(doubled)


@pytest.mark.parametrize("text", ["", "{", b"\xff\xfe", "[1,", "[" * 100_000])
def test_a_record_that_is_not_json_is_a_record_error(text):
    with pytest.raises(cs.RecordError, match="not JSON"):
        cs.change_from_json(text)


def test_a_record_read_from_json_is_the_record_read_from_its_object():
    assert cs.change_from_json(json.dumps(RECORD)) == cs.change_from_record(RECORD)


def test_a_second_roles_in_a_workflow_definition_is_refused():
    text = cs.workflow_to_json(cs.DEFAULT_WORKFLOW)
    rule = text.index('"trigger": "confirm"')
    start = text.rindex("{", 0, rule)
    doubled = _twice(text[start:], "{", "roles", ["family"])
    with pytest.raises(cs.WorkflowError, match="the key 'roles' appears twice in one object"):
        cs.workflow_from_json(text[:start] + doubled)


@pytest.mark.parametrize(
    ("inside", "key", "value"),
    [("{", "initial", "dead"), ('{"name": "missing"', "final", True), ('{"max_tier"', "max_tier", 4)],
)
def test_a_key_given_twice_anywhere_in_a_workflow_definition_is_refused(inside, key, value):
    text = cs.workflow_to_json(cs.DEFAULT_WORKFLOW, indent=None)
    with pytest.raises(cs.WorkflowError, match=f"the key '{key}' appears twice"):
        cs.workflow_from_json(_twice(text, inside, key, value))


def test_a_case_document_with_a_key_given_twice_is_still_refused():
    text = cs.to_json(case_in("captured"))
    with pytest.raises(cs.FormatError, match="the key 'to_status' appears twice"):
        cs.from_json(_twice(text, '{"seq": 1', "to_status", "dead"))
