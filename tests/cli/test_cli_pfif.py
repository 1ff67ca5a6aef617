import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from casestate import Role, from_json, to_dict, to_json
from casestate.cli import _pfif, main
from pfif_cases import KEY, all_cases, person_for, story

DATA = Path(__file__).parents[1] / "data" / "pfif"
FINDTHEM = str(DATA / "findthem-1.4.xml")
JULY = "2024-07-01T00:00:00Z"


def run(*arguments: str, code: int = 0):
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == code, result.output
    if code:
        assert "Traceback" not in result.output
    return result


def export(paths, persons, key):
    """The arguments of an export of *paths* (with the key file *key*, if any)."""
    keyed = [] if key is None else ["--key-file", key]
    return ["pfif", "export", *paths, "--persons", persons, "--domain", "ngo.example.org", *keyed]


def _saved(tmp_path, cases):
    """*cases* saved as an app would: one JSON file each, and their persons."""
    paths = []
    for case in cases:
        path = tmp_path / f"{case.id}.json"
        path.write_text(to_json(case), encoding="utf-8")
        paths.append(str(path))
    persons = tmp_path / "persons.json"
    persons.write_text(json.dumps({case.id: person_for(case).fields() for case in cases}), encoding="utf-8")
    return paths, str(persons)


@pytest.fixture
def saved(tmp_path):
    """The sample cases saved as an app would: one JSON file each, and their persons."""
    cases = all_cases()
    paths, persons = _saved(tmp_path, cases)
    key = tmp_path / "chain.key"
    key.write_text(KEY.hex())
    return cases, paths, persons, str(key)


def _import_again(tmp_path, document, *options):
    return run(
        "pfif",
        "import",
        str(document),
        "--cases",
        str(tmp_path / "again.jsonl"),
        "--persons",
        str(tmp_path / "again-persons.json"),
        *options,
        "--recorded-at",
        JULY,
    )


