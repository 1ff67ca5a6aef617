"""A key given twice in one object of a feed, a PFIF extension or a persons file is refused, never the last taken."""

from click.testing import CliRunner

import casestate as cs
from casestate.cli import main
from casestate.feeds import check_files

TWICE = (
    '{"case_id":"ua-9","trigger":"open","actor_id":"a","role":"family","role":"icrc",'
    '"effective_at":"2024-03-02T00:00:00Z","recorded_at":"2024-03-02T00:00:00Z"}\n'
)


def test_a_feed_line_with_a_key_twice_is_unreadable_in_one_job_or_several(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(TWICE + TWICE.replace('"role":"family",', ""), encoding="utf-8")
    report = check_files([str(feed)], workflow=cs.DEFAULT_WORKFLOW)
    (finding,) = report.findings
    assert finding.number == 1
    assert finding.codes == ["unreadable_line"]
    assert "the key 'role' appears twice in one object" in str(finding.to_dict()["reasons"])
    assert report.summary()["accepted"] == 1
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["validate", "--jobs", jobs, str(feed)])
        assert result.exit_code == 1
        assert "the key 'role' appears twice in one object" in result.output


def test_a_persons_file_with_a_key_twice_is_refused(tmp_path):
    case = cs.DEFAULT_WORKFLOW.open(
        "ua-1",
        actor=cs.Actor("olena", "family"),
        effective_at=cs.parse_timestamp("2024-03-01T00:00:00Z", "effective_at"),
        recorded_at=cs.parse_timestamp("2024-03-02T00:00:00Z", "recorded_at"),
    )
    (tmp_path / "ua-1.json").write_text(cs.to_json(case), encoding="utf-8")
    persons = tmp_path / "persons.json"
    persons.write_text('{"ua-1": {"full_name": "Ivan", "full_name": "Petro"}}', encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "pfif",
            "export",
            str(tmp_path / "ua-1.json"),
            "--persons",
            str(persons),
            "--domain",
            "ngo.example.org",
        ],
    )
    assert result.exit_code != 0
    assert "appears twice" in result.output
