"""Which workflow opened a case: its identity, recorded in the opening entry and covered by the hash."""

from datetime import UTC, datetime

import attrs
import pytest

import casestate as cs
from support import WORKFLOW, change, opened, rehashed

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def test_the_identity_names_the_workflow_and_digests_what_decides():
    assert WORKFLOW.identity.startswith("default@sha256:")
    assert len(WORKFLOW.identity.split(":")[1]) == 16
    worded = attrs.evolve(WORKFLOW, description="as told to families")
    assert worded.identity == WORKFLOW.identity
    stricter = WORKFLOW.replace_rule("confirm", roles={"court"})
    assert stricter.identity != WORKFLOW.identity
    assert stricter.identity.startswith("default@")


def test_the_opening_entry_alone_records_it_and_the_hash_covers_it():
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    assert case.workflow == case.trail[0].workflow == WORKFLOW.identity
    assert case.trail[1].workflow is None
    forged = attrs.evolve(case.trail[0], workflow="lax@sha256:0000000000000000")
    assert cs.verify((forged, *case.trail[1:])).problem is cs.Problem.HASH


def test_a_case_read_under_another_workflow_says_so_and_still_moves_on():
    case = opened()
    stricter = WORKFLOW.replace_rule("confirm", roles={"court"})
    assert case.workflow != stricter.identity
    moved = stricter.apply(case, change("report_captured", "family", "video", on=10))
    assert moved.workflow == WORKFLOW.identity  # it says who opened it, whoever moves it on


def test_the_json_form_carries_it_on_the_opening_entry_only():
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    entries = cs.to_dict(case)["entries"]
    assert entries[0]["workflow"] == WORKFLOW.identity
    assert "workflow" not in entries[1]
    assert cs.from_dict(cs.to_dict(case)) == case
    assert cs.from_dict(cs.to_dict(case, redacted=True), allow_redacted=True).workflow == WORKFLOW.identity


def test_only_the_opening_entry_names_a_workflow_and_only_as_an_identity():
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    data = cs.to_dict(case)
    data["entries"][1]["workflow"] = "evil@sha256:0000000000000000"
    relinked = rehashed(data)
    with pytest.raises(cs.BrokenTrail, match="names a workflow, which only the opening entry does"):
        cs.from_dict(relinked)
    for bad in ("", " ", "\x1b[2J", "x" * 100_000, "default@sha256:XYZ"):
        data = cs.to_dict(opened())
        data["entries"][0]["workflow"] = bad
        with pytest.raises((cs.BrokenTrail, cs.FormatError)):
            cs.from_dict(rehashed(data))
