"""Reading change files (JSON Lines and CSV) into lines, each a change or the fault that keeps it out."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Literal, NamedTuple

from casestate import (
    Change,
    RecordError,
    change_from_csv_row,
    change_from_record,
    check_csv_header,
    unique_keys,
)

from ._errors import FeedError, UnreadableFile
from ._routing import ALONE, Share, case_named_in, owner_of, owner_of_named

Format = Literal["jsonl", "csv"]
"""How a change file is written: JSON Lines (one change record per line) or CSV (one per row)."""

UNREADABLE_LINE = "unreadable_line"
"""A line that is not text casestate can read: bad JSON, not UTF-8, too long."""
INVALID_RECORD = "invalid_record"
"""A line that reads, but is not a change record: a field missing, mistyped, or a bad timestamp."""

DEFAULT_MAX_LINE_BYTES = 1024 * 1024
LONGEST_SKIPPED = 64 * 1024 * 1024
"""How far the rest of a line too long to read is skipped, looking for its end.

Past it, the file is taken to be no change file (``/dev/zero``, a disk image)
and is not read further: a line without end would otherwise be read for ever.
"""
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_CHUNK = 1024 * 1024
_LINES_AT_ONCE = 100
"""Lines are read, then checked, this many at a time."""
_PROGRESS_EVERY = 40  # chunks of lines (of a process's own lines, when the cases are shared out)
# The parser json.loads runs, without its per-call checks (the loop below does them once).
# A key given twice in one object is refused, never the last one taken ("role":"family","role":"icrc").
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(object_pairs_hook=unique_keys).scan_once  # type: ignore[attr-defined]
_LINE_ENDS = ("\n", "\r\n")


class Line(NamedTuple):
    """One line (or CSV row) of a change file, read: a change to a case, or what keeps it out.

    A line that reads holds its *case_id* and *change*; one that does not
    holds a *code* (:data:`UNREADABLE_LINE` or :data:`INVALID_RECORD`), the
    *field* at fault when one is, and a *message*. A named tuple rather than
    an attrs class: one is made per line, millions per run.
    """

    path: str
    number: int
    case_id: str | None = None
    change: Change | None = None
    code: str | None = None
    """For a line that could not be read: :data:`UNREADABLE_LINE` or :data:`INVALID_RECORD`."""
    field: str | None = None
    message: str | None = None


def kind_of(path: str, given: str | None) -> Format:
    """``csv`` or ``jsonl``: as given, else by the file's extension (JSON Lines unless ``.csv``)."""
    if given not in {None, "jsonl", "csv"}:
        msg = f"a change file's format is 'jsonl' or 'csv', not {given!r}"
        raise FeedError(msg)
    if given == "csv" or (given is None and path.lower().endswith(".csv")):
        return "csv"
    return "jsonl"


def read_changes(
    path: str | os.PathLike[str],
    format: Format | None = None,  # noqa: A002 - the word for it; the builtin is not needed here
    *,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
) -> Iterator[Line]:
    r"""Every line of the change file at *path*, in order, each a change or the fault that keeps it out.

    *format* is ``"jsonl"`` or ``"csv"`` (by default: CSV for a ``.csv``
    file, JSON Lines otherwise). A line longer than *max_line_bytes* is not
    read, only reported; blank lines are skipped. A file that cannot be read
    at all raises :class:`UnreadableFile`, before its first line.

    >>> import json, pathlib, tempfile
    >>> from casestate.feeds import read_changes
    >>> record = {"case_id": "ua-0173", "trigger": "open", "actor_id": "mothers-committee", "role": "ngo",
    ...           "effective_at": "2024-02-20T00:00:00Z", "recorded_at": "2024-03-01T00:00:00Z"}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "changes.jsonl"
    >>> _ = path.write_text(json.dumps(record) + "\n" + "{not json\n")
    >>> for line in read_changes(path):
    ...     print(line.number, line.case_id, line.change.trigger if line.change else line.code)
    1 ua-0173 open
    2 None unreadable_line
    """
    name = os.fspath(path)
    for chunk in read_chunks(name, kind_of(name, format), max_line_bytes=max_line_bytes):
        yield from chunk


