"""The command line against a hostile integrator: key downgrades, leaks, escapes, formulas, faults of the system."""

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import casestate as cs
from casestate.cli import main

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
JSONL = EXAMPLES / "changes.jsonl"
ROUGH_PFIF = Path(__file__).parent.parent / "data" / "pfif" / "rough-1.4.xml"
HOSTILE = Path(__file__).parent.parent / "data" / "hostile"
RAW_CONTROLS = ("\x1b", "\x00", "\x07", "\x9b")


def run(*args):
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def casestate(*args, limit_file_bytes=None, stdout=subprocess.PIPE):
    """The installed command as a process; with *limit_file_bytes*, no file it writes grows past that."""

    def limited():
        if limit_file_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))

    command = Path(sys.executable).parent / "casestate"
    env = dict(os.environ)
    if limit_file_bytes is not None:
        # Under --cov the child would write its coverage data on exit, past the limit, and say so
        # with a traceback of coverage's own: measure that child not at all.
        env = {name: value for name, value in env.items() if not name.startswith("COVERAGE_")}
    return subprocess.run(  # noqa: S603 - the installed command; the limit is set in the child only
        [str(command), *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=60,
        preexec_fn=limited,
        env=env,
    )


def key_file(tmp_path, name="chain.key"):
    path = tmp_path / name
    path.write_bytes(os.urandom(24).hex().encode())
    return path


# -- 3: a sealed store or export rewritten as plain chains -------------------------------


@pytest.fixture
def plain_store(tmp_path):
    """A store whose trails are plain chains, as a store sealed with a key looks once rewritten as plain."""
    store = tmp_path / "plain.db"
    assert run("apply", JSONL, "--store", store, "--per-line", "--quiet").exit_code == 1
    return store


def test_verify_with_a_key_reports_a_plain_store_broken_not_a_usage_error(tmp_path, plain_store):
    result = run("verify", "--store", plain_store, "--key-file", key_file(tmp_path), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["intact"] == 0
    assert report["cases"] == len(report["broken"]) > 0
    assert {item["problem"] for item in report["broken"]} == {"not_sealed"}


def test_verify_with_a_key_reports_plain_exported_files_broken(tmp_path, plain_store):
    exported = tmp_path / "plain.jsonl"
    assert run("export", "--store", plain_store, "-o", exported).exit_code == 0
    result = run("verify", exported, "--key-file", key_file(tmp_path))
    assert result.exit_code == 1
    assert "not sealed with a key" in result.output
    assert " 0 intact" in result.output


def test_export_with_a_key_exports_no_plain_trail(tmp_path, plain_store):
    target = tmp_path / "out.jsonl"
    result = run("export", "--store", plain_store, "--key-file", key_file(tmp_path), "-o", target)
    assert result.exit_code == 1
    assert target.read_text() == ""
    assert "not exported" in result.output


def test_verify_never_calls_a_store_sealed_with_another_key_intact(tmp_path):
    store = tmp_path / "sealed.db"
    assert (
        run("apply", JSONL, "--store", store, "--per-line", "-q", "--key-file", key_file(tmp_path)).exit_code
        == 1
    )
    for extra in ((), ("--key-file", key_file(tmp_path, "other.key"))):
        result = run("verify", "--store", store, *extra)
        assert result.exit_code == 2
        assert "intact" not in result.output
        assert "sealed with" in result.output


# -- 6: passwords ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres:S3cret-pw@127.0.0.1:5999/test",  # no server there
        "postgresql+psycopg://postgres:S3cret-pw@[::1:5432/test",  # not a URL SQLAlchemy reads
        "postgresql://127.0.0.1:5999/test?password=S3cret-pw",
    ],
)
@pytest.mark.parametrize("command", [["verify"], ["show", "ua-1"], ["export"], ["validate", JSONL]])
def test_no_command_prints_the_password_of_a_store_url(url, command):
    result = run(*command, "--store", url)
    assert result.exit_code == 2
    assert "S3cret" not in result.output
    assert "***" in result.output


# -- 7: terminal escapes ----------------------------------------------------------------------


def test_validate_and_show_print_no_control_character_raw(tmp_path):
    store = tmp_path / "cases.db"
    opening = {
        "case_id": "ua-esc",
        "trigger": "open",
        "actor_id": "olena-k",
        "role": "family",
        "effective_at": "2024-03-20T00:00:00Z",
        "recorded_at": "2024-03-25T10:00:00Z",
        "reason": "seen \x1b[2J\x1b]0;owned\x07 there",
    }
    stored = tmp_path / "opening.jsonl"
    stored.write_text(json.dumps(opening) + "\n")
    hostile = HOSTILE / "escapes.jsonl"
    results = [run("validate", hostile), run("apply", stored, "--store", store)]
    results.append(run("show", "ua-esc", "--store", store))
    results.append(run("show", "ua-\x1b[2J", "--store", store))
    for result in results:
        assert not any(char in result.output for char in RAW_CONTROLS), result.output
    assert "\\x1b[2J" in results[0].output
    assert results[2].exit_code == 0
    assert "seen \\x1b[2J\\x1b]0;owned\\x07 there" in results[2].output  # the reason, as its escapes
    assert results[3].exit_code == 2


