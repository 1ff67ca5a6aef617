"""What casestate writes fits its schemas, and what a schema refuses casestate's readers refuse too."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import casestate
from casestate import testing
from json_documents import changed
from support import GOOD_RECORD

VALIDATORS = {name: Draft202012Validator(casestate.json_schema(name)) for name in casestate.SCHEMA_NAMES}


def fits(name, document) -> bool:
    return VALIDATORS[name].is_valid(document)


def refused(read, document) -> bool:
    """Whether *read* refuses *document* with one of casestate's own errors (anything else fails the test)."""
    try:
        read(document)
    except casestate.CasestateError:
        return True
    return False


@st.composite
def cases_and_changes(draw):
    case = draw(testing.cases(max_changes=4))
    return case, draw(testing.changes(casestate.DEFAULT_WORKFLOW, case))


@given(testing.cases(), st.booleans())
def test_every_case_document_casestate_writes_fits_the_case_schema(case, redacted) -> None:
    assert fits("case", casestate.to_dict(case, redacted=redacted))


@given(testing.cases(key=testing.TEST_KEY, max_changes=3))
def test_a_sealed_case_document_fits_the_case_schema(case) -> None:
    assert fits("case", casestate.to_dict(case))


@given(cases_and_changes())
def test_every_change_record_casestate_writes_fits_the_record_schema(case_and_change) -> None:
    case, change = case_and_change
    assert fits("change-record", casestate.change_to_record(case.id, change))


@given(testing.workflows())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_every_workflow_definition_casestate_writes_fits_the_workflow_schema(workflow) -> None:
    assert fits("workflow", casestate.workflow_to_dict(workflow))


def _changed_documents(documents):
    return documents.flatmap(lambda document: st.tuples(st.just(document), changed(document)))


@given(
    _changed_documents(cases_and_changes().map(lambda pair: casestate.change_to_record(pair[0].id, pair[1])))
)
def test_a_change_record_the_schema_refuses_the_reader_refuses(pair) -> None:
    _, document = pair
    if not fits("change-record", document):
        assert refused(casestate.change_from_record, document)


@given(_changed_documents(testing.cases(max_changes=3).map(casestate.to_dict)))
def test_a_case_document_the_schema_refuses_the_reader_refuses(pair) -> None:
    _, document = pair
    if not fits("case", document):
        assert refused(casestate.from_dict, document)


@given(_changed_documents(st.just(casestate.workflow_to_dict(casestate.DEFAULT_WORKFLOW))))
def test_a_workflow_definition_the_schema_refuses_the_reader_refuses(pair) -> None:
    _, document = pair
    if not fits("workflow", document):
        assert refused(casestate.workflow_from_dict, document)


READERS = {
    "change-record": casestate.change_from_record,
    "case": casestate.from_dict,
    "workflow": casestate.workflow_from_dict,
}


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("change-record", {"case_id": "ua-1"}),
        ("change-record", {**GOOD_RECORD, "effective_at": "2024-03-02T12:00:00"}),
        ("change-record", {**GOOD_RECORD, "efective_at": "2024-03-02T12:00:00Z"}),
        ("change-record", {**GOOD_RECORD, "resolves": [-1]}),
        ("change-record", {**GOOD_RECORD, "evidence": [{"kind": "Rumour"}]}),
        ("case", {"format": "casestate.case", "version": 2, "case_id": "ua-1", "entries": []}),
        ("case", {"format": "casestate.case", "version": 1, "case_id": "ua-1", "entries": []}),
        ("workflow", {"name": "tiny", "initial": "missing", "roles": "ngo", "statuses": [], "rules": []}),
        (
            "workflow",
            {"name": "tiny", "initial": "missing", "roles": [], "statuses": [{"name": "x", "fate": "?"}]},
        ),
    ],
)
def test_what_a_schema_refuses_its_reader_refuses(name, document) -> None:
    assert not fits(name, document)
    assert refused(READERS[name], document)


def test_a_report_without_findings_is_refused() -> None:
    assert not fits("validate-report", {"summary": {}})
    assert fits("validate-report", {"findings": []})  # a run a fault stopped before any finding
