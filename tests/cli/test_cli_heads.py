"""Heads kept outside the store: export --heads writes them, verify --heads holds a store or export to them."""

from __future__ import annotations

import json
import sqlite3

import pytest

import casestate as cs
from casestate.store._statements import UPDATE_SUMMARY, summary_params
from support import opening, record, run, write_lines


@pytest.fixture
def demo(tmp_path):
    store = tmp_path / "demo.db"
    assert run("demo", "--path", store).exit_code == 0
    heads = tmp_path / "heads.jsonl"
    assert run("export", "--store", store, "-o", tmp_path / "out.jsonl", "--heads", heads).exit_code == 0
    return store, heads


def _cut_the_last_entry_and_mend_the_summary(store, case_id):
    """What someone with the database would do to hide a change: its entry gone, the summary row made to fit."""
    with cs.store.SQLiteStore(store) as held:
        shorter = cs.replay(held.load(case_id).trail[:-1])
    with sqlite3.connect(store) as connection:
        connection.execute("DELETE FROM entries WHERE case_id = ? AND seq = ?", (case_id, shorter.version))
        connection.execute(UPDATE_SUMMARY, summary_params(shorter))
    connection.close()


def test_export_writes_each_cases_entries_and_head(demo) -> None:
    store, heads = demo
    lines = [json.loads(line) for line in heads.read_text().splitlines()]
    with cs.store.SQLiteStore(store) as held:
        expected = [
            {"case_id": case_id, "entries": held.load(case_id).version, "head": held.head(case_id)}
            for case_id in held.case_ids()
        ]
    assert sorted(lines, key=lambda line: line["case_id"]) == sorted(
        expected, key=lambda line: line["case_id"]
    )


def test_a_store_that_kept_its_heads_verifies_against_them(demo) -> None:
    store, heads = demo
    result = run("verify", "--store", store, "--heads", heads)
    assert result.exit_code == 0
    assert "6 cases: 6 intact, 0 broken or unreadable" in result.output


def test_a_last_entry_cut_off_with_its_summary_mended_is_caught_only_by_the_heads(demo) -> None:
    store, heads = demo
    _cut_the_last_entry_and_mend_the_summary(store, "ua-0201")
    assert run("verify", "--store", store).exit_code == 0  # the store alone cannot tell
    result = run("verify", "--store", store, "--heads", heads)
    assert result.exit_code == 1
    assert (
        "ua-0201: broken: case 'ua-0201': the heads file says it had 7 entries; 6 are left" in result.output
    )
    data = json.loads(run("verify", "--store", store, "--heads", heads, "--format", "json").output)
    assert [(item["case_id"], item["problem"]) for item in data["broken"]] == [("ua-0201", "truncated")]


def test_a_case_gone_from_the_store_is_broken(demo) -> None:
    store, heads = demo
    with sqlite3.connect(store) as connection:
        connection.execute("DELETE FROM entries WHERE case_id = 'ua-0411'")
        connection.execute("DELETE FROM cases WHERE case_id = 'ua-0411'")
    connection.close()
    result = run("verify", "--store", store, "--heads", heads)
    assert result.exit_code == 1
    assert (
        "ua-0411: broken: case 'ua-0411': the heads file names it with 2 entries; the source holds no case"
        in result.output
    )


def test_a_trail_written_again_from_its_start_does_not_end_in_the_head(tmp_path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    feed = write_lines(tmp_path / "f.jsonl", opening(), record())
    other = write_lines(tmp_path / "g.jsonl", opening(), record(role="ministry", actor_id="mod-records"))
    assert run("apply", feed, "--store", first).exit_code == 0
    assert run("apply", other, "--store", second).exit_code == 0
    heads = tmp_path / "heads.jsonl"
    assert run("export", "--store", first, "-o", tmp_path / "out.jsonl", "--heads", heads).exit_code == 0
    result = run("verify", "--store", second, "--heads", heads)
    assert result.exit_code == 1
    assert "ua-0173: broken" in result.output


def test_a_case_that_grew_since_its_head_was_kept_still_verifies(tmp_path) -> None:
    store = tmp_path / "cases.db"
    assert run("apply", write_lines(tmp_path / "f.jsonl", opening()), "--store", store).exit_code == 0
    heads = tmp_path / "heads.jsonl"
    assert run("export", "--store", store, "-o", tmp_path / "out.jsonl", "--heads", heads).exit_code == 0
    assert run("apply", write_lines(tmp_path / "g.jsonl", record()), "--store", store).exit_code == 0
    assert run("verify", "--store", store, "--heads", heads).exit_code == 0
    assert run("verify", tmp_path / "out.jsonl", "--heads", heads).exit_code == 0


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "heads.jsonl:2: not JSON"),
        (
            '{"case_id": "ua-1", "entries": 0, "head": "x"}',
            "heads.jsonl:2: entries must be a number of entries, 1 or more",
        ),
        (
            '{"case_id": "ua-1", "head": "x"}',
            'heads.jsonl:2: expected {"case_id": ..., "entries": ..., "head": ...}',
        ),
        ('{"case_id": "ua-0099", "entries": 2, "head": "x"}', "heads.jsonl:2: case 'ua-0099' is named twice"),
        ('{"case_id": 7, "entries": 2, "head": "x"}', "heads.jsonl:2: case_id and head must be text"),
        ('{"case_id": "ua-1", "entries": true, "head": "x"}', "heads.jsonl:2: entries must be a number"),
    ],
)
def test_a_heads_file_that_is_not_one_is_a_usage_error_naming_the_line(demo, line, problem) -> None:
    store, heads = demo
    first = heads.read_text().splitlines()[0]
    heads.write_text(f"{first}\n{line}\n")
    result = run("verify", "--store", store, "--heads", heads)
    assert result.exit_code == 2
    assert problem in result.output


def test_export_will_not_write_its_heads_over_a_file_it_reads_or_writes(demo, tmp_path) -> None:
    store, _ = demo
    out = tmp_path / "again.jsonl"
    out.write_text("")
    assert run("export", "--store", store, "-o", out, "--heads", out).exit_code == 2
    assert run("export", "--store", store, "-o", tmp_path / "x.jsonl", "--heads", store).exit_code == 2


def test_a_heads_file_that_cannot_be_read_is_a_usage_error(demo, tmp_path) -> None:
    store, _ = demo
    for heads, problem in (("/dev/null", "not a regular file"), (tmp_path / "nowhere.jsonl", "No such file")):
        result = run("verify", "--store", store, "--heads", heads)
        assert result.exit_code == 2
        assert problem in result.output


def test_export_leaves_an_earlier_heads_file_as_it_was_when_a_source_cannot_be_read(demo, tmp_path) -> None:
    _, heads = demo
    before = heads.read_text()
    result = run("export", tmp_path / "nowhere.jsonl", "-o", tmp_path / "x.jsonl", "--heads", heads)
    assert result.exit_code == 2
    assert f"{heads}: left as it was" in result.output
    assert heads.read_text() == before