def _cases_again(tmp_path, cases):
    lines = (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()
    return [from_json(line, key=KEY if case.keyed else None) for line, case in zip(lines, cases, strict=True)]


def test_export_then_import_gives_back_the_same_keyed_cases(tmp_path):
    cases = all_cases(key=KEY)
    paths, persons = _saved(tmp_path, cases)
    key = tmp_path / "chain.key"
    key.write_text(KEY.hex())
    document = tmp_path / "out.xml"
    result = run(*export(paths, persons, str(key)), "-o", str(document))
    assert f"{len(cases)} cases written" in result.output
    result = _import_again(tmp_path, document, "--key-file", str(key))
    assert result.output.startswith(f"PFIF 1.4: {len(cases)} cases; notes: ")
    assert "0 records skipped" in result.output
    assert _cases_again(tmp_path, cases) == cases
    persons_again = json.loads((tmp_path / "again-persons.json").read_text(encoding="utf-8"))
    assert persons_again == json.loads(Path(persons).read_text(encoding="utf-8"))


def test_plain_trails_come_back_only_from_a_sender_you_vouch_for(tmp_path):
    cases = [case for case in all_cases() if not case.keyed]
    paths, persons = _saved(tmp_path, cases)
    document = tmp_path / "out.xml"
    run(*export(paths, persons, None), "-o", str(document))
    result = _import_again(tmp_path, document)
    assert "casestate trail was not restored" in result.output
    assert _cases_again(tmp_path, cases) != cases
    (tmp_path / "again.jsonl").unlink()
    (tmp_path / "again-persons.json").unlink()
    result = _import_again(tmp_path, document, "--trust-plain")
    assert result.exit_code == 0, result.output
    assert _cases_again(tmp_path, cases) == cases


def test_trust_plain_and_a_key_file_together_are_a_usage_error(tmp_path, saved):
    _cases, paths, persons, key = saved
    document = tmp_path / "out.xml"
    run(*export(paths, persons, key), "-o", str(document))
    result = run(
        "pfif",
        "import",
        str(document),
        "--cases",
        str(tmp_path / "x.jsonl"),
        "--key-file",
        key,
        "--trust-plain",
        code=2,
    )
    assert "not with --key-file" in result.output


def test_export_reads_json_lines_and_writes_to_stdout(tmp_path, saved):
    cases, _, persons, key = saved
    lines = tmp_path / "cases.jsonl"
    lines.write_text("".join(json.dumps(to_dict(case)) + "\n\n" for case in cases), encoding="utf-8")
    result = run(*export([str(lines)], persons, key), "--redacted")
    assert result.output.startswith("<?xml")
    assert "family-1" not in result.output
    assert result.output.count("<pfif:person ") == len(cases)
    document = tmp_path / "redacted.xml"
    document.write_text(result.output, encoding="utf-8")
    refused = run(
        "pfif", "import", str(document), "--cases", str(tmp_path / "refused.jsonl"), "--key-file", key
    )
    assert "the trail is redacted" in refused.output
    taken = run(
        "pfif",
        "import",
        str(document),
        "--cases",
        str(tmp_path / "taken.jsonl"),
        "--key-file",
        key,
        "--allow-redacted",
    )
    assert f"{len(cases)} cases;" in taken.output


def test_import_writes_a_folder_of_cases_the_persons_and_the_report(tmp_path):
    folder = tmp_path / "cases"
    result = run(
        "pfif",
        "import",
        FINDTHEM,
        "--cases",
        str(folder),
        "--persons",
        str(tmp_path / "p.json"),
        "--report",
        str(tmp_path / "report.json"),
        "--recorded-at",
        JULY,
    )
    # His mother's "still missing" after a comrade's death note is kept as a conflict; his own
    # note, alive with nothing said of where, is kept as evidence of life.
    assert (
        "2 cases; notes: 3 transition, 2 corroboration, 1 conflict, 2 information, "
        "1 evidence_of_life; 0 records skipped" in result.output
    )
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["findthem.example.org_person.4471.json", "findthem.example.org_person.4502.json"]
    case = from_json((folder / names[0]).read_text(encoding="utf-8"))
    assert (case.id, case.status, case.has_conflict) == ("findthem.example.org/person.4471", "dead", True)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    first = report["imported"][0]
    assert (first["origin"], first["status"], first["fate"]) == ("opened", "dead", "dead")
    statuses = [note.get("status") for note in first["information"]]
    assert statuses == ["information_sought", None]
    assert first["information"][0]["source_date"] == "2024-03-02T08:15:00Z"
    assert [note["status"] for note in first["evidence_of_life"]] == ["is_note_author"]
    assert {note["outcome"] for note in report["notes"]} == {
        "transition",
        "corroboration",
        "conflict",
        "information",
        "evidence_of_life",
    }
    persons = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert persons["findthem.example.org/person.4502"]["alternate_names"] == "Dima"


def test_the_skipped_records_are_listed(tmp_path):
    result = run(
        "pfif",
        "import",
        str(DATA / "rough-1.4.xml"),
        "--cases",
        str(tmp_path / "c.jsonl"),
        "--recorded-at",
        JULY,
    )
    assert "10 records skipped" in result.output
    assert "skipped note hasty.example.org/n1: it has no author_name" in result.output


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("rough-1.4.xml", "refused (strict): 10 records would be skipped"),
        ("hostile", "refused: the document has a document type declaration (DTD)"),
        ("truncated", "not well-formed XML (truncated or damaged?)"),
    ],
)
def test_a_refused_document_writes_nothing(tmp_path, document, message):
    path = DATA / document
    if document == "hostile":
        path = tmp_path / "hostile.xml"
        path.write_text('<!DOCTYPE x [<!ENTITY a "b">]><pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"/>')
    elif document == "truncated":
        path = tmp_path / "truncated.xml"
        path.write_bytes((DATA / "findthem-1.4.xml").read_bytes()[:2000])
    result = run(
        "pfif",
        "import",
        str(path),
        "--cases",
        str(tmp_path / "out"),
        "--strict",
        "--report",
        str(tmp_path / "report.json"),
        "--recorded-at",
        JULY,
        code=1,
    )
    assert message in result.output
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "report.json").exists()


def test_an_existing_output_is_never_overwritten(tmp_path):
    (tmp_path / "c.jsonl").write_text("keep me", encoding="utf-8")
    result = run("pfif", "import", FINDTHEM, "--cases", str(tmp_path / "c.jsonl"), code=1)
    assert "exists already" in result.output
    assert (tmp_path / "c.jsonl").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("value", "message"), [("yesterday", "not an ISO 8601 time"), ("2024-07-01T00:00:00", "give a time zone")]
)
def test_recorded_at_must_be_a_time_with_a_zone(tmp_path, value, message):
    result = run("pfif", "import", FINDTHEM, "--cases", str(tmp_path / "c"), "--recorded-at", value, code=2)
    assert message in result.output


def test_an_unknown_trigger_is_a_clear_error(tmp_path):
    result = run(
        "pfif", "import", FINDTHEM, "--cases", str(tmp_path / "c"), "--alive-trigger", "nope", code=1
    )
    assert "unknown trigger 'nope'" in result.output


@pytest.mark.parametrize(
    ("persons", "message"),
    [
        ("[]", "expected an object mapping case ids"),
        ('{"case-missing": "Ivan"}', "expected an object of PFIF person fields"),
        ('{"case-missing": {"full_name": "Ivan", "sex": "M"}}', "sex must be female, male or other"),
        ('{"case-missing": {"full_name": "Ivan", "photo_url": "x"}}', "photo_url"),
        ("{", "not JSON"),
        ("{}", "case 'case-missing': no Person given"),
    ],
)
def test_export_explains_a_bad_persons_file(tmp_path, saved, persons, message):
    _, paths, _, _ = saved
    path = tmp_path / "bad-persons.json"
    path.write_text(persons, encoding="utf-8")
    result = run("pfif", "export", paths[0], "--persons", str(path), "--domain", "ngo.example.org", code=1)
    assert message in result.output


