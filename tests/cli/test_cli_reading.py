"""JSON Lines are read as json.loads reads them: the same records, the same faults, the same messages."""

import json
import os
import threading
import time
from pathlib import Path

import pytest

from casestate.feeds._reading import _LONE_SURROGATE, read_chunks
from support import opening

GOOD = json.dumps(opening())
LINES = [
    GOOD,
    "  " + GOOD,
    GOOD + "   ",
    GOOD + "\r",
    "\ufeff" + GOOD,
    GOOD + " x",
    GOOD + GOOD,
    "[1, 2]",
    '"text"',
    "NaN",
    "1" * 5000,
    "[" * 100_000,
    '{"case_id": "ua-1", ',
    "{'case_id': 'ua-1'}",
    '{"case_id": "\\ud800"}',
    "\x00",
]


def _expected(text):
    """What json.loads makes of *text* (a line with its end), as the reader reports it."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return ("unreadable_line", f"not JSON: {error.msg} at character {error.pos + 1}")
    except (ValueError, RecursionError) as error:
        return ("unreadable_line", f"not JSON: {error}")
    if "\\ud800" in text:
        # json.loads reads half a surrogate pair; casestate refuses text no UTF-8 output can hold.
        return ("unreadable_line", _LONE_SURROGATE)
    return ("record", record.get("case_id") if isinstance(record, dict) else None)


@pytest.mark.parametrize("text", LINES, ids=range(len(LINES)))
def test_a_line_reads_as_json_loads_reads_it(tmp_path, text):
    path = tmp_path / "changes.jsonl"
    # After a first line: a BOM at the start of the file is the file's, and skipped.
    path.write_bytes((GOOD + "\n" + text + "\n").encode("utf-8", "surrogatepass"))
    [[_, line]] = read_chunks(str(path), "jsonl", max_line_bytes=1024 * 1024)
    if line.code == "unreadable_line":
        assert (line.code, line.message) == _expected(text + "\n")
    else:
        assert _expected(text + "\n") == ("record", line.case_id)
        assert (line.code is None) == (line.change is not None)


def _read_through_a_pipe(data: bytes, split: int) -> list:
    reader, writer = os.pipe()

    def write_in_two() -> None:
        with os.fdopen(writer, "wb", buffering=0) as end:
            end.write(data[:split])
            time.sleep(0.2)  # the reader peeks meanwhile and sees only the first piece
            end.write(data[split:])

    thread = threading.Thread(target=write_in_two)
    thread.start()
    try:
        return list(read_chunks(f"/dev/fd/{reader}", "jsonl", max_line_bytes=1024))
    finally:
        thread.join()
        os.close(reader)


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd to name a pipe's end as a path")
@pytest.mark.parametrize("split", [0, 1, 2, 3])
@pytest.mark.parametrize(
    ("first", "says"),
    [
        (b"\xef\xbb\xbf" + GOOD.encode(), None),  # a byte order mark, skipped
        ("\uff5b".encode() + GOOD.encode(), "not JSON"),  # a full-width brace: valid UTF-8, not JSON
        (b"\xef\xbb" + GOOD.encode(), "not UTF-8: byte 0xef"),  # two thirds of a mark
    ],
)
def test_a_pipe_that_brings_the_first_bytes_in_pieces_reads_as_the_file_does(tmp_path, split, first, says):
    data = first + b"\n" + GOOD.encode() + b"\n"
    path = tmp_path / "changes.jsonl"
    path.write_bytes(data)
    as_file = [
        (line.number, line.code, line.message, line.case_id)
        for chunk in read_chunks(str(path), "jsonl", max_line_bytes=1024)
        for line in chunk
    ]
    as_pipe = [
        (line.number, line.code, line.message, line.case_id)
        for chunk in _read_through_a_pipe(data, split)
        for line in chunk
    ]
    assert as_pipe == as_file
    assert as_file[1] == (2, None, None, json.loads(GOOD)["case_id"])
    message = as_file[0][2]
    assert message is None if says is None else message.startswith(says)
