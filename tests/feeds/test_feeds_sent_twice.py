"""Feeds sent twice: lines with source ids stored once, from Python and from the command line."""

from __future__ import annotations

import json

import pytest

import casestate as cs
from casestate import feeds
from support import EXAMPLES, opening, record, run, write_lines

HOTLINE = EXAMPLES / "hotline-feed.jsonl"


def _everything(store_path):
    """Every entry of the store, in order, as JSON: what a second apply must leave as it was."""
    with feeds.open_store(str(store_path)) as store:
        return [cs.entry_to_dict(stored.entry) for stored in store.entries()]


@pytest.mark.parametrize("per_line", [False, True], ids=["all-or-nothing", "per-line"])
def test_the_example_feed_with_source_ids_applied_twice_gives_the_same_store(tmp_path, per_line):
    where = tmp_path / "cases.db"
    with feeds.open_store(str(where), create=True) as store:
        first = feeds.apply_files([HOTLINE], store, per_line=per_line)
    stored = _everything(where)
    with feeds.open_store(str(where)) as store:
        again = feeds.apply_files([HOTLINE], store, per_line=per_line)
    assert _everything(where) == stored
    lines = first.check.lines
    assert (first.ok, first.stored, first.check.already_stored) == (True, lines, 0)
    assert (again.ok, again.stored, again.opened, again.check.accepted) == (True, 0, 0, 0)
    assert again.check.already_stored == lines == len(HOTLINE.read_text(encoding="utf-8").splitlines())
    assert [(finding.number, finding.outcome, finding.codes) for finding in again.check.findings] == [
        (number, "already_stored", []) for number in range(1, lines + 1)
    ]
    assert {entry["source_id"] for entry in stored} == {
        json.loads(line)["source_id"] for line in HOTLINE.read_text(encoding="utf-8").splitlines()
    }


def test_a_feed_with_new_lines_after_the_ones_sent_before_stores_only_the_new(tmp_path):
    where = tmp_path / "cases.db"
    sent = [
        {**opening(), "source_id": "hotline/1"},
        {**record(), "source_id": "hotline/2"},
    ]
    later = {**record(trigger="report_dead", recorded_at="2024-03-12T09:00:00Z"), "source_id": "hotline/3"}
    with feeds.open_store(str(where), create=True) as store:
        feeds.apply_files([write_lines(tmp_path / "first.jsonl", *sent)], store)
        grown = feeds.apply_files([write_lines(tmp_path / "grown.jsonl", *sent, later)], store)
        assert (grown.stored, grown.check.already_stored, grown.check.accepted) == (1, 2, 1)
        assert dict(store.load("ua-0173").source_ids) == {"hotline/1": 0, "hotline/2": 1, "hotline/3": 2}


def test_a_line_that_reuses_an_id_for_another_change_is_rejected_with_its_code(tmp_path):
    feed = write_lines(
        tmp_path / "feed.jsonl",
        {**opening(), "source_id": "hotline/1"},
        {**record(), "source_id": "hotline/2"},
        {**record(recorded_at="2024-03-12T09:00:00Z", reason="a second notice"), "source_id": "hotline/2"},
    )
    report = feeds.check_files([feed])
    assert report.rejected_by_code == {"source_id_reused": 1}
    assert [(finding.number, finding.codes) for finding in report.findings] == [(3, ["source_id_reused"])]


def test_without_source_ids_a_feed_sent_again_line_by_line_stores_its_reports_again(tmp_path):
    # As the feeds how-to documents: with no id, a resend is a new report.
    where = tmp_path / "cases.db"
    feed = write_lines(tmp_path / "feed.jsonl", opening(), record())
    with feeds.open_store(str(where), create=True) as store:
        feeds.apply_files([feed], store)
        again = feeds.apply_files([feed], store, per_line=True)
        assert again.check.rejected_by_code == {"case_exists": 1}
        assert again.stored == 1
        assert store.load("ua-0173").trail[-1].kind is cs.EntryKind.CORROBORATION


def test_apply_on_the_command_line_twice_reports_every_line_already_stored_and_succeeds(tmp_path):
    where = tmp_path / "cases.db"
    first = run("apply", HOTLINE, "--store", where)
    assert first.exit_code == 0, first.output
    again = run("apply", HOTLINE, "--store", where)
    assert again.exit_code == 0, again.output
    lines = again.output.splitlines()
    assert lines[0] == f"{HOTLINE}:1: case ua-0730: already stored"
    assert "7 lines: 0 accepted (0 kept as conflicts), 7 already stored, 0 rejected" in lines
    assert lines[-1] == "stored 0 changes (0 cases opened)"
    quiet = run("apply", HOTLINE, "--store", where, "--per-line", "--quiet")
    assert (quiet.exit_code, quiet.output) == (0, "")


def test_validate_against_the_store_reports_the_lines_it_holds_in_json(tmp_path):
    where = tmp_path / "cases.db"
    run("apply", HOTLINE, "--store", where)
    checked = run("validate", HOTLINE, "--store", where, "--format", "json")
    assert checked.exit_code == 0
    document = json.loads(checked.output)
    assert {finding["outcome"] for finding in document["findings"]} == {"already_stored"}
    assert document["summary"]["already_stored"] == 7
    assert document["summary"]["outcomes"]["already_stored"] == 7