def test_a_file_name_with_escapes_is_shown_escaped(tmp_path):
    path = tmp_path / "changes\x1b]0;owned\x07.jsonl"
    path.write_text("")
    for command in (["validate", path], ["verify", path], ["export", path]):
        result = run(*command)
        assert result.exit_code == 2
        assert "\x1b" not in result.output
        assert "\\x1b]0;owned\\x07" in result.output


# -- 10 and 14: CSV for spreadsheets --------------------------------------------------------


FORMULAS = [
    '=HYPERLINK("https://evil.example","open")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'=x",
    "''",
    "'tis",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_csv_row_runs_no_formula_and_reads_back_as_written(text):
    record = {
        "case_id": "ua-1",
        "trigger": "dismiss",
        # A tab or CR at the start of an id would make it look like another: refused as an id.
        "actor_id": "hotline-7" if text[0] in "\t\r" else text,
        "role": "ngo",
        "effective_at": "2024-03-02T12:00:00+00:00",
        "recorded_at": "2024-03-02T12:00:00+00:00",
        "reason": text,
        "resolves": [3],
        "evidence": [
            {"kind": "video", "reference": text, "source": text, "obtained_at": "2024-03-02T12:00:00+00:00"}
        ],
    }
    row = cs.record_to_csv_row(record)
    for cell in row.values():
        assert cell[:1] not in set("=+-@\t\r"), cell
    case_id, change = cs.change_from_csv_row(row)
    assert cs.change_to_record(case_id, change) == record


@pytest.mark.parametrize("cell", ["²", "①", "3 ²", "٣"])
def test_a_resolves_cell_of_unicode_digits_is_a_record_error(cell):
    row = dict.fromkeys(cs.csv_columns(0), "")
    row.update(case_id="ua-1", trigger="dismiss", actor_id="ngo-1", role="ngo", resolves=cell)
    row.update(effective_at="2024-03-02T12:00:00+00:00", recorded_at="2024-03-02T12:00:00+00:00")
    with pytest.raises(cs.RecordError) as raised:
        cs.change_from_csv_row(row)
    assert raised.value.field == "resolves"


def test_validate_rejects_a_resolves_cell_of_unicode_digits():
    result = run("validate", HOSTILE / "resolves-superscript.csv", "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert finding["codes"] == ["invalid_record"]
    assert finding["field"] == "resolves"


# -- 15: faults of the system ---------------------------------------------------------------


def clear_fault(result, code, *said):
    assert result.returncode == code, result.stderr
    assert "Traceback" not in (result.stdout or "") + result.stderr
    for words in said:
        assert words in result.stderr


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_fails_to_read_is_reported_not_raised():
    clear_fault(casestate("validate", "/proc/self/mem"), 2)
    clear_fault(casestate("verify", "/proc/self/mem"), 2)
    clear_fault(casestate("pfif", "import", "/proc/self/mem", "--cases", "/nonexistent/x"), 2)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command",
    [["validate", JSONL], ["validate", JSONL, "--format", "json"], ["graph"], ["verify", JSONL]],
)
def test_standard_output_on_a_full_device_is_a_clear_error(command):
    with Path("/dev/full").open("w") as full:
        result = casestate(*command, stdout=full)
    clear_fault(result, 2, "standard output: No space left on device")
    assert "Exception ignored" not in result.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux's /proc")
def test_export_into_a_folder_that_takes_no_file_is_a_clear_error(tmp_path):
    exported = tmp_path / "cases.jsonl"
    exported.write_text(run("export", "--store", demo_store(tmp_path)).output)
    clear_fault(casestate("export", exported, "-o", "/proc/cases.jsonl"), 2, "/proc/cases.jsonl")


def demo_store(tmp_path):
    store = tmp_path / "demo.db"
    assert run("demo", "--path", store).exit_code == 0
    return store


def test_export_onto_a_full_disk_leaves_the_old_file(tmp_path):
    exported = tmp_path / "cases.jsonl"
    exported.write_text(run("export", "--store", demo_store(tmp_path)).output)
    target = tmp_path / "old.jsonl"
    target.write_text("the export before\n")
    result = casestate("export", exported, "-o", target, limit_file_bytes=1024)
    clear_fault(result, 2, f"{target}: File too large")
    assert target.read_text() == "the export before\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_pfif_import_of_a_person_id_too_long_for_a_file_name(tmp_path):
    text = ROUGH_PFIF.read_text().replace("hasty.example.org/p1<", f"hasty.example.org/{'p' * 300}<")
    document = tmp_path / "long.xml"
    document.write_text(text)
    result = run("pfif", "import", document, "--cases", tmp_path / "cases")
    assert result.exit_code == 0, result.output
    [written] = (tmp_path / "cases").iterdir()
    assert len(written.name.encode()) < 255
    assert cs.from_json(written.read_text()).id.endswith("p" * 300)
