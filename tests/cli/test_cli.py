"""The command line, run as a user runs it: every command, and every kind of bad input."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import casestate as cs
from casestate.cli import main
from casestate.feeds import _apply
from support import (
    CSV,
    JSONL,
    dated,
    on_a_terminal,
    opening,
    record,
    run,
    run_installed,
    told,
    write_lines,
)


def findings(result):
    return json.loads(result.output)["findings"]


# -- validate ---------------------------------------------------------------


def test_validate_reports_each_rejected_line_of_the_example_with_file_line_case_and_codes():
    result = run("validate", JSONL)
    assert result.exit_code == 1
    assert f"{JSONL}:3: case ua-0173: rejected: evidence_insufficient" in result.output
    assert f"{JSONL}:15: case ua-0411: rejected: role_not_permitted, illegal_transition" in result.output
    assert f"{JSONL}:12: case ua-0520: kept as a conflict: illegal_transition" in result.output
    assert "25 lines: 15 accepted (1 kept as conflicts), 10 rejected" in result.output
    assert "rejected: invalid_record: 4" in result.output


def test_validate_json_report_is_for_machines():
    result = run("validate", JSONL, CSV, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    summary = report["summary"]
    assert summary["lines"] == 37
    assert summary["accepted"] + summary["rejected"] == summary["lines"]
    assert summary["conflicts_by_code"] == {"illegal_transition": 1}
    assert summary["rejected_by_code"]["unknown_case"] == 1
    by_place = {(item["file"], item["line"]): item for item in report["findings"]}
    assert by_place[str(CSV), 8]["codes"] == ["reason_required"]
    assert by_place[str(CSV), 11]["field"] == "evidence_1_source"
    assert by_place[str(JSONL), 22]["case_id"] == "ua-0612"
    assert by_place[str(JSONL), 12]["outcome"] == "conflict"


def test_validate_passes_a_clean_file_with_exit_status_0(tmp_path):
    path = write_lines(tmp_path / "good.jsonl", opening(), record(), "", record(trigger="report_dead"))
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert "3 lines: 3 accepted (0 kept as conflicts), 0 rejected" in result.output


def test_validate_checks_each_line_against_the_case_the_lines_before_left(tmp_path):
    confirm = record(
        trigger="confirm", role="forensic_lab", actor_id="lab-3", recorded_at="2024-03-11T00:00Z"
    )
    confirm["evidence"][0]["kind"] = "dna_match"
    # Confirming needs a reported fate first: the same line is refused before the report, accepted after.
    path = write_lines(tmp_path / "changes.jsonl", opening(), confirm, record(), confirm)
    result = run("validate", path, "--format", "json")
    assert [(item["line"], item["codes"]) for item in findings(result)] == [(2, ["illegal_transition"])]


@pytest.mark.parametrize(
    ("line", "code", "words"),
    [
        ('{"case_id": "ua-0173", "trigger": ', "unreadable_line", "not JSON"),
        ("[1, 2, 3]", "invalid_record", "expected a JSON object"),
        ('"just a string"', "invalid_record", "expected a JSON object"),
        ("[" * 100_000, "unreadable_line", "not JSON"),
        (json.dumps(record(trigger="report_killed")), "unknown_trigger", "unknown trigger 'report_killed'"),
        (json.dumps(record(effective_at="2024-03-02T12:00:00")), "invalid_record", "effective_at: naive"),
        (
            json.dumps(record(effective_at="2024-02-30T12:00:00Z")),
            "invalid_record",
            "effective_at: impossible",
        ),
        (json.dumps(record(role=None)), "invalid_record", "role: expected text, got null"),
        (
            json.dumps({k: v for k, v in record().items() if k != "actor_id"}),
            "invalid_record",
            "actor_id: missing",
        ),
        (json.dumps(record(resolves="3")), "invalid_record", "resolves: expected a list"),
        (
            json.dumps(record(evidence=[{"kind": "video"}])),
            "invalid_record",
            "evidence[0].reference: missing",
        ),
        (json.dumps(record(case_id="ua-0999")), "unknown_case", "no case 'ua-0999' is open"),
        (json.dumps(opening()), "case_exists", "already open"),
    ],
)
def test_validate_reports_malformed_lines_and_goes_on(tmp_path, line, code, words):
    path = write_lines(tmp_path / "changes.jsonl", opening(), line, record())
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1
    (finding,) = findings(result)
    assert (finding["line"], finding["codes"]) == (2, [code])
    assert words in finding["reasons"][0]["message"]
    assert json.loads(result.output)["summary"]["accepted"] == 2


def test_validate_reports_a_line_that_is_not_utf8(tmp_path):
    path = tmp_path / "changes.jsonl"
    bad = json.dumps(record(actor_id="Ol\u00e9na"), ensure_ascii=False).encode("latin-1")
    path.write_bytes(json.dumps(opening()).encode() + b"\n" + bad + b"\n")
    result = run("validate", path)
    assert result.exit_code == 1
    assert f"{path}:2: no case id: rejected: unreadable_line" in result.output
    assert "not UTF-8: byte 0xe9" in result.output


def test_validate_refuses_a_utf16_file_as_unreadable(tmp_path):
    path = tmp_path / "changes.jsonl"
    path.write_bytes((json.dumps(opening()) + "\n").encode("utf-16"))
    result = run("validate", path)
    assert result.exit_code == 2
    assert "encoded as UTF-16; casestate reads UTF-8" in result.output


def test_validate_reads_past_a_utf8_byte_order_mark(tmp_path):
    path = tmp_path / "changes.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(opening()).encode() + b"\n")
    assert run("validate", path).exit_code == 0


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_validate_reports_an_empty_file_as_unreadable(tmp_path, content):
    path = tmp_path / "changes.jsonl"
    path.write_bytes(content)
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 2
    (problem,) = json.loads(result.output)["summary"]["unreadable_files"]
    assert "empty" in problem["problem"]


def test_validate_reports_a_missing_file_and_still_checks_the_others(tmp_path):
    result = run("validate", tmp_path / "nowhere.jsonl", JSONL)
    assert result.exit_code == 2
    assert "nowhere.jsonl: cannot be read: No such file or directory" in result.output
    assert "25 lines" in result.output


def test_validate_reports_a_10_megabyte_line_without_reading_it_whole(tmp_path):
    path = tmp_path / "changes.jsonl"
    huge = json.dumps(record(reason="x" * 10_000_000))
    write_lines(path, opening(), huge, record())
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1
    (finding,) = findings(result)
    assert finding["line"] == 2
    assert finding["codes"] == ["unreadable_line"]
    assert "longer than 1048576 bytes" in finding["reasons"][0]["message"]
    assert json.loads(result.output)["summary"]["accepted"] == 2


def test_validate_reads_csv_and_names_the_column_at_fault():
    result = run("validate", CSV)
    assert result.exit_code == 1
    assert f"{CSV}:11: case ua-0311: rejected: invalid_record" in result.output
    assert "evidence_1_source: missing" in result.output
    assert "12 cells, fewer than the header's 16 columns" in result.output


def test_validate_refuses_a_csv_with_unknown_columns(tmp_path):
    path = tmp_path / "changes.csv"
    path.write_text(",".join([*cs.csv_columns(1), "next_of_kin"]) + "\nua-1,open\n")
    result = run("validate", path)
    assert result.exit_code == 2
    assert "line 1: next_of_kin: unknown column" in result.output


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "empty"),
        (",".join(cs.csv_columns(1)) + "\n", "a header but no changes"),
        ("case_id,trigger\nua-1,open\n", "required column missing"),
    ],
)
def test_validate_reports_unreadable_csv_files(tmp_path, content, words):
    path = tmp_path / "changes.csv"
    path.write_text(content)
    result = run("validate", path)
    assert result.exit_code == 2
    assert words in result.output


def test_validate_reports_a_csv_row_that_is_not_utf8_or_too_long(tmp_path):
    path = tmp_path / "changes.csv"
    header = ",".join(cs.csv_columns(1)).encode()
    row = b"ua-1,open,ngo-1,ngo,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,,,,,,"
    long_row = b"ua-1,report_dead,unit-1,unit,2024-01-03T00:00:00Z,2024-01-04T00:00:00Z," + b"y" * 2_000_000
    path.write_bytes(b"\n".join([header, row, row.replace(b"ngo-1", b"Ol\xe9na"), long_row + b",,,,,", b""]))
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1
    by_line = {item["line"]: item for item in findings(result)}
    assert by_line[3]["codes"] == ["unreadable_line"]
    assert "not UTF-8" in by_line[3]["reasons"][0]["message"]
    assert by_line[4]["codes"] == ["unreadable_line"]


def test_validate_reads_a_file_as_told_whatever_its_name(tmp_path):
    path = tmp_path / "changes.txt"
    path.write_bytes(CSV.read_bytes())
    assert run("validate", path, "--input-format", "csv").exit_code == 1
    assert (
        json.loads(run("validate", path, "--input-format", "csv", "--format", "json").output)["summary"][
            "lines"
        ]
        == 12
    )


def test_validate_with_a_custom_workflow(tmp_path):
    strict = cs.DEFAULT_WORKFLOW.replace_rule("report_dead", roles={"ministry", "icrc"})
    definition = tmp_path / "strict.json"
    definition.write_text(cs.workflow_to_json(strict))
    path = write_lines(tmp_path / "changes.jsonl", opening(), record())
    result = run("validate", path, "--workflow", definition, "--format", "json")
    assert [item["codes"] for item in findings(result)] == [["role_not_permitted"]]


def test_validate_quiet_prints_only_the_rejected_lines():
    result = run("validate", JSONL, "--quiet")
    assert result.exit_code == 1
    assert "kept as a conflict" not in result.output
    assert "lines:" not in result.output
    assert "rejected: evidence_insufficient" in result.output


# -- apply, show, verify, export: a store -------------------------------------


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "cases.db"
    result = run("apply", _good_lines(tmp_path), "--store", path)
    assert result.exit_code == 0, result.output
    return path


def _accepted_in_example(line):
    try:
        data = json.loads(line)
    except ValueError:
        return False
    # The lines of the example that pass: every line of the cases told in full.
    return data["case_id"] in {"ua-0201", "ua-0520"}


def test_apply_stores_a_clean_file(store):
    with cs.store.SQLiteStore(store) as held:
        assert sorted(held.case_ids()) == ["ua-0201", "ua-0520"]
        assert held.load("ua-0201").status == "repatriated"
        assert held.load("ua-0520").open_conflicts == ()


def test_apply_stores_nothing_when_any_line_is_rejected(tmp_path):
    path = tmp_path / "cases.db"
    result = run("apply", JSONL, "--store", path)
    assert result.exit_code == 1
    assert "nothing was stored" in result.output
    with cs.store.SQLiteStore(path) as held:
        assert list(held.case_ids()) == []


def test_apply_per_line_stores_the_good_lines_and_reports_the_rest(tmp_path):
    path = tmp_path / "cases.db"
    result = run("apply", JSONL, CSV, "--store", path, "--per-line", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["stored"] == report["summary"]["accepted"] == 22
    with cs.store.SQLiteStore(path) as held:
        assert held.load("ua-0173").status == "dead"
        assert held.load("ua-0310").status == "repatriated"
        assert held.load("ua-0520").version == 5


def _good_lines(tmp_path):
    return write_lines(
        tmp_path / "good.jsonl",
        *[line for line in JSONL.read_text().splitlines() if _accepted_in_example(line)],
    )


def test_apply_all_or_nothing_refuses_a_pipe_it_cannot_read_twice(tmp_path):
    lines = _good_lines(tmp_path).read_text()
    path = tmp_path / "cases.db"
    refused = run_installed("apply", "/dev/stdin", "--store", path, stdin=lines)
    assert refused.returncode == 2
    assert "is not a regular file (a pipe?)" in refused.stderr
    per_line = run_installed("apply", "/dev/stdin", "--store", path, "--per-line", stdin=lines)
    assert per_line.returncode == 0, per_line.stderr
    with cs.store.SQLiteStore(path) as held:
        assert sorted(held.case_ids()) == ["ua-0201", "ua-0520"]


def test_apply_stores_nothing_from_a_file_changed_while_it_was_checked(tmp_path, monkeypatch):
    good = _good_lines(tmp_path)
    checked = _apply.run_check

    def and_then_rewritten(*args, **kwargs):
        tally = checked(*args, **kwargs)
        good.write_text(good.read_text() + json.dumps(record("ua-0201", "report_captured")) + "\n")
        return tally

    monkeypatch.setattr(_apply, "run_check", and_then_rewritten)
    path = tmp_path / "cases.db"
    result = run("apply", good, "--store", path)
    assert result.exit_code == 2
    assert "a file changed while it was checked: nothing was stored" in result.output
    with cs.store.SQLiteStore(path) as held:
        assert list(held.case_ids()) == []


def test_apply_per_line_stores_what_it_accepted_before_it_was_stopped(tmp_path, monkeypatch):
    checked = _apply.run_check

    def stopped_after_five_lines(*args, each, **kwargs):
        seen = []

        def counted(line):
            each(line)
            seen.append(line)
            if len(seen) == 5:
                raise KeyboardInterrupt

        return checked(*args, each=counted, **kwargs)

    monkeypatch.setattr(_apply, "run_check", stopped_after_five_lines)
    path = tmp_path / "cases.db"
    result = run("apply", _good_lines(tmp_path), "--store", path, "--per-line")
    assert result.exit_code == 1  # Aborted!
    with cs.store.SQLiteStore(path) as held:
        assert sum(held.load(case_id).version for case_id in held.case_ids()) == 5


def test_apply_again_is_refused_line_by_line_against_the_store(store):
    result = run("validate", JSONL, "--store", store, "--format", "json")
    codes = {item["line"]: item["codes"] for item in findings(result)}
    assert codes[4] == ["case_exists"]  # ua-0201 is stored already
    # A report of wounds agrees with a man brought home alive: only the time runs backwards.
    assert codes[5] == ["time_goes_backwards"]
    assert codes[13] == ["unknown_conflict"]  # the stored conflict was dismissed already
    assert 2 not in codes  # ua-0173 is not in the store: its lines are checked as before


def test_validate_against_a_store_continues_its_cases(tmp_path, store):
    path = write_lines(
        tmp_path / "more.jsonl",
        record(
            case_id="ua-0201",
            trigger="report_dead",
            role="family",
            actor_id="olena-k",
            effective_at="2024-09-01T00:00:00Z",
            recorded_at="2024-09-02T00:00:00Z",
        ),
    )
    result = run("validate", path, "--store", store, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["conflicts"] == 1


def test_a_missing_store_is_reported_not_created(tmp_path):
    result = run("validate", JSONL, "--store", tmp_path / "nowhere.db")
    assert result.exit_code == 2
    assert "no such store" in result.output
    assert not (tmp_path / "nowhere.db").exists()


def test_a_file_that_is_not_a_store_is_reported(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list")
    result = run("show", "ua-0201", "--store", path)
    assert result.exit_code == 2
    assert "Error:" in result.output


def test_show_prints_where_a_case_stands_and_its_trail(store):
    result = run("show", "ua-0520", "--store", store)
    assert result.exit_code == 0
    assert "status confirmed, fate dead, assurance identified" in result.output
    assert "dismissal" in result.output
    assert "the man on the video" in result.output


def test_show_as_of_either_clock(store):
    known = run("show", "ua-0201", "--store", store, "--as-of-recorded", "2024-04-10T00:00:00Z")
    assert "status captured, fate alive" in known.output
    assert "as known at 2024-04-10" in known.output
    true_then = run("show", "ua-0201", "--store", store, "--as-of-effective", "2024-03-10T00:00:00+02:00")
    assert "(effective clock, as known now): wounded, fate alive" in true_then.output
    data = json.loads(
        run(
            "show", "ua-0201", "--store", store, "--as-of-effective", "2024-01-01T00:00Z", "--format", "json"
        ).output
    )
    assert data["status"] == "repatriated"
    assert data["as_of_effective"]["snapshot"] is None


def test_show_reports_an_unknown_case_and_a_naive_time(store):
    unknown = run("show", "ua-9999", "--store", store)
    assert unknown.exit_code == 2
    assert "no case 'ua-9999'" in unknown.output
    naive = run("show", "ua-0201", "--store", store, "--as-of-recorded", "2024-04-10")
    assert naive.exit_code == 2
    assert "naive timestamp" in naive.output


def test_export_and_verify_round_trip_and_a_redacted_export_holds_no_personal_data(tmp_path, store):
    exported = run("export", "--store", store)
    assert exported.exit_code == 0
    assert "olena-k" in exported.output
    redacted = run("export", "--store", store, "--redacted", "-o", tmp_path / "shared.jsonl")
    assert redacted.exit_code == 0
    shared = (tmp_path / "shared.jsonl").read_text()
    assert "olena-k" not in shared
    assert "CC-55120" not in shared
    assert len(shared.splitlines()) == 2
    result = run("verify", tmp_path / "shared.jsonl")
    assert result.exit_code == 0
    assert "2 cases: 2 intact" in result.output


def test_verify_names_the_first_broken_entry_of_each_broken_case(tmp_path, store):
    lines = run("export", "--store", store).output.splitlines()
    tampered = json.loads(lines[0])
    tampered["entries"][2]["to_status"] = "wounded"
    path = write_lines(tmp_path / "export.jsonl", json.dumps(tampered), lines[1])
    result = run("verify", path, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["cases"], report["intact"]) == (2, 1)
    (broken,) = report["broken"]
    assert (broken["case_id"], broken["entry"], broken["problem"]) == ("ua-0201", 2, "hash")
    assert run("verify", path).output.startswith(f"{path}:1: broken: case 'ua-0201': entry 2")


def test_verify_a_tampered_store(store):
    with sqlite3.connect(store) as connection:
        connection.execute("UPDATE entries SET to_status = 'dead' WHERE case_id = 'ua-0520' AND seq = 2")
    result = run("verify", "--store", store)
    assert result.exit_code == 1
    assert "case 'ua-0520': entry 2" in result.output
    exported = run("export", "--store", store)
    assert exported.exit_code == 1
    assert "not exported" in exported.output


def test_verify_reports_lines_it_cannot_read(tmp_path):
    path = write_lines(tmp_path / "export.jsonl", "{not json", json.dumps({"format": "something else"}))
    result = run("verify", path, "--format", "json")
    assert result.exit_code == 2
    assert len(json.loads(result.output)["unreadable"]) == 2
    assert run("verify", tmp_path / "empty.jsonl").exit_code == 2


def test_export_refuses_to_write_over_what_it_reads(tmp_path, store):
    before = store.read_bytes()
    onto_store = run("export", "--store", store, "-o", store)
    assert onto_store.exit_code == 2
    assert "is one of the files read" in onto_store.output
    assert store.read_bytes() == before
    exported = tmp_path / "cases.jsonl"
    assert run("export", "--store", store, "-o", exported).exit_code == 0
    lines = exported.read_bytes()
    (tmp_path / "link.jsonl").symlink_to(exported)
    onto_file = run("export", exported, "-o", tmp_path / "link.jsonl")
    assert onto_file.exit_code == 2
    assert exported.read_bytes() == lines
    assert run("verify", "--store", store).exit_code == 0


def test_an_export_that_fails_leaves_the_file_it_would_replace_as_it_was(tmp_path, store, monkeypatch):
    target = tmp_path / "cases.jsonl"
    target.write_text("the export of yesterday\n")

    load = cs.store.SQLiteStore.load
    loaded = []

    def failing(self, case_id):
        if loaded:  # the first case is written out, then the database goes away
            raise cs.store.StoreError("the database went away")
        loaded.append(case_id)
        return load(self, case_id)

    monkeypatch.setattr(cs.store.SQLiteStore, "load", failing)
    result = run("export", "--store", store, "-o", target)
    assert result.exit_code == 2
    assert "the database went away" in result.output
    assert target.read_text() == "the export of yesterday\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".cases.jsonl")] == []


def test_export_and_verify_need_one_source():
    assert run("export").exit_code == 2
    assert run("verify").exit_code == 2


# -- graph and demo -------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "start"), [("mermaid", "---\ndefault\n---\nstateDiagram-v2\n"), ("dot", "digraph default {")]
)
def test_graph_draws_the_default_workflow(form, start):
    result = run("graph", "--format", form)
    assert result.exit_code == 0
    assert result.output.startswith(start)


def test_graph_draws_a_custom_workflow_from_its_definition(tmp_path):
    definition = tmp_path / "workflow.json"
    definition.write_text(run("graph", "--format", "json").output.replace('"default"', '"ministry-2024"'))
    result = run("graph", "--workflow", definition, "--format", "dot")
    assert result.output.startswith('digraph "ministry-2024"')


def test_graph_names_the_faults_of_a_bad_definition(tmp_path):
    definition = tmp_path / "workflow.json"
    data = cs.workflow_to_dict(cs.DEFAULT_WORKFLOW)
    data["rules"][3]["roles"] = ["ministry", "archangel"]
    definition.write_text(json.dumps(data))
    result = run("graph", "--workflow", definition)
    assert result.exit_code == 2
    assert "rule 'confirm' names unknown role 'archangel'" in result.output
    assert run("graph", "--workflow", tmp_path / "nowhere.json").exit_code == 2


def test_demo_builds_a_store_that_verifies(tmp_path):
    path = tmp_path / "demo.db"
    result = run("demo", "--path", path)
    assert result.exit_code == 0
    assert (
        "refused after entry 1: confirm by family: olena-k, effective 2024-04-10 12:00 UTC" in result.output
    )
    assert "    role_not_permitted: role 'family' may not confirm" in result.output
    assert f"casestate show ua-0201 --store {path}" in result.output
    assert run("verify", "--store", path).exit_code == 0
    again = run("demo", "--path", path)
    assert again.exit_code == 2
    assert "exists already" in again.output


# -- as a real process ------------------------------------------------------------


def test_the_installed_command_validates_without_colour_when_piped():
    result = run_installed("validate", JSONL)
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    assert result.stderr == ""  # no progress bar off a terminal
    assert f"{JSONL}:3: case ua-0173: rejected: evidence_insufficient" in result.stdout


def test_the_installed_command_respects_no_color_and_reports_bad_input_without_a_traceback(tmp_path):
    path = tmp_path / "changes.jsonl"
    path.write_bytes(b"\x00\x01\x02 not json at all\n")
    result = run_installed("validate", path, NO_COLOR="1")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "unreadable_line" in result.stdout


def test_a_progress_bar_is_shown_on_a_terminal_and_hidden_by_quiet():
    result, shown = on_a_terminal("validate", JSONL)
    assert result.returncode == 1
    assert "kB" in shown  # the bar counts the bytes read
    assert "\x1b[" in shown
    _, colourless = on_a_terminal("validate", JSONL, NO_COLOR="1")
    assert "kB" in colourless
    assert "\x1b[32m" not in colourless  # no colours, though the bar still moves
    _, quiet = on_a_terminal("validate", JSONL, "--quiet")
    assert quiet == ""


def test_a_store_sealed_with_a_key_needs_its_key_file(tmp_path):
    key = tmp_path / "chain.key"
    key.write_text(cs.chain_key_to_text(b"a secret key of 32 bytes, really"))
    path = tmp_path / "sealed.db"
    good = write_lines(tmp_path / "good.jsonl", opening(), record())
    assert run("apply", good, "--store", path, "--key-file", key).exit_code == 0
    shown = run("show", "ua-0173", "--store", path, "--key-file", key)
    assert "status dead" in shown.output
    refused = run("show", "ua-0173", "--store", path)
    assert refused.exit_code == 2
    assert "Error:" in refused.output
    assert run("verify", "--store", path, "--key-file", key).exit_code == 0
    short = tmp_path / "short.key"
    short.write_text("00" * 15)
    assert "a chain key is at least 16 bytes" in run("verify", "--store", path, "--key-file", short).output


def test_apply_writes_interleaved_cases_in_file_order_within_each(tmp_path, monkeypatch):
    monkeypatch.setattr(_apply, "FLUSH_AFTER", 3)
    lines = [opening(f"ua-{number}") for number in range(4)]
    for day in range(10, 14):
        for number in range(4):
            lines.append(
                record(
                    case_id=f"ua-{number}",
                    role="family",
                    actor_id="olena-k",
                    effective_at=f"2024-03-{day}T00:00:00Z",
                    recorded_at=f"2024-03-{day}T12:00:00Z",
                )
            )
    path = tmp_path / "cases.db"
    result = run("apply", write_lines(tmp_path / "many.jsonl", *lines), "--store", path)
    assert result.exit_code == 0, result.output
    assert "stored 20 changes (4 cases opened)" in result.output
    with cs.store.SQLiteStore(path) as held:
        for number in range(4):
            case = held.load(f"ua-{number}")
            assert [entry.kind for entry in case.trail[1:]] == [
                "transition",
                "corroboration",
                "corroboration",
                "corroboration",
            ]
            assert [entry.recorded_at.day for entry in case.trail[1:]] == [10, 11, 12, 13]


def test_commands_that_only_read_never_create_a_store(tmp_path, monkeypatch):
    made = []

    class Recorder:
        def __init__(self, url, **options):
            made.append((url, options["create"]))
            raise cs.store.NotAStore(f"{url} holds no casestate store (and create=False)")

    monkeypatch.setattr(cs.store, "PostgresStore", Recorder)
    url = "postgresql+psycopg://postgres@127.0.0.1/fresh"
    for command in (["verify"], ["export"], ["show", "ua-1"], ["validate", JSONL]):
        result = run(*command, "--store", url)
        assert result.exit_code == 2
        assert "holds no casestate store" in result.output
    assert run("verify", "--store", tmp_path / "nowhere.db").exit_code == 2
    assert not (tmp_path / "nowhere.db").exists()
    run("apply", JSONL, "--store", url)
    assert made == [(url, False)] * 4 + [(url, True)]


def test_show_refuses_a_case_id_that_is_not_utf8_and_jobs_are_bounded(store):
    # Bytes of a command line that are not UTF-8 arrive as lone surrogates.
    shown = run("show", "\udcff", "--store", store)
    assert shown.exit_code == 2
    assert "is not valid Unicode: a lone surrogate" in shown.output
    assert run("validate", JSONL, "--jobs", "65").exit_code == 2


def _three_cases_stopped_writing(tmp_path, monkeypatch, *, at_case, stop, flush_after):
    """A file opening and changing ua-1 to ua-3, and a store whose first write to *at_case* raises *stop*."""
    lines = [json.dumps(opening(case_id)) for case_id in ("ua-1", "ua-2", "ua-3")]
    lines += [json.dumps(record(case_id)) for case_id in ("ua-1", "ua-2", "ua-3")]
    path = write_lines(tmp_path / "changes.jsonl", *lines)
    monkeypatch.setattr(_apply, "FLUSH_AFTER", flush_after)
    apply = cs.store.SQLiteStore.apply
    stops = []

    def stopped_at_the_case(self, case_id, changes, *, expected_version):
        if case_id == at_case and not stops:
            stops.append(case_id)
            raise stop
        return apply(self, case_id, changes, expected_version=expected_version)

    monkeypatch.setattr(cs.store.SQLiteStore, "apply", stopped_at_the_case)
    return path, tmp_path / "cases.db", stops


def test_apply_per_line_stopped_while_writing_stores_each_change_once(tmp_path, monkeypatch):
    path, store, _ = _three_cases_stopped_writing(
        tmp_path, monkeypatch, at_case="ua-2", stop=KeyboardInterrupt, flush_after=3
    )
    assert run("apply", path, "--store", store, "--per-line").exit_code == 1  # Aborted!
    with cs.store.SQLiteStore(store) as held:
        assert [held.load(case_id).version for case_id in ("ua-1", "ua-2", "ua-3")] == [2, 2, 2]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions, links and named pipes")
def test_export_onto_a_link_a_pipe_or_a_missing_folder(tmp_path, store):
    target = tmp_path / "cases.jsonl"
    target.write_text("the export of yesterday\n")
    target.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    assert run("export", "--store", store, "-o", link).exit_code == 0
    assert link.is_symlink()
    assert len(target.read_text().splitlines()) == 2
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.jsonl"
    assert run("export", "--store", store, "-o", fresh).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask
    missing = run("export", "--store", store, "-o", tmp_path / "nowhere" / "cases.jsonl")
    assert missing.exit_code == 2
    assert "there is no folder" in missing.output
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    assert run("export", "--store", store, "-o", pipe).exit_code == 0
    reader.join(timeout=10)
    assert len(received[0].splitlines()) == 2
    assert pipe.is_fifo()


def test_export_missing_a_source_leaves_the_last_export_as_it_was(tmp_path, store):
    exported = run("export", "--store", store).output
    source = write_lines(tmp_path / "cases.jsonl", *exported.splitlines())
    target = tmp_path / "out.jsonl"
    target.write_text("the export of yesterday\n")
    result = run("export", source, tmp_path / "missing.jsonl", "-o", target)
    assert result.exit_code == 2
    assert "left as it was" in result.output
    assert target.read_text() == "the export of yesterday\n"


def test_export_refuses_to_write_over_its_key_or_workflow(tmp_path, store):
    key = tmp_path / "key.bin"
    key.write_bytes(b"k" * 32)
    result = run("export", "--store", store, "--key-file", key, "-o", key)
    assert result.exit_code == 2
    assert key.read_bytes() == b"k" * 32


def test_apply_stops_when_another_writer_changed_a_case_between_check_and_write(tmp_path, monkeypatch):
    store = tmp_path / "cases.db"
    assert (
        run(
            "apply", write_lines(tmp_path / "open.jsonl", json.dumps(opening("ua-1"))), "--store", store
        ).exit_code
        == 0
    )
    lines = write_lines(tmp_path / "changes.jsonl", json.dumps(opening("ua-2")), json.dumps(record("ua-1")))
    read_twice = _apply._read_twice

    def and_meanwhile_another_writer(files):
        seen = read_twice(files)
        if seen_before:  # the second reading: the check is done, the write to come
            with cs.store.SQLiteStore(store) as other:
                case = other.load("ua-1")
                later = cs.Change(
                    trigger="report_captured",
                    actor=cs.Actor("icrc-1", "icrc"),
                    evidence=[
                        cs.Evidence(
                            "capture_card", "CC-1", "ICRC", case.last_recorded_at + timedelta(days=400)
                        )
                    ],
                    effective_at=case.last_recorded_at + timedelta(days=400),
                    recorded_at=case.last_recorded_at + timedelta(days=400),
                )
                other.apply("ua-1", [later], expected_version=case.version)
        seen_before.append(seen)
        return seen

    seen_before = []
    monkeypatch.setattr(_apply, "_read_twice", and_meanwhile_another_writer)
    result = run("apply", lines, "--store", store)
    assert result.exit_code == 2
    assert "case ua-1: changed in the store while the files were checked; nothing was stored" in result.output
    with cs.store.SQLiteStore(store) as held:
        assert list(held.case_ids()) == ["ua-1"]  # ua-2, opened before the line at fault, is undone
        assert held.load("ua-1").version == 2  # its opening, and the other writer's change


@pytest.mark.parametrize("stop", [KeyboardInterrupt, cs.store.StoreLocked("the disk went away")])
def test_apply_all_or_nothing_stopped_while_writing_stores_nothing_and_can_run_again(
    tmp_path, monkeypatch, stop
):
    # ua-1 and ua-2 are written before the stop, two changes being held at most.
    path, store, stops = _three_cases_stopped_writing(
        tmp_path, monkeypatch, at_case="ua-3", stop=stop, flush_after=2
    )
    assert run("apply", path, "--store", store).exit_code in {1, 2}  # Aborted!, or the store's fault
    assert stops == ["ua-3"]
    with cs.store.SQLiteStore(store) as held:
        assert list(held.case_ids()) == []
        assert list(held.entries()) == []
    result = run("apply", path, "--store", store)
    assert result.exit_code == 0, result.output
    with cs.store.SQLiteStore(store) as held:
        assert [held.load(case_id).version for case_id in ("ua-1", "ua-2", "ua-3")] == [2, 2, 2]


@pytest.fixture
def python_ctrl_c():
    """SIGINT handled by Python's own handler, as in a command run at a terminal; put back afterwards.

    A test run started in the background (``pytest &`` in a script) inherits
    SIGINT ignored, and Python leaves it so: the tests of what apply does with
    the handler it finds set the one they mean instead of taking what the run
    was started with.
    """
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def _ctrl_c_when(monkeypatch, statement):
    """A real Ctrl-C (SIGINT) sent as the store's SQLite connection runs *statement*, once."""
    from casestate.store import _sqlite  # noqa: PLC0415 - the engine's transaction, hooked

    execute = _sqlite._SQLiteTransaction.execute
    sent = []

    def execute_and_interrupt(self, sql, params=None):
        if sql.startswith(statement) and not sent:
            sent.append(sql)
            signal.raise_signal(signal.SIGINT)
        return execute(self, sql, params)

    monkeypatch.setattr(_sqlite._SQLiteTransaction, "execute", execute_and_interrupt)
    return sent


