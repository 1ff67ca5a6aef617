"""The shipped schemas are what the code defines, and every example in the docs and examples/ fits its own."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import casestate
from support import EXAMPLES, run, tool

ROOT = Path(__file__).parents[2]


def validator(name):
    return Draft202012Validator(casestate.json_schema(name))


@pytest.mark.parametrize("name", casestate.SCHEMA_NAMES)
def test_each_shipped_schema_is_what_the_code_defines(name) -> None:
    schemas = tool("schemas")
    shipped = (ROOT / "src" / "casestate" / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == schemas.text_of(schemas.schemas()[name]), "run: .venv/bin/python tools/schemas.py"


@pytest.mark.parametrize("name", casestate.SCHEMA_NAMES)
def test_each_schema_is_a_json_schema_2020_12(name) -> None:
    schema = casestate.json_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:casestate:schema:{name}"


def test_the_schemas_enumerate_the_codes_and_kinds_of_the_code() -> None:
    case = casestate.json_schema("case")
    kinds = case["$defs"]["evidence"]["properties"]["kind"]["anyOf"][0]["enum"]
    assert kinds == [kind.value for kind in casestate.EvidenceKind]
    codes = case["$defs"]["entry"]["properties"]["codes"]["items"]["enum"]
    assert codes == [code.value for code in casestate.Code]
    record = casestate.json_schema("change-record")
    assert list(record["properties"]) == [
        *record["required"],
        "evidence",
        "reason",
        "resolves",
        "source_id",
        "follows",
    ]


def test_an_unknown_schema_name_is_refused_with_the_names_there_are() -> None:
    with pytest.raises(casestate.UnknownSchema, match="it has: apply-report, case, change-record"):
        casestate.json_schema("cases")  # type: ignore[arg-type]


def _kind_of(document) -> str:
    """Which schema a JSON example of the docs is written to."""
    if isinstance(document, dict) and document.get("format") == "casestate.case":
        return "case"
    if isinstance(document, dict) and document.get("format") == "casestate.workflow":
        return "workflow"
    if isinstance(document, dict) and "findings" in document:
        return "apply-report" if "stored" in document else "validate-report"
    return "change-record"


def _json_examples():
    for page in sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]):
        text = page.read_text(encoding="utf-8")
        for number, block in enumerate(
            re.findall(r"^```json\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
        ):
            yield pytest.param(block, id=f"{page.relative_to(ROOT)}-{number}")


@pytest.mark.parametrize("block", list(_json_examples()))
def test_every_json_example_in_the_docs_fits_its_schema(block) -> None:
    document = json.loads(block)
    errors = [error.message for error in validator(_kind_of(document)).iter_errors(document)]
    assert errors == []


def test_the_docs_hold_a_json_example_of_records_and_of_reports() -> None:
    kinds = {_kind_of(json.loads(param.values[0])) for param in _json_examples()}
    assert {"change-record", "validate-report"} <= kinds


def test_every_line_of_the_example_feed_fits_the_record_schema_as_the_reader_reads_it() -> None:
    records = validator("change-record")
    for number, line in enumerate((EXAMPLES / "changes.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        try:
            document = json.loads(line)
        except ValueError:
            continue  # an unreadable line on purpose: no record, for a schema or the reader
        try:
            casestate.change_from_record(document)
        except casestate.RecordError:
            continue  # the schema checks less than the reader: it may take this line or not
        assert records.is_valid(document), f"line {number}"


def test_every_row_of_the_example_csv_is_a_record_that_fits_the_schema() -> None:
    with (EXAMPLES / "changes.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    read = 0
    for row in rows:
        try:
            case_id, change = casestate.change_from_csv_row(row)
        except casestate.RecordError:
            continue  # a faulty row on purpose
        read += 1
        assert validator("change-record").is_valid(casestate.change_to_record(case_id, change))
    assert read > len(rows) / 2


def test_the_report_of_validate_fits_its_schema() -> None:
    result = run("validate", "--format", "json", EXAMPLES / "changes.jsonl")
    report = json.loads(result.output)
    assert report["findings"]
    assert [error.message for error in validator("validate-report").iter_errors(report)] == []


def test_the_report_of_apply_fits_its_schema(tmp_path) -> None:
    result = run(
        "apply", "--per-line", "--format", "json", EXAMPLES / "changes.jsonl", "--store", tmp_path / "c.db"
    )
    report = json.loads(result.output)
    assert report["stored"] > 0
    assert [error.message for error in validator("apply-report").iter_errors(report)] == []
    assert not validator("validate-report").is_valid(report)


def test_the_reference_shows_every_schema() -> None:
    page = (ROOT / "docs" / "reference" / "schemas.md").read_text(encoding="utf-8")
    shown = re.findall(r"^```\{casestate-schema\} (\S+)$", page, flags=re.MULTILINE)
    assert sorted(shown) == sorted(casestate.SCHEMA_NAMES)
