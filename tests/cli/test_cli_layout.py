"""What a reader sees in a terminal of 80 or 120 columns, and times with their zone."""

from __future__ import annotations

import json
import re

import pytest

from support import EXAMPLES, in_a_terminal, opening, record, run, run_installed, write_lines

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert run("demo", "--path", path).exit_code == 0
    return path


def _lines(shown: str) -> list[str]:
    return ESCAPES.sub("", shown).splitlines()


@pytest.mark.parametrize("columns", [80, 120])
def test_show_fits_the_terminal_and_cuts_nothing(demo_store, columns) -> None:
    status, shown = in_a_terminal("show", "ua-0520", "--store", demo_store, columns=columns)
    assert status == 0
    lines = _lines(shown)
    assert max(map(len, lines[2:])) <= columns  # the status line above may wrap, as text does
    assert "…" not in shown
    text = " ".join(" ".join(lines).split())
    for said in ("2024-07-03", "12:00 UTC", "mothers-committee", "report_captured", "illegal_transition"):
        assert said in text
    reason = "the man on the video is not him: another tattoo"
    assert set(reason.split(" ")) <= set(text.split(" "))  # wrapped in its column, but whole


def test_at_120_columns_show_is_a_table_with_every_column(demo_store) -> None:
    _, shown = in_a_terminal("show", "ua-0520", "--store", demo_store, columns=120)
    header = next(line for line in _lines(shown) if line.startswith("#"))
    assert header.split() == [
        "#",
        "change",
        "status",
        "fate",
        "by",
        "effective",
        "recorded",
        "evidence",
        "/",
        "reason",
    ]


def test_at_80_columns_show_lists_each_entry(demo_store) -> None:
    _, shown = in_a_terminal("show", "ua-0520", "--store", demo_store, columns=80)
    lines = _lines(shown)
    assert "2 confirm (transition): dead -> confirmed, fate dead, identified" in lines
    assert "   by forensic_lab: forensic-lab-3" in lines
    assert "   effective 2024-06-01 12:00 UTC, recorded 2024-06-01 12:00 UTC" in lines


@pytest.mark.parametrize("columns", [80, 120])
def test_the_demo_fits_the_terminal_and_cuts_nothing(columns, tmp_path) -> None:
    status, shown = in_a_terminal("demo", "--path", tmp_path / "demo.db", columns=columns)
    assert status == 0
    assert "…" not in shown
    text = " ".join(" ".join(_lines(shown)).split())
    assert "refused after entry 1: confirm by ministry: mod-records, effective 2024-03-11 12:00 UTC" in text
    assert "capture_card" in text


def test_times_are_shown_in_the_zone_asked_for_with_their_offset(demo_store) -> None:
    shown = run("show", "ua-0520", "--store", demo_store, "--tz", "Europe/Kyiv").output
    assert "since 2024-06-01 15:00 +03:00" in shown  # summer time
    assert "14:00 +02:00" in shown  # the opening, in winter
    fixed = run("show", "ua-0520", "--store", demo_store, "--tz", "-05:30").output
    assert "since 2024-06-01 06:30 -05:30" in fixed
    assert "since 2024-06-01 12:00 UTC" in run("show", "ua-0520", "--store", demo_store).output


def test_a_midnight_given_with_an_offset_shows_as_that_day_in_its_zone(tmp_path) -> None:
    store = tmp_path / "cases.db"
    opened = {**opening(), "effective_at": "2024-02-01T00:00:00+02:00"}
    assert run("apply", write_lines(tmp_path / "f.jsonl", opened), "--store", store).exit_code == 0
    assert "2024-02-01 00:00 +02:00" in run("show", "ua-0173", "--store", store, "--tz", "+02:00").output
    assert "2024-01-31 22:00 UTC" in run("show", "ua-0173", "--store", store).output


def test_json_times_are_in_the_zone_asked_for(demo_store) -> None:
    data = json.loads(
        run("show", "ua-0520", "--store", demo_store, "--tz", "+02:00", "--format", "json").output
    )
    assert data["status_since"] == "2024-06-01T14:00:00+02:00"


def test_an_unknown_zone_is_a_usage_error_that_says_what_a_zone_is(demo_store) -> None:
    result = run("show", "ua-0520", "--store", demo_store, "--tz", "Mars/Olympus")
    assert result.exit_code == 2
    assert "'Mars/Olympus' is not a zone: give UTC, an offset such as +02:00" in result.output
    assert run("show", "ua-0520", "--store", demo_store, "--tz", "local").exit_code == 0


def test_as_of_effective_answers_first_then_says_where_the_case_stands_now(demo_store) -> None:
    lines = run(
        "show", "ua-0201", "--store", demo_store, "--as-of-effective", "2024-03-10T00:00:00Z"
    ).output.splitlines()
    assert lines[0] == "ua-0201"
    # The death report was withdrawn once he was seen alive: as known now, he was missing then.
    assert lines[1].startswith(
        "  at 2024-03-10 00:00 UTC (effective clock, as known now): missing, fate unknown"
    )
    assert lines[2].startswith("  now: status repatriated")


def test_validate_reads_standard_input_from_a_dash() -> None:
    text = (EXAMPLES / "changes.jsonl").read_text(encoding="utf-8")
    result = run_installed("validate", "-", stdin=text)
    assert result.returncode == 1
    assert "25 lines: 15 accepted (1 kept as conflicts), 10 rejected" in result.stdout


def test_a_pretty_printed_json_array_is_told_to_be_one_object_a_line(tmp_path) -> None:
    pretty = tmp_path / "feed.json"
    pretty.write_text(json.dumps([opening()], indent=2))
    result = run("validate", pretty)
    assert (
        result.output.count("a change file holds one JSON object per line (JSON Lines), not a JSON array")
        == 10
    )
    array = write_lines(tmp_path / "array.jsonl", json.dumps([opening()]))
    told = run("validate", array).output
    assert "expected a JSON object, got list; a change file holds one JSON object per line" in told
    assert "1 line: 0 accepted" in told


def test_one_of_a_thing_is_said_in_the_singular(tmp_path) -> None:
    result = run("apply", write_lines(tmp_path / "f.jsonl", opening()), "--store", tmp_path / "c.db")
    assert "1 line: 1 accepted" in result.output
    assert "stored 1 change (1 case opened)" in result.output


def test_local_time_takes_the_machines_offset_at_each_time_summer_or_winter(demo_store) -> None:
    result = run_installed(
        "show", "ua-0520", "--store", demo_store, "--tz", "local", TZ="Europe/Kyiv", COLUMNS="80"
    )
    assert result.returncode == 0
    assert "since 2024-06-01 15:00 +03:00" in result.stdout
    assert "effective 2024-02-20 14:00 +02:00" in result.stdout


def test_validate_names_the_times_of_its_reasons_in_the_zone_asked_for(tmp_path) -> None:
    late = record(effective_at="2024-04-01T00:00:00+02:00", recorded_at="2024-03-31T23:00:00+02:00")
    feed = write_lines(tmp_path / "f.jsonl", opening(), late)
    told = run("validate", feed, "--tz", "+02:00").output
    assert (
        "effective at 2024-04-01T00:00:00+02:00, after it was recorded at 2024-03-31T23:00:00+02:00" in told
    )
    assert "effective at 2024-03-31T22:00:00.000000Z" in run("validate", feed).output
    data = json.loads(run("validate", feed, "--tz", "+02:00", "--format", "json").output)
    assert (
        "2024-03-31T22:00:00.000000Z" in data["findings"][0]["reasons"][0]["message"]
    )  # machines: as written