@pytest.mark.skipif(os.name == "nt", reason="a POSIX signal")
@pytest.mark.usefixtures("python_ctrl_c")
def test_apply_interrupted_while_it_commits_stores_everything_and_says_so(tmp_path, monkeypatch):
    path = _good_lines(tmp_path)
    sent = _ctrl_c_when(monkeypatch, "UPDATE positions SET last = :last")  # the block's last statement
    store = tmp_path / "cases.db"
    result = run("apply", path, "--store", store)
    assert sent
    assert result.exit_code == 0, result.output
    assert "interrupted while the changes were committed: all of them were stored" in result.output
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with cs.store.SQLiteStore(store) as held:
        assert held.load("ua-0520").version == 5


@pytest.mark.skipif(os.name == "nt", reason="a POSIX signal")
@pytest.mark.usefixtures("python_ctrl_c")
def test_apply_where_ctrl_c_is_ignored_goes_on_as_a_job_in_the_background_does(tmp_path, monkeypatch):
    path = _good_lines(tmp_path)
    sent = _ctrl_c_when(monkeypatch, "INSERT INTO cases")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = run("apply", path, "--store", tmp_path / "cases.db")
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert sent
    assert result.exit_code == 0, result.output
    assert "interrupted" not in result.output


@pytest.mark.skipif(os.name == "nt", reason="a POSIX signal")
@pytest.mark.usefixtures("python_ctrl_c")
def test_apply_passes_ctrl_c_to_the_apps_own_handler_until_it_commits(tmp_path, monkeypatch):
    path = _good_lines(tmp_path)
    sent = _ctrl_c_when(monkeypatch, "INSERT INTO cases")
    heard = []

    def own(signum, _frame):
        heard.append(signum)

    signal.signal(signal.SIGINT, own)
    try:
        result = run("apply", path, "--store", tmp_path / "cases.db")
        assert signal.getsignal(signal.SIGINT) is own
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert sent
    assert heard == [signal.SIGINT]
    assert result.exit_code == 0, result.output  # the app's handler let the run go on


