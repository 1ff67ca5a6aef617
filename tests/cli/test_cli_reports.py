"""Findings are reported as they come: ``--format json`` is one document whatever the number of lines."""

import io
import json

import pytest
from rich.console import Console

from casestate.cli._reports import JsonReport, TextReport, finding_markup
from casestate.feeds import Finding
from support import opening, record, run, write_lines


def test_thousands_of_findings_make_one_document_with_the_summary_last(tmp_path):
    lines = [opening()] + [record(trigger="confirm", role="family") for _ in range(2500)] + ["{not json"]
    result = run("validate", write_lines(tmp_path / "many.jsonl", *lines), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert list(report) == ["findings", "summary"]
    assert [item["line"] for item in report["findings"]] == list(range(2, 2503))
    assert report["findings"][-1]["codes"] == ["unreadable_line"]
    assert report["summary"]["rejected"] == len(report["findings"]) == 2501
    assert result.output.count("\n") == 1


def test_a_run_without_findings_still_lists_them(tmp_path):
    result = run("validate", write_lines(tmp_path / "one.jsonl", opening()), "--format", "json")
    assert result.exit_code == 0
    assert result.output.startswith('{"findings": [], "summary": {"lines": 1, "accepted": 1,')


def test_apply_adds_what_it_stored_after_the_summary(tmp_path):
    changes = write_lines(tmp_path / "changes.jsonl", opening(), record(trigger="confirm", role="family"))
    result = run("apply", changes, "--store", tmp_path / "cases.db", "--per-line", "--format", "json")
    report = json.loads(result.output)
    assert list(report) == ["findings", "summary", "stored", "opened"]
    assert (report["stored"], report["opened"], len(report["findings"])) == (1, 1, 1)


def _finding(number):
    return Finding("changes.jsonl", number, "ua-0173", "rejected", (("unreadable_line", "not JSON"),))


def test_a_report_stopped_by_a_fault_still_reads_as_json(capsys):
    report = JsonReport()
    for number in range(1500):
        report.add(_finding(number))
    written = capsys.readouterr().out
    assert written.startswith('{"findings": [{"file": "changes.jsonl", "line": 0,')  # a thousand, written
    report.abandon()  # writes the findings it holds, and ends the document without a summary
    document = json.loads(written + capsys.readouterr().out)
    assert document == {"findings": [_finding(number).to_dict() for number in range(1500)]}


def test_a_report_stopped_before_it_wrote_anything_still_writes_the_findings_so_far(capsys):
    report = JsonReport()
    report.add(_finding(1))
    report.abandon()
    assert json.loads(capsys.readouterr().out) == {"findings": [_finding(1).to_dict()]}
    report.abandon()  # once ended, a report writes nothing more
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "finding",
    [
        _finding(7),
        Finding(
            'dir/ch\u00e4nges "1".jsonl',
            3,
            None,
            "rejected",
            (("invalid_record", "effective_at: \u2028\n\t"),),
            "x",
        ),
        Finding("f\udcff.jsonl", 0, "ua-\u0436", "conflict", (("a", "b"), ("c", "d\\"))),
        Finding("f.jsonl", 1, "", "rejected", ()),
    ],
)
def test_a_finding_written_as_json_is_its_dict_encoded(finding):
    assert finding.to_json() == json.dumps(finding.to_dict(), ensure_ascii=False)


TRICKY = [
    Finding("a[b].jsonl", 1, "ua-[red]1[/red]", "rejected", (("invalid_record", "x: ends in \\"),), "x"),
    Finding("f.jsonl", 2, None, "conflict", (("illegal_transition", ":smile: [bold]\\[not] \r\x07"),)),
    Finding("f.jsonl", 3, "ua-3\\", "rejected", (("a", "b\\"), ("c", "[/]"))),
]


def _printed(print_all):
    stream = io.StringIO()
    console = Console(file=stream, highlight=False, soft_wrap=True, no_color=True, width=160)
    print_all(console)
    return stream.getvalue()


def test_findings_printed_together_read_as_printed_one_by_one():
    def one_by_one(console):
        for finding in TRICKY:
            for markup in finding_markup(finding):
                console.print(markup)

    def together(console):
        report = TextReport(console, rejected_only=False)
        for finding in TRICKY:
            report.add(finding)
        report.flush()

    assert _printed(together) == _printed(one_by_one)
    assert _printed(together).count("\n") == 7


def test_quiet_text_prints_only_the_rejected_findings():
    def quiet(console):
        report = TextReport(console, rejected_only=True)
        for finding in TRICKY:
            report.add(finding)
        report.flush()

    assert [line.split(":")[1] for line in _printed(quiet).splitlines() if line[0] != " "] == ["1", "3"]
