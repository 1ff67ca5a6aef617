"""A corpus of hostile inputs, through every reader of the command line, as processes.

Each run ends within a time and an address-space limit, with the exit status
its command documents, a message, no traceback, and no raw control character
on either stream. The files are in tests/data/hostile; the large ones and the
devices are made or found here.
"""

import os
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data"
HOSTILE = DATA / "hostile"
EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "changes.jsonl"
SECONDS = 30
ADDRESS_SPACE = 1536 * 1024 * 1024
"""Far below what reading an endless input whole would take; several times what a bounded read takes."""
LONG_LINE = 20 * 1024 * 1024
"""Longer than any line or case document a reader takes whole."""
REJECTED, UNREADABLE = 1, 2
"""The documented exit statuses: some input refused, some input (or output) that cannot be read (or written)."""

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/mem").exists(), reason="the corpus holds Linux's devices (/dev/zero, /proc/self/mem)"
)


def _generated(folder: Path) -> dict[str, Path]:
    long_line = folder / "long-line.jsonl"
    with long_line.open("wb") as stream:
        stream.write(b'{"case_id": "ua-1", "reason": "')
        stream.write(b"x" * LONG_LINE)
    deep = folder / "deep.jsonl"
    deep.write_text("[" * 200_000 + "\n" + '{"a":' * 100_000 + "\n")
    empty = folder / "empty.jsonl"
    empty.write_bytes(b"")
    random = folder / "random.jsonl"
    random.write_bytes(os.urandom(256 * 1024))
    folder_input = folder / "a-folder"
    folder_input.mkdir()
    return {
        "long-line": long_line,
        "deep": deep,
        "empty": empty,
        "random": random,
        "folder": folder_input,
        "missing": folder / "missing.jsonl",
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    found = {path.stem + path.suffix.replace(".", "-"): path for path in HOSTILE.iterdir()}
    return {**found, **_generated(folder), "zero": Path("/dev/zero"), "eio": Path("/proc/self/mem")}


FILE_READERS = {
    "validate": ["validate", "{input}"],
    "validate-csv": ["validate", "--input-format", "csv", "{input}"],
    "validate-jobs": ["validate", "--jobs", "2", "{input}"],
    "apply-per-line": ["apply", "--per-line", "--store", "{work}/cases.db", "{input}"],
    "apply": ["apply", "--store", "{work}/cases.db", "{input}"],
    "verify": ["verify", "{input}"],
    "export": ["export", "{input}", "-o", "{work}/out.jsonl"],
    "pfif-import": ["pfif", "import", "{input}", "--cases", "{work}/cases"],
    "pfif-export": ["pfif", "export", "{input}", "--persons", "{input}", "--domain", "ngo.example.org"],
}
"""Every command that reads files, each with where it reads one."""
OPTION_READERS = {
    "show": ["show", "ua-1", "--store", "{input}"],
    "verify-store": ["verify", "--store", "{input}"],
    "export-store": ["export", "--store", "{input}"],
    "validate-store": ["validate", str(EXAMPLE), "--store", "{input}"],
    "key-file": ["verify", str(EXAMPLE), "--key-file", "{input}"],
    "workflow": ["validate", str(EXAMPLE), "--workflow", "{input}"],
}
"""Every option that names a file a command reads whole: a store, a key, a workflow."""

LINES_REFUSED = (
    "escapes-jsonl",
    "wrong-shapes-jsonl",
    "huge-numbers-jsonl",
    "nul-bytes-jsonl",
    "not-utf8-jsonl",
)
"""Files that read as lines, each of which is refused."""
NOT_READ = ("zero", "eio", "folder", "missing")
"""What no reader can read: a device without end, one that fails, a folder, nothing."""
NOT_CHANGES = ("empty", "utf16-jsonl", "long-line", "deep", "random")
"""Files that hold nothing a reader takes: empty, another encoding, an endless line, a nesting, noise."""


def _expected(reader: str, name: str) -> int:
    """The exit status each command documents for the input *name*."""
    if name in {"eio", "folder", "missing"} or reader in OPTION_READERS:
        return UNREADABLE
    if reader.startswith("pfif"):
        return REJECTED  # the document or a case file refused as a whole, nothing written
    if name in {"zero", "empty"} or (name == "utf16-jsonl" and reader != "export"):
        return UNREADABLE  # a file of no lines at all, or none ending in sight
    if reader == "validate-csv":
        return UNREADABLE  # as CSV, none of these has a header of known columns
    if reader == "verify" or (reader == "export" and name == "long-line"):
        return UNREADABLE  # a line that is no case document: verify gives no verdict; too long: unread
    return REJECTED  # a line refused: by validate and apply, or a case export names and leaves out


def _inputs_of(reader: str) -> tuple[str, ...]:
    if reader in OPTION_READERS:
        return ("zero", "eio", "folder", "random", "long-line")
    if reader == "apply":  # all or nothing reads each file twice: a stream is refused before it is read
        return ("zero", "eio", "escapes-jsonl", "long-line")
    if reader.startswith("pfif"):
        return (*NOT_READ, *NOT_CHANGES)
    if reader == "validate-jobs":  # what sharing the cases out reads otherwise than one process
        return ("zero", "escapes-jsonl", "wrong-shapes-jsonl", "long-line", "deep", "random")
    return (*LINES_REFUSED, *NOT_READ, *NOT_CHANGES)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _fault_in(reader: str, name: str, path: Path, work: Path) -> str | None:
    """What is wrong with running *reader* on *path*: ``None`` when it ends as documented."""
    work.mkdir()
    templates = {**FILE_READERS, **OPTION_READERS}[reader]
    arguments = [part.format(input=path, work=work) for part in templates]
    command = Path(sys.executable).parent / "casestate"
    try:
        result = subprocess.run(  # noqa: S603 - the installed command, with arguments from this file
            [str(command), *arguments],
            capture_output=True,
            check=False,
            timeout=SECONDS,
            cwd=work,
            preexec_fn=_limited,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        return f"{name}: still running after {SECONDS} s"
    told = result.stdout + result.stderr
    said = told.decode(errors="replace")[-600:]
    expected = _expected(reader, name)
    if result.returncode != expected:
        return f"{name}: exit status {result.returncode}, not {expected}: {said}"
    if b"Traceback" in told or b"MemoryError" in told:
        return f"{name}: a traceback: {said}"
    if any(char in told for char in (b"\x1b", b"\x00", b"\x07", b"\x9b")):
        return f"{name}: a raw control character reached the output: {said}"
    if not told.strip():
        return f"{name}: refused without a word"
    return None


@pytest.mark.parametrize("reader", [*FILE_READERS, *OPTION_READERS])
def test_every_hostile_input_ends_in_a_clear_error(reader, inputs, tmp_path):
    names = _inputs_of(reader)
    # Two at a time: most of a run is starting Python, which the second core does as well.
    with ThreadPoolExecutor(max_workers=2) as pool:
        faults = pool.map(lambda name: _fault_in(reader, name, inputs[name], tmp_path / name), names)
        found = [fault for fault in faults if fault is not None]
    assert not found, "\n".join(found)
