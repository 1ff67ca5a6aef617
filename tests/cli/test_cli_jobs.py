"""``validate --jobs N``: the same findings and summary as one process, whatever the input."""

import io
import json
import os
import pickle
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import casestate as cs
from casestate.feeds import WorkerFault, _parallel
from casestate.feeds._routing import case_named_in, owner_of
from support import CSV, JSONL, on_a_terminal, opening, record, run, run_installed, write_lines


def _same_in_every_way(*args):
    """validate with one process and with two and three: output and exit status identical."""
    alone = run("validate", *args)
    for jobs in (2, 3):
        shared = run("validate", *args, "--jobs", jobs)
        assert (shared.exit_code, shared.output) == (alone.exit_code, alone.output), f"--jobs {jobs}"
    return alone


def _mixed_file(path, cases=40, seed=3):
    """Interleaved stories of many cases, with good, refused and malformed lines of every kind."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable mix, not a secret
    lines = [json.dumps(opening(f"ua-{number:03d}")).encode() for number in range(cases)]
    for day in range(3, 12):
        for number in rng.sample(range(cases), cases // 2):
            role = rng.choice(["unit", "family", "ngo", "journalist"])
            trigger = rng.choice(["report_dead", "report_captured", "confirm", "promote"])
            stamp = f"2024-03-{day:02d}T09:00:00Z"
            line = record(
                case_id=f"ua-{number:03d}",
                trigger=trigger,
                role=role,
                effective_at=stamp,
                recorded_at=stamp,
            )
            line["evidence"][0]["obtained_at"] = stamp
            lines.append(
                json.dumps(line, separators=rng.choice([(",", ":"), (", ", ": "), (" , ", " : ")])).encode()
            )
    case = "ua-001"
    lines += [
        b"",  # blank lines are skipped
        b"   ",
        b"\xff\xfe not UTF-8",
        b'{"case_id": "ua-002", "trigger": "report_dead"',  # bad JSON
        json.dumps(record(case_id=case))
        .replace('"ua-001"', '"ua-\\u0030\\u00301"')
        .encode(),  # an escaped id
        json.dumps(record(case_id=case, evidence=[{"case_id": case}])).encode(),  # named twice
        b'{"case_id": "ua-003", "case_id": "ua-004", "trigger": "open"}',  # a repeated key
        json.dumps({key: value for key, value in record().items() if key != "case_id"}).encode(),
        json.dumps({**record(case_id="ua-005"), "case_id": 5}).encode(),
        b"x" * 3000,  # longer than --max-line-bytes below
        json.dumps(record(case_id="ua-006", role="family")).encode() + b"\r",  # a CRLF line
        b'["not", "an", "object"]',
        json.dumps(opening("ua-\u00e9\u4e2d")).encode("utf-8"),  # a case id beyond ASCII, unescaped
        json.dumps(record(case_id="ua-\u00e9\u4e2d", role="family"), ensure_ascii=False).encode("utf-8"),
    ]
    rng.shuffle(lines[cases:])
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("output", [[], ["--format", "json"], ["--quiet"]])
def test_shared_out_cases_give_the_same_report_as_one_process(tmp_path, output):
    path = _mixed_file(tmp_path / "mixed.jsonl")
    alone = _same_in_every_way(path, "--max-line-bytes", 2048, *output)
    assert alone.exit_code == 1


def test_several_files_the_same_one_twice_and_an_empty_one(tmp_path):
    first = _mixed_file(tmp_path / "first.jsonl", seed=1)
    second = _mixed_file(tmp_path / "second.jsonl", cases=12, seed=2)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    alone = _same_in_every_way(first, empty, second, first, "--format", "json")
    assert alone.exit_code == 2  # a file could not be read
    summary = json.loads(alone.output)["summary"]
    assert [item["file"] for item in summary["unreadable_files"]] == [str(empty)]


def test_csv_files_are_checked_in_one_process_with_the_same_result():
    _same_in_every_way(CSV)
    _same_in_every_way(JSONL, CSV, "--format", "json")


def test_cases_shared_out_continue_from_a_store(tmp_path):
    store = tmp_path / "cases.db"
    openings = write_lines(tmp_path / "open.jsonl", *(opening(f"ua-{number:03d}") for number in range(40)))
    assert run("apply", openings, "--store", store).exit_code == 0
    path = _mixed_file(tmp_path / "mixed.jsonl")
    alone = _same_in_every_way(path, "--store", store, "--format", "json")
    assert json.loads(alone.output)["summary"]["rejected_by_code"]["case_exists"] >= 40


def test_a_bad_store_is_reported_before_any_worker_starts(tmp_path, monkeypatch):
    def start(task):
        raise AssertionError(f"worker {task.job} was started")

    monkeypatch.setattr(_parallel, "_start", start)
    missing = run("validate", JSONL, "--store", tmp_path / "missing.db", "--jobs", 2)
    assert missing.exit_code == 2
    assert f"{tmp_path / 'missing.db'}: no such store" in missing.output


def test_a_worker_that_fails_ends_the_run_with_status_2(tmp_path, monkeypatch):
    def fail(workers, places, _bar):
        for place in places:
            place.with_suffix(".tally").unlink(missing_ok=True)
        for worker in workers:
            worker.kill()
            worker.wait()

    monkeypatch.setattr(_parallel, "_wait", fail)
    result = run("validate", _mixed_file(tmp_path / "mixed.jsonl"), "--jobs", 2)
    assert result.exit_code == 2
    assert "a checking process stopped unexpectedly (exit status -9)" in result.output


def test_the_progress_bar_follows_the_workers_on_a_terminal():
    result, shown = on_a_terminal("validate", JSONL, "--jobs", "2")
    assert result.returncode == 1
    assert "kB" in shown
    _, quiet = on_a_terminal("validate", JSONL, "--jobs", "2", "--quiet")
    assert quiet == ""


def test_a_fault_in_a_worker_reaches_the_user_as_it_was(tmp_path):
    place = tmp_path / "job-0"
    fault = click.ClickException("the store went away")
    place.with_suffix(".fault").write_bytes(pickle.dumps((fault, "Traceback ...")))
    with pytest.raises(click.ClickException, match="the store went away"):
        _parallel._raise_fault(_Ended(1), place)


def test_an_unexpected_fault_in_a_worker_says_where_it_happened(tmp_path):
    place = tmp_path / "job-0"
    place.with_suffix(".fault").write_bytes(pickle.dumps((KeyError("x"), "in the worker: line 7")))
    with pytest.raises(KeyError) as raised:
        _parallel._raise_fault(_Ended(1), place)
    assert "in the worker: line 7" in raised.value.__notes__[-1]


def test_a_worker_that_died_is_a_clear_error_with_its_last_words(tmp_path):
    place = tmp_path / "job-0"
    place.with_suffix(".err").write_text("Traceback (most recent call last):\nMemoryError\n")
    with pytest.raises(WorkerFault, match=r"exit status -9\): .*MemoryError"):
        _parallel._raise_fault(_Ended(-9), place)
    with pytest.raises(WorkerFault, match="ended without its result"):
        _parallel._tally(_Ended(0), place)


def test_a_fault_that_does_not_unpickle_is_still_a_clear_error(tmp_path):
    place = tmp_path / "job-0"
    place.with_suffix(".fault").write_bytes(b"garbage")
    with pytest.raises(WorkerFault, match="its fault cannot be read"):
        _parallel._raise_fault(_Ended(1), place)


def test_a_fault_in_a_worker_is_written_down_with_where_it_happened(tmp_path):
    place = tmp_path / "job-0"
    task = _parallel.Task(
        0, 2, (str(tmp_path / "x.jsonl"),), None, "not a workflow", None, None, 4096, place, 1
    )
    (tmp_path / "x.jsonl").write_text("{}\n")
    place.with_suffix(".progress").write_bytes(bytes(8))
    assert _parallel.work(io.BytesIO(pickle.dumps(task))) == 1
    fault, where = pickle.loads(place.with_suffix(".fault").read_bytes())  # noqa: S301 - written just above
    assert isinstance(fault, cs.WorkflowError)
    assert "Traceback" in where
    assert "workflow_from_json" in where


class _Ended:
    def __init__(self, returncode):
        self.returncode = returncode

    def poll(self):
        return self.returncode


def test_streams_and_csv_are_checked_in_one_process(tmp_path):
    assert _parallel.can_share((str(JSONL),), None)
    assert not _parallel.can_share((str(JSONL), str(CSV)), None)
    assert not _parallel.can_share(("/dev/stdin",), None)
    assert not _parallel.can_share((str(tmp_path / "missing.jsonl"),), None)


def test_a_pipe_is_read_in_one_process_with_the_same_result():
    lines = JSONL.read_text()
    alone = run_installed("validate", "/dev/stdin", stdin=lines)
    shared = run_installed("validate", "/dev/stdin", "--jobs", "2", stdin=lines)
    assert alone.returncode == 1
    assert "/dev/stdin:3: case ua-0173: rejected" in alone.stdout
    assert (shared.returncode, shared.stdout) == (alone.returncode, alone.stdout)
    assert "Traceback" not in alone.stderr + shared.stderr


def test_a_custom_workflow_reaches_the_workers(tmp_path):
    definition = tmp_path / "workflow.json"
    definition.write_text(run("graph", "--format", "json").output)
    _same_in_every_way(_mixed_file(tmp_path / "mixed.jsonl"), "--workflow", definition)


def test_workers_ignore_modules_in_the_working_directory(tmp_path, monkeypatch):
    path = _mixed_file(tmp_path / "mixed.jsonl")
    (tmp_path / "attrs.py").write_text("raise ImportError('a stray attrs.py')\n")
    monkeypatch.chdir(tmp_path)
    alone = run_installed("validate", path)
    shared = run_installed("validate", path, "--jobs", "2")
    assert (shared.returncode, shared.stdout) == (alone.returncode, alone.stdout)


def test_workers_start_without_warnings():
    result = run_installed("validate", JSONL, "--jobs", "2", PYTHONWARNINGS="error")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""


def test_a_terminated_run_stops_its_workers_and_leaves_no_folder(tmp_path):
    path = _mixed_file(tmp_path / "big.jsonl", cases=2000)
    # A temporary folder of its own: other runs on the machine make theirs elsewhere.
    own = tmp_path / "tmp"
    own.mkdir()
    command = Path(sys.executable).parent / "casestate"
    process = subprocess.Popen(  # noqa: S603 - the installed command, arguments from this test
        [str(command), "validate", str(path), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(own)},
    )
    deadline = time.monotonic() + 60
    while not list(own.glob("casestate-validate-*")):
        assert time.monotonic() < deadline, "validate --jobs 2 never started its workers"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, said = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert list(own.glob("casestate-validate-*")) == []
    assert b"Traceback" not in said


# -- which process checks which line ----------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["case_id", "kind", "x", 'case_id"']) | TEXT, children, max_size=3)
    ),
    max_leaves=8,
)


def test_a_key_spelled_with_escapes_is_the_case_id_the_line_has(tmp_path):
    good = record(case_id="ua-b", role="family")
    line = json.dumps({"case_id": "ua-w", **good}).replace('"case_id": "ua-b"', '"case\\u005fid": "ua-b"', 1)
    path = tmp_path / "escaped.jsonl"
    path.write_text(json.dumps(opening("ua-b")) + "\n" + line + "\n")
    alone = _same_in_every_way(path)
    assert alone.exit_code == 0


@given(
    st.dictionaries(st.sampled_from(["case_id", "trigger", "reason", "evidence"]) | TEXT, JSON_VALUES),
    st.sampled_from([(",", ":"), (", ", ": "), (" ,", " :  ")]),
    st.booleans(),
)
def test_the_case_read_from_the_bytes_is_the_case_parsed(data, separators, ascii_only):
    raw = json.dumps(data, separators=separators, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    named = case_named_in(raw)
    event("read from the bytes" if named is not None else "left to the parser")
    if named is not None:
        # Named once in plain text: it is the top-level case id, or no valid record names one.
        case_id = json.loads(raw).get("case_id")
        if isinstance(case_id, str):
            assert named == case_id.encode("utf-8")
            assert owner_of(case_id, 3) == owner_of(named.decode(), 3)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b'{"case_id": "ua-1", "x": 1}', b"ua-1"),
        (b'{"case_id":"ua-1"}', b"ua-1"),
        (b'{"case_id" :\t "ua-1"}', b"ua-1"),
        (b'{"case_id": "ua-\\u0031"}', None),  # an escape: parsed, not read from the bytes
        (b'{"case_id": 7}', None),
        (b'{"e": {"case_id": "a"}, "case_id": "b"}', None),  # named twice
        (b'{"reason": "the \\"case_id\\": \\"x\\"", "case_id": "b"}', b"b"),  # quoted text is escaped
        (b'{"case_id": "unfinished', None),
        (b"{}", None),
        (b'{"case_id": "ua-w", "case\\u005fid": "ua-b"}', None),  # an escape spells the key again
        (b'{"case_id": "ua-w", "reason": "\\u0436\\u0438\\u0432\\u0438\\u0439"}', b"ua-w"),  # Cyrillic
    ],
)
def test_reading_the_case_from_the_bytes(raw, named):
    assert case_named_in(raw) == named


def test_a_line_without_a_case_goes_to_the_first_process():
    assert owner_of(None, 4) == 0
    assert {owner_of(f"ua-{number}", 4) for number in range(40)} == {0, 1, 2, 3}
