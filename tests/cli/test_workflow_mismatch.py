"""A store written under one workflow, read under another: said plainly, never a traceback."""

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

import casestate as cs
from casestate.cli import main

T = datetime(2024, 3, 1, tzinfo=UTC)
WITH_RELEASE = cs.DEFAULT_WORKFLOW.extend(
    name="with-release",
    statuses=[cs.StatusDef("released", cs.Fate.ALIVE)],
    rules=[
        cs.Rule(
            trigger="release",
            sources={"captured"},
            target="released",
            roles={"icrc"},
            evidence=cs.EvidenceRule(kinds={"release_list"}),
        ),
        cs.Rule(
            trigger="home",
            sources={"released"},
            target="repatriated",
            roles={"icrc"},
            evidence=cs.EvidenceRule(kinds={"exchange_list"}),
        ),
    ],
)


@pytest.fixture
def released(tmp_path):
    """A store written under WITH_RELEASE, its one case in the status only that workflow has."""
    path = tmp_path / "s.db"
    icrc = cs.Actor("icrc-1", "icrc")
    with cs.store.SQLiteStore(path, workflow=WITH_RELEASE) as store:
        store.open_case("ua-1", actor=cs.Actor("ngo-1", "ngo"), effective_at=T, recorded_at=T)
        store.apply(
            "ua-1",
            [
                cs.Change(
                    trigger="report_captured",
                    actor=icrc,
                    evidence=[cs.Evidence("prisoner_list", "PL-1", "ICRC", T)],
                    effective_at=T,
                    recorded_at=T,
                ),
                cs.Change(
                    trigger="release",
                    actor=icrc,
                    evidence=[cs.Evidence("release_list", "RL-1", "ICRC", T)],
                    effective_at=T,
                    recorded_at=T,
                ),
            ],
            expected_version=1,
        )
    definition = tmp_path / "with-release.json"
    definition.write_text(cs.workflow_to_json(WITH_RELEASE), encoding="utf-8")
    return str(path), str(definition)


def run(*arguments):
    return CliRunner().invoke(main, list(arguments))


def test_show_says_the_case_was_opened_under_another_workflow(released):
    store, definition = released
    result = run("show", "--store", store, "ua-1")
    assert result.exit_code == 0, result.output
    assert (
        f"opened under workflow {WITH_RELEASE.identity}, read here under {cs.DEFAULT_WORKFLOW.identity}"
        in (result.output.replace("\n", ""))
    )
    under_its_own = run("show", "--store", store, "--workflow", definition, "ua-1")
    assert "opened under workflow" not in under_its_own.output
    data = json.loads(run("show", "--store", store, "ua-1", "--format", "json").output)
    assert (data["opened_under"], data["read_under"]) == (WITH_RELEASE.identity, cs.DEFAULT_WORKFLOW.identity)


def test_verify_names_each_case_opened_under_another_workflow_and_keeps_its_exit_status(released):
    store, definition = released
    result = run("verify", "--store", store)
    assert result.exit_code == 0, result.output
    assert "1 cases: 1 intact (1 opened under another workflow), 0 broken or unreadable" in result.output
    data = json.loads(run("verify", "--store", store, "--format", "json").output)
    assert data["opened_under_another_workflow"] == [
        {"where": "ua-1", "case_id": "ua-1", "opened_under": WITH_RELEASE.identity}
    ]
    assert "another workflow" not in run("verify", "--store", store, "--workflow", definition).output


def test_validate_against_a_status_the_workflow_does_not_know_is_a_finding_not_a_traceback(
    released, tmp_path
):
    store, _definition = released
    feed = tmp_path / "feed.jsonl"
    record = {
        "case_id": "ua-1",
        "trigger": "confirm",
        "actor_id": "icrc-1",
        "role": "icrc",
        "effective_at": "2024-03-02T00:00:00Z",
        "recorded_at": "2024-03-02T00:00:00Z",
        "evidence": [
            {
                "kind": "dna_match",
                "reference": "DNA-1",
                "source": "lab",
                "obtained_at": "2024-03-02T00:00:00Z",
            }
        ],
    }
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    for jobs in ("1", "2"):
        result = run("validate", "--store", store, "--jobs", jobs, str(feed))
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert "illegal_transition: confirm does not lead anywhere from 'released'" in result.output