def read_chunks(
    path: str,
    kind: Format,
    *,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    progress: Callable[[int], None] | None = None,
    share: Share = ALONE,
) -> Iterator[list[Line]]:
    """The lines of the change file at *path*, a hundred at a time; :class:`UnreadableFile` if unreadable.

    *progress*, when given, is told now and then how many bytes have been
    read. With *share* ``(job, jobs)``, only the lines of the cases process
    *job* of *jobs* checks (see ``_routing``); CSV files cannot be shared.

    Reading a hundred lines, then checking them, keeps the data of each in
    the processor's caches for longer, and a million lines pass through the
    generators ten thousand times instead of a million: a long run is a
    tenth faster. (A file that cannot be read is refused before its first line.)
    """
    try:
        stream = open(path, "rb")  # noqa: SIM115, PTH123 - closed below, after the generator ends
    except OSError as error:
        raise UnreadableFile(path, error.strerror or str(error)) from None
    with stream:
        try:
            yield from _chunks_of(
                path, stream, kind=kind, max_line_bytes=max_line_bytes, progress=progress, share=share
            )
        except OSError as error:  # a device that fails (EIO), a file removed from a network share
            raise UnreadableFile(path, error.strerror or str(error)) from None


def _chunks_of(
    path: str,
    stream: io.BufferedReader,
    *,
    kind: str,
    max_line_bytes: int,
    progress: Callable[[int], None] | None,
    share: Share,
) -> Iterator[list[Line]]:
    # Looked at, not read: a pipe (/dev/stdin) cannot seek back.
    start = stream.peek(4)[:4]
    if not start:
        raise UnreadableFile(path, "the file is empty: it holds no changes")
    if start.startswith(_UTF16_BOMS):
        raise UnreadableFile(path, "the file is encoded as UTF-16; casestate reads UTF-8")
    stream = _past_utf8_bom(stream)
    if kind == "csv":
        if share != ALONE:
            msg = "CSV files are checked in one process"
            raise FeedError(msg)
        chunks = _in_chunks(_csv_lines(path, stream, max_line_bytes))
    else:
        chunks = _json_lines(path, stream, max_line_bytes, share)
    if progress is None:
        yield from chunks
        return
    for count, chunk in enumerate(chunks):
        if not count % _PROGRESS_EVERY:
            _tell(stream, progress)
        yield chunk
    _tell(stream, progress)


def _past_utf8_bom(stream: io.BufferedReader) -> io.BufferedReader:
    """*stream* past a UTF-8 byte order mark, if it begins with one, even one a pipe brings in pieces.

    A peek shows only what a pipe has delivered so far: when that is the
    start of a mark, the next bytes are read to see whether the mark is
    whole, and given back when it is not.
    """
    start = stream.peek(len(_UTF8_BOM))[: len(_UTF8_BOM)]
    if start == _UTF8_BOM:
        stream.read(len(_UTF8_BOM))
        return stream
    if not start or not _UTF8_BOM.startswith(start):
        return stream
    head = stream.read(len(_UTF8_BOM))  # waits for the rest, or the end
    if head == _UTF8_BOM:
        return stream
    return io.BufferedReader(_GivenBack(head, stream))


class _GivenBack(io.RawIOBase):
    """Bytes read ahead from a stream, given back before the rest of it."""

    def __init__(self, head: bytes, rest: io.BufferedReader) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # noqa: ANN401 - a writable buffer of bytes
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _tell(stream: BinaryIO, progress: Callable[[int], None]) -> None:
    """Tell *progress* how far *stream* is read; a pipe cannot say, and the bar stands still."""
    try:
        position = stream.tell()
    except OSError:
        return
    progress(position)


def _in_chunks(lines: Iterable[Line]) -> Iterator[list[Line]]:
    iterator = iter(lines)
    return iter(lambda: list(islice(iterator, _LINES_AT_ONCE)), [])


def _skip_rest_of_line(path: str, number: int, stream: BinaryIO) -> None:
    """Read past the end of line *number*, or refuse the rest of the file if it has none in sight."""
    skipped = 0
    while skipped < LONGEST_SKIPPED:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return
        skipped += len(chunk)
    msg = f"line {number} goes on for more than {LONGEST_SKIPPED} bytes: the rest of the file is not read"
    raise UnreadableFile(path, msg)