def test_export_explains_a_bad_case_file(tmp_path, saved):
    _, _, persons, _ = saved
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "casestate.case"}\n', encoding="utf-8")
    result = run("pfif", "export", str(bad), "--persons", persons, "--domain", "ngo.example.org", code=1)
    assert f"{bad}:1: version: missing" in result.output


def test_a_keyed_case_needs_its_key(saved):
    _, paths, persons, _ = saved
    keyed = next(path for path in paths if "case-keyed" in path)
    result = run("pfif", "export", keyed, "--persons", persons, "--domain", "ngo.example.org", code=1)
    assert "case-keyed.json" in result.output


def test_notes_about_your_own_cases_go_onto_them(tmp_path):
    confirmed = story(
        "case-7",
        ("report_dead", Role.UNIT, ("unit_notification",), 10),
        ("confirm", Role.FORENSIC_LAB, ("dna_match",), 20),
    )
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps(to_dict(confirmed)) + "\n", encoding="utf-8")
    updates = str(DATA / "tracing-updates-1.4.xml")
    out = tmp_path / "updated.jsonl"
    result = run(
        "pfif",
        "import",
        updates,
        "--cases",
        str(out),
        "--into",
        str(mine),
        "--domain",
        "ngo.example.org",
        "--recorded-at",
        JULY,
    )
    assert "1 conflict" in result.output
    (line,) = out.read_text(encoding="utf-8").splitlines()
    updated = from_json(line)
    assert updated.trail[:3] == confirmed.trail
    assert updated.has_conflict


def test_into_needs_the_domain(tmp_path, saved):
    _, paths, _, _ = saved
    result = run("pfif", "import", FINDTHEM, "--cases", str(tmp_path / "c"), "--into", paths[0], code=2)
    assert "--into needs --domain" in result.output


def test_export_refuses_to_write_over_what_it_reads(saved):
    _, paths, persons, key = saved
    for target in (paths[0], persons, key):
        before = Path(target).read_bytes()
        result = run(*export(paths, persons, key), "-o", target, code=2)
        assert "is one of the files read" in result.output
        assert Path(target).read_bytes() == before


def test_import_checks_every_output_before_it_writes_any(tmp_path):
    same = str(tmp_path / "same.jsonl")
    result = run("pfif", "import", FINDTHEM, "--cases", same, "--report", same, code=2)
    assert "must name different places" in result.output
    missing = str(tmp_path / "nowhere" / "persons.json")
    result = run("pfif", "import", FINDTHEM, "--cases", str(tmp_path / "out"), "--persons", missing, code=2)
    assert "there is no folder" in result.output
    assert list(tmp_path.iterdir()) == []


def test_export_explains_a_case_file_that_is_not_utf8(tmp_path, saved):
    _, _, persons, key = saved
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe{}")
    result = run(*export([str(bad)], persons, key), code=1)
    assert "not UTF-8" in result.output


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(_pfif, "MAX_BYTES", 100)
    result = run("pfif", "import", FINDTHEM, "--cases", str(tmp_path / "out"), code=1)
    assert "more than the limit of 100" in result.output
    assert not (tmp_path / "out").exists()


def test_import_makes_the_folder_of_cases_with_its_parents(tmp_path):
    run("pfif", "import", FINDTHEM, "--cases", str(tmp_path / "2024" / "07" / "cases"))
    assert list((tmp_path / "2024" / "07" / "cases").glob("*.json"))


def test_import_reads_a_person_finder_feed_with_the_domains_and_triggers_given(tmp_path):
    feed = str(DATA / "personfinder-person-feed-1.3.xml")
    arguments = ["pfif", "import", feed, "--recorded-at", JULY, "--alive-trigger", "none"]
    result = run(*arguments, "--cases", str(tmp_path / "a.jsonl"), "--report", str(tmp_path / "a.json"))
    assert "PFIF 1.3: 2 cases" in result.output
    assert "expired at 2024-05-01T00:00:00Z" in result.output
    report = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    petro = report["imported"][1]
    assert (petro["status"], [note["status"] for note in petro["evidence_of_life"]]) == (
        "missing",
        ["believed_alive"],
    )
    trusted = run(*arguments, "--cases", str(tmp_path / "b.jsonl"), "--trust-domain", "tracing.example.net")
    assert "PFIF 1.3: 0 cases" in trusted.output
    assert "is not one of the trusted domains" in trusted.output
    wounded = run(*arguments, "--cases", str(tmp_path / "c.jsonl"), "--life-trigger", "report_wounded")
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["entries"][-1]["to_status"] for line in lines] == ["wounded", "wounded"]
    assert "0 evidence_of_life" not in wounded.output


def test_a_bad_trusted_domain_is_a_clear_error(tmp_path):
    result = run(
        "pfif", "import", FINDTHEM, "--cases", str(tmp_path / "c"), "--trust-domain", "not a domain", code=1
    )
    assert "trusted_domains must hold domain names" in result.output
    assert not (tmp_path / "c").exists()