@pytest.mark.skipif(os.name == "nt", reason="a POSIX signal")
@pytest.mark.usefixtures("python_ctrl_c")
def test_apply_tells_the_apps_own_handler_of_a_ctrl_c_at_the_commit_once_it_is_done(tmp_path, monkeypatch):
    path = _good_lines(tmp_path)
    store = tmp_path / "cases.db"
    sent = _ctrl_c_when(monkeypatch, "UPDATE positions SET last = :last")
    heard = []

    def own(signum, _frame):
        heard.append((signum, cs.store.SQLiteStore(store).find(limit=1) != []))

    signal.signal(signal.SIGINT, own)
    try:
        result = run("apply", path, "--store", store)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert sent
    assert heard == [(signal.SIGINT, True)]  # once, and with every change committed
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(os.name == "nt", reason="a POSIX signal")
def test_apply_under_the_default_action_ends_by_the_signal_and_stores_nothing(tmp_path):
    path = _good_lines(tmp_path)
    store = tmp_path / "cases.db"
    script = f"""
import signal
from casestate.store import _sqlite
from casestate.cli import main
execute = _sqlite._SQLiteTransaction.execute
def interrupted(self, sql, params=None):
    if sql.startswith("INSERT INTO cases"):
        signal.raise_signal(signal.SIGINT)
    return execute(self, sql, params)
_sqlite._SQLiteTransaction.execute = interrupted
signal.signal(signal.SIGINT, signal.SIG_DFL)
main(["apply", {str(path)!r}, "--store", {str(store)!r}])
"""
    done = subprocess.run(  # noqa: S603 - this interpreter, a script written here
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -signal.SIGINT, done.stderr
    with cs.store.SQLiteStore(store) as held:
        assert list(held.case_ids()) == []


@pytest.mark.usefixtures("python_ctrl_c")
def test_apply_off_the_main_thread_leaves_signals_alone(tmp_path):
    """Only the main thread may set a signal handler: an app running apply in a thread still can."""
    results = []
    thread = threading.Thread(
        target=lambda: results.append(run("apply", _good_lines(tmp_path), "--store", tmp_path / "cases.db"))
    )
    thread.start()
    thread.join(60)
    assert results[0].exit_code == 0, results[0].output
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.skipif(os.name == "nt", reason="a POSIX signal")
@pytest.mark.usefixtures("python_ctrl_c")
def test_apply_interrupted_before_it_commits_stores_nothing(tmp_path, monkeypatch):
    path = _good_lines(tmp_path)
    sent = _ctrl_c_when(monkeypatch, "INSERT INTO cases")  # a write inside the block
    store = tmp_path / "cases.db"
    result = run("apply", path, "--store", store)
    assert sent
    assert result.exit_code == 1  # Aborted!
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with cs.store.SQLiteStore(store) as held:
        assert list(held.case_ids()) == []


def test_verify_refuses_an_export_with_a_key_twice(tmp_path, store):
    exported = run("export", "--store", store).output.splitlines()[0]
    forged = exported.replace('"to_status":', '"to_status": "repatriated", "to_status":', 1)
    path = write_lines(tmp_path / "forged.jsonl", forged)
    result = run("verify", path)
    assert result.exit_code == 2
    assert "the key 'to_status' appears twice in one object" in result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_key_or_workflow_file_must_be_a_regular_file(store):
    for option in ("--key-file", "--workflow"):
        result = run("verify", "--store", store, option, "/dev/zero")
        assert result.exit_code == 2
        assert "not a regular file" in result.output


def test_verify_without_the_key_says_so_and_exits_2(tmp_path):
    key = tmp_path / "chain.key"
    key.write_text((b"k" * 32).hex())
    store = tmp_path / "keyed.db"
    with cs.store.SQLiteStore(store, key=b"k" * 32) as keyed:
        keyed.open_case(
            "ua-1", actor=cs.Actor("olena-k", "family"), effective_at=cs_day(0), recorded_at=cs_day(0)
        )
    exported = tmp_path / "keyed.jsonl"
    assert run("export", "--store", store, "--key-file", key, "-o", exported).exit_code == 0
    result = run("verify", exported)
    assert result.exit_code == 2
    assert "the chain is sealed with a key: pass its --key-file" in result.output
    other = tmp_path / "other.key"
    other.write_text((b"o" * 32).hex())
    assert "sealed with another key than --key-file's" in run("verify", exported, "--key-file", other).output


def cs_day(number):
    return datetime(2024, 2, 20, tzinfo=UTC) + timedelta(days=number)


def test_apply_per_line_writes_the_other_cases_when_one_cannot_be_written(tmp_path, monkeypatch):
    store = tmp_path / "cases.db"
    first = write_lines(
        tmp_path / "open.jsonl", *[json.dumps(opening(case_id)) for case_id in ("ua-1", "ua-2", "ua-3")]
    )
    assert run("apply", first, "--store", store).exit_code == 0
    # Changes to cases opened in an earlier run: the writer reads their versions from the store.
    reports = write_lines(
        tmp_path / "reports.jsonl", *[json.dumps(record(case_id)) for case_id in ("ua-1", "ua-2", "ua-3")]
    )
    apply = cs.store.SQLiteStore.apply

    def refusing_the_second_case(self, case_id, changes, *, expected_version):
        if case_id == "ua-2":
            raise cs.store.StoreError("the disk went away under ua-2")
        return apply(self, case_id, changes, expected_version=expected_version)

    monkeypatch.setattr(cs.store.SQLiteStore, "apply", refusing_the_second_case)
    result = run("apply", reports, "--store", store, "--per-line")
    assert result.exit_code == 2
    assert "the disk went away under ua-2" in result.output
    monkeypatch.undo()
    with cs.store.SQLiteStore(store) as held:
        assert [held.load(case_id).version for case_id in ("ua-1", "ua-2", "ua-3")] == [2, 1, 2]


@pytest.mark.parametrize("held_at_most", [10_000, 4])
def test_apply_per_line_commits_once_per_lines_held(tmp_path, monkeypatch, held_at_most):
    path = _good_lines(tmp_path)
    lines = len(path.read_text().splitlines())
    store = tmp_path / "cases.db"
    cs.store.SQLiteStore(store).close()
    monkeypatch.setattr(_apply, "FLUSH_AFTER", held_at_most)
    transaction = cs.store.SQLiteStore._transaction
    writes = []

    def counted(self, *, write):
        writes.extend([write] if write else [])
        return transaction(self, write=write)

    monkeypatch.setattr(cs.store.SQLiteStore, "_transaction", counted)
    result = run("apply", path, "--store", store, "--per-line")
    assert result.exit_code == 0, result.output
    assert len(writes) == -(-lines // held_at_most)  # openings and changes alike, each flush one commit
    monkeypatch.undo()
    with cs.store.SQLiteStore(store) as held:
        assert sum(held.load(case_id).version for case_id in held.case_ids()) == lines


def test_a_key_file_that_cannot_be_read_or_is_too_large_is_a_usage_error(tmp_path, store, monkeypatch):
    missing = run("verify", "--store", store, "--key-file", tmp_path / "nowhere.key")
    assert missing.exit_code == 2
    assert "nowhere.key" in missing.output
    key = tmp_path / "chain.key"
    key.write_text((b"k" * 32).hex())
    monkeypatch.setattr(cs.store._keyfile, "MOST_KEY_FILE_BYTES", 16)
    large = run("verify", "--store", store, "--key-file", key)
    assert large.exit_code == 2
    assert "larger than 16 bytes" in large.output


def test_a_store_fault_before_any_finding_still_leaves_a_json_document(tmp_path):
    store = tmp_path / "keyed.db"
    with cs.store.SQLiteStore(store, key=b"k" * 32):
        pass
    lines = write_lines(tmp_path / "changes.jsonl", json.dumps(opening("ua-1")))
    result = CliRunner().invoke(main, ["apply", str(lines), "--store", str(store), "--format", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"findings": []}


def test_a_sealed_store_opened_without_its_key_names_the_option_and_the_store_once(tmp_path):
    key = tmp_path / "chain.key"
    key.write_text(cs.chain_key_to_text(b"k" * 32))
    store = tmp_path / "sealed.db"
    assert (
        run(
            "apply", write_lines(tmp_path / "f.jsonl", opening()), "--store", store, "--key-file", key
        ).exit_code
        == 0
    )
    refused = run("show", "ua-0173", "--store", store)
    assert refused.exit_code == 2
    assert refused.output == (
        f"Error: {store}: the store's trails are sealed with a key: pass its key file with --key-file\n"
    )
    other = tmp_path / "other.key"
    other.write_text(cs.chain_key_to_text(b"o" * 32))
    wrong = run("show", "ua-0173", "--store", store, "--key-file", other)
    assert (
        wrong.output == f"Error: {store}: the store's trails are sealed with another key than --key-file's\n"
    )
    plain = tmp_path / "plain.db"
    assert run("apply", write_lines(tmp_path / "g.jsonl", opening()), "--store", plain).exit_code == 0
    unsealed = run("show", "ua-0173", "--store", plain, "--key-file", key)
    assert (
        unsealed.output
        == f"Error: {plain}: the store's trails are not sealed with a key: leave out --key-file\n"
    )


def test_a_key_file_of_raw_bytes_is_a_usage_error_that_shows_how_to_convert_it(tmp_path, store):
    key = tmp_path / "chain.key"
    key.write_bytes(b"a secret key of 32 bytes, really\n")
    result = run("verify", "--store", store, "--key-file", key)
    assert result.exit_code == 2
    assert "not a key file: it holds other characters than hexadecimal digits" in result.output
    assert ".hex()" in result.output


def test_a_store_fault_names_the_store_once(tmp_path):
    folder_store = tmp_path / "cases.db"
    folder_store.mkdir()
    result = run("show", "ua-0173", "--store", folder_store)
    assert result.exit_code == 2
    assert result.output.count(str(folder_store)) == 1


@pytest.mark.usefixtures("postgres_schema")  # a server to answer
def test_a_postgresql_fault_names_the_url_once_without_its_password():
    result = run("show", "ua-0173", "--store", "postgresql+psycopg://postgres:s3cret@127.0.0.1:5432/nope")
    assert result.exit_code == 2
    assert result.output.count("127.0.0.1:5432/nope") == 1
    assert "s3cret" not in result.output


def test_the_command_line_without_its_extra_raises_an_import_error_with_the_hint():
    # click blocked as if not installed: an app or a tutorial's interpreter must survive the import.
    script = (
        "import sys\n"
        "sys.modules['click'] = None\n"
        "try:\n"
        "    import casestate.cli\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error, sep=': ')\n"
    )
    command = [sys.executable, "-c", script]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)  # noqa: S603 - this interpreter
    assert result.returncode == 0
    assert (
        result.stdout
        == "ImportError: the casestate command line needs its extra: pip install 'casestate[cli]'\n"
    )


def test_show_says_which_entry_displaced_a_report_waiting_as_a_conflict(tmp_path):
    path = tmp_path / "rivals.db"
    seen = datetime(2024, 3, 1, tzinfo=UTC)
    day_ten = datetime(2024, 3, 10, tzinfo=UTC)

    def report(trigger, actor, kind, recorded):
        proof = [cs.Evidence(kind, f"{kind}/1", "source", recorded)]
        return cs.Change(
            trigger=trigger, actor=actor, evidence=proof, effective_at=day_ten, recorded_at=recorded
        )

    with cs.store.SQLiteStore(path) as held:
        held.open_case("ua-0310", actor=cs.Actor("olena-k", "family"), effective_at=seen, recorded_at=seen)
        notice = report("report_dead", cs.Actor("u-41", "unit"), "unit_notification", day_ten)
        held.apply("ua-0310", [notice], expected_version=1)
        card = report(
            "report_captured", cs.Actor("icrc-cta", "icrc"), "capture_card", day_ten + timedelta(days=1)
        )
        held.apply("ua-0310", [card], expected_version=2)
    result = run("show", "ua-0310", "--store", path, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "open conflict: entry 1, report_dead by unit (displaced by entry 2)" in result.output
    assert "capture_card; displaces entry 1" in result.output  # the trail says it too


def _stored_story(tmp_path, case_id, seen, *changes):
    """A store at *tmp_path* holding case *case_id*, opened when *seen* by his mother, with *changes* applied."""
    path = tmp_path / f"{case_id}.db"
    with cs.store.SQLiteStore(path) as held:
        held.open_case(case_id, actor=cs.Actor("olena-k", "family"), effective_at=seen, recorded_at=seen)
        held.apply(case_id, list(changes), expected_version=1)
    return path


def test_show_says_which_move_contested_a_corroboration_waiting_as_a_conflict(tmp_path):
    # "Still missing" on 12 March, then a death on 10 March learned after it.
    register = told(
        "report_missing", cs.Actor("register", "ministry"), "missing_register", effective=dated(3, 12)
    )
    notice = told(
        "report_dead",
        cs.Actor("u-41", "unit"),
        "unit_notification",
        effective=dated(3, 10),
        recorded=dated(3, 14),
    )
    path = _stored_story(tmp_path, "ua-0312", dated(3, 1), register, notice)
    result = run("show", "ua-0312", "--store", path, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "open conflict: entry 1, report_missing by ministry (contested by entry 2)" in result.output
    assert "unit_notification; contests entries 1" in result.output
    in_russian = run("show", "ua-0312", "--store", path, "--lang", "ru", env={"COLUMNS": "200"})
    assert "оспорено записью 2" in in_russian.output
    assert "оспаривает" in in_russian.output  # the evidence column wraps the rest


def test_show_says_which_move_reconciled_a_conflict(tmp_path):
    # Killed on 1 March; "still missing" on 3 March; taken prisoner on 1 March, as strong as the death.
    notice = told("report_dead", cs.Actor("u-41", "unit"), "unit_notification", effective=dated(3, 1))
    register = told(
        "report_missing",
        cs.Actor("register", "ministry"),
        "missing_register",
        effective=dated(3, 3),
        recorded=dated(3, 4),
    )
    taken = told(
        "report_captured",
        cs.Actor("u-57", "unit"),
        "unit_notification",
        effective=dated(3, 1),
        recorded=dated(3, 5),
    )
    path = _stored_story(tmp_path, "ua-0313", dated(2, 24), notice, register, taken)
    result = run("show", "ua-0313", "--store", path, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "displaces entry 1; reconciles entries 2" in result.output
    assert "entry 2, report_missing" not in result.output  # no longer an open conflict
    in_ukrainian = run("show", "ua-0313", "--store", path, "--lang", "uk", env={"COLUMNS": "200"})
    assert "узгоджує" in in_ukrainian.output


def test_show_tells_a_late_report_of_an_earlier_period_as_that_period(tmp_path):
    # Killed on 2 March; wounded on 25 February, learned later: the trail shows the wound as the
    # period it tells, not as a move from dead back to wounded.
    late = record(
        trigger="report_wounded",
        effective_at="2024-02-25T12:00:00Z",
        recorded_at="2024-03-12T09:00:00Z",
        evidence=[
            {
                "kind": "witness_statement",
                "reference": "statement 7",
                "source": "comrade",
                "obtained_at": "2024-03-12T09:00:00Z",
            }
        ],
    )
    path = write_lines(tmp_path / "late.jsonl", opening(), record(), late)
    db = tmp_path / "cases.db"
    applied = run("apply", path, "--store", db, "--format", "json")
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.output)["summary"]["outcomes"]["earlier_period"] == 1
    shown = run("show", "ua-0173", "--store", db)
    assert shown.exit_code == 0, shown.output
    assert "earlier_period" in shown.output
    assert "from dead" not in shown.output
    true_then = run("show", "ua-0173", "--store", db, "--as-of-effective", "2024-02-28T00:00:00Z")
    assert "(effective clock, as known now): wounded, fate alive" in true_then.output