def _json_lines(path: str, stream: BinaryIO, limit: int, share: Share) -> Iterator[list[Line]]:  # noqa: C901, PLR0912, PLR0915 - the hot loop, kept in one piece
    number = 0
    seen = False
    readline = stream.readline
    scan = _SCAN
    read_record = change_from_record
    new_line = tuple.__new__  # a Line's own constructor, without the defaults' Python call
    job, jobs = share
    lines: list[Line] = []
    add = lines.append
    while True:
        if len(lines) >= _LINES_AT_ONCE:
            yield lines
            lines = []
            add = lines.append
        raw = readline(limit + 1)
        if not raw:
            break
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            _skip_rest_of_line(path, number, stream)
            seen = True
            if job == 0:  # a line not read names no case: the first process reports it
                add(Line(path, number, code=UNREADABLE_LINE, message=f"line longer than {limit} bytes"))
            continue
        if jobs > 1:
            named = case_named_in(raw)
            if named is None:
                line = _line_of(path, number, raw)
                if line is not None:
                    seen = True
                    if owner_of(line.case_id, jobs) == job:
                        add(line)
                continue
            if owner_of_named(named, jobs) != job:
                seen = True  # another process's case
                continue
        # The common line: UTF-8, one JSON value from its first character to
        # the line's end, a well-formed change record. Anything else goes to
        # _line_of, which reads or refuses it with its reason.
        try:
            text = raw.decode()
            record, end = scan(text, 0)
            whole = (end == len(text) or text[end:] in _LINE_ENDS) and not (
                b"\\u" in raw and _SURROGATE.search(raw)
            )
        except Exception:  # noqa: BLE001 - _line_of gives the fault its message
            whole = False
        if whole:
            try:
                case_id, change = read_record(record)
            except RecordError:
                pass
            else:
                seen = True
                add(new_line(Line, (path, number, case_id, change, None, None, None)))
                continue
        line = _line_of(path, number, raw)
        if line is not None:
            seen = True
            add(line)
    if not seen:
        raise UnreadableFile(path, "the file is empty: it holds no changes")
    if lines:
        yield lines


def _line_of(path: str, number: int, raw: bytes) -> Line | None:  # noqa: PLR0911 - one return per fault
    """A line read the long way, naming what is wrong with it; ``None`` for a blank one."""
    try:
        text = raw.decode()
    except UnicodeDecodeError as error:
        return Line(
            path,
            number,
            code=UNREADABLE_LINE,
            message=f"not UTF-8: byte 0x{raw[error.start]:02x} at column {error.start + 1}",
        )
    if not text or text.isspace():
        return None
    try:
        record = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        said = f"not JSON: {error.msg} at character {error.pos + 1}"
        return Line(path, number, code=UNREADABLE_LINE, message=said + _layout_hint(text))
    except (ValueError, RecursionError) as error:
        return Line(path, number, code=UNREADABLE_LINE, message=f"not JSON: {error}")
    if b"\\u" in raw and _SURROGATE.search(raw) and _holds_lone_surrogate(record):
        return Line(path, number, code=UNREADABLE_LINE, message=_LONE_SURROGATE)
    try:
        case_id, change = change_from_record(record)
    except RecordError as error:
        if isinstance(record, list):
            error = RecordError(error.field, error.problem + ONE_OBJECT_A_LINE)
        return _invalid(path, number, record.get("case_id") if isinstance(record, dict) else None, error)
    return Line(path, number, case_id, change)


ONE_OBJECT_A_LINE = "; a change file holds one JSON object per line (JSON Lines), not a JSON array"
"""The hint for a line that is part of a JSON document laid out over lines, or an array on one line."""
_LAID_OUT = ("[", "]", "{", "}", "},", "],", "[{", "}]")


def _layout_hint(text: str) -> str:
    """The hint for a line that looks like part of a pretty-printed JSON array or object."""
    line = text.strip()
    return ONE_OBJECT_A_LINE if line in _LAID_OUT or line.startswith('"') else ""


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
"""The escape of half a UTF-16 surrogate pair: a pair is a character, one half alone is not."""
_LONE_SURROGATE = "not valid Unicode: an escape of half a UTF-16 surrogate pair, without the other half"


def _holds_lone_surrogate(value: object) -> bool:
    """Whether a parsed JSON value holds text that no UTF-8 file or database can store."""
    if isinstance(value, str):
        return not _utf8((value,))
    if isinstance(value, dict):
        return any(_holds_lone_surrogate(key) or _holds_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_lone_surrogate(item) for item in value)
    return False


def _invalid(path: str, number: int, case_id: object, error: RecordError) -> Line:
    return Line(
        path,
        number,
        case_id if isinstance(case_id, str) else None,
        code=INVALID_RECORD,
        field=error.field,
        message=str(error),
    )


def _csv_lines(path: str, stream: BinaryIO, limit: int) -> Iterator[Line]:
    yield from _csv_rows(path, _TextLines(path, stream, limit), limit)


class _LineTooLong(Exception):
    """A line longer than the limit, skipped: the CSV reader reading it gives its row up."""


class _TextLines:
    """The lines of a byte stream as text (bytes that are not UTF-8 kept as surrogates), each read whole.

    A line longer than the limit is skipped, never held: :class:`_LineTooLong`
    comes instead of it, out of the CSV reader that asked for it.
    """

    def __init__(self, path: str, stream: BinaryIO, limit: int) -> None:
        self._path = path
        self._stream = stream
        self._limit = limit
        self.number = 0
        """How many lines were read."""

    def __iter__(self) -> _TextLines:
        return self

    def __next__(self) -> str:
        raw = self._stream.readline(self._limit + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        if len(raw) > self._limit and not raw.endswith(b"\n"):
            _skip_rest_of_line(self._path, self.number, self._stream)
            raise _LineTooLong
        return raw.decode("utf-8", "surrogateescape")


def _csv_header(path: str, rows: Iterator[list[str]], limit: int) -> list[str]:
    """The header row of a CSV change file; :class:`UnreadableFile` unless it names known columns once."""
    try:
        header = next(rows)
    except csv.Error as error:
        raise UnreadableFile(path, f"line 1: not CSV: {error}") from None
    except _LineTooLong:
        raise UnreadableFile(path, f"line 1: longer than {limit} bytes") from None
    except StopIteration:
        raise UnreadableFile(path, "the file is empty: it holds no changes") from None
    if not _utf8(header):
        raise UnreadableFile(path, "line 1: the header is not UTF-8")
    try:
        check_csv_header(header)
    except RecordError as error:
        raise UnreadableFile(path, f"line 1: {error}") from None
    return header


def _csv_rows(path: str, lines: _TextLines, limit: int) -> Iterator[Line]:
    csv.field_size_limit(limit)
    rows = csv.reader(lines, strict=True)
    header = _csv_header(path, rows, limit)
    width = len(header)
    seen = False
    while True:
        number = lines.number + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except _LineTooLong:
            seen = True
            yield Line(path, lines.number, code=UNREADABLE_LINE, message=f"line longer than {limit} bytes")
            rows = csv.reader(lines, strict=True)  # the row given up, the next one read afresh
            continue
        except csv.Error as error:
            seen = True
            yield Line(path, number, code=UNREADABLE_LINE, message=f"not CSV: {error}")
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        seen = True
        if not _utf8(row):
            yield Line(path, number, code=UNREADABLE_LINE, message="not UTF-8")
            continue
        if len(row) != width:
            more = "more" if len(row) > width else "fewer"
            message = f"{len(row)} cells, {more} than the header's {width} columns"
            case_id = dict(zip(header, row, strict=False)).get("case_id") or None
            yield Line(path, number, case_id, code=INVALID_RECORD, message=message)
            continue
        cells = dict(zip(header, row, strict=True))
        try:
            case_id, change = change_from_csv_row(cells)
        except RecordError as error:
            yield _invalid(path, number, cells.get("case_id") or None, error)
            continue
        yield Line(path, number, case_id, change)
    if not seen:
        raise UnreadableFile(path, "the file holds a header but no changes")


def _utf8(cells: Iterable[str]) -> bool:
    """Whether every cell can be written as UTF-8: no lone surrogate."""
    try:
        for cell in cells:
            cell.encode()
    except UnicodeEncodeError:
        return False
    return True


def total_bytes(paths: Iterable[str | os.PathLike[str]]) -> int:
    """The size of the files at *paths* in bytes (unreadable ones count nothing): where progress ends.

    >>> from casestate.feeds import total_bytes
    >>> total_bytes(["no-such-file.jsonl"])
    0
    """
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += Path(path).stat().st_size
    return total
