"""Which of several processes checks a JSON line: ``validate --jobs`` shares the cases out.

Each change is checked against its own case only, so the lines of one case
must all reach the same process, and each line exactly one. The case id is
read from a line's bytes where that is certain, which spares every process
but one the parsing of the line; otherwise every process parses the line and
the parsed case id decides.
"""

from __future__ import annotations

import re
from zlib import crc32

Share = tuple[int, int]
"""(job, jobs): this process is number *job* of *jobs* that share the cases out among them."""
ALONE: Share = (0, 1)
"""One process, which checks every line."""

_SPELLS_KEY = re.compile(rb"\\u00(?:6[13459]|73|5[fF])")
"""An escape of one of the letters of ``case_id``: c a s e _ i d."""
_NAMED = re.compile(rb'"case_id"\s*:\s*"([^"\\]*)"')


def case_named_in(raw: bytes) -> bytes | None:
    """The case id a JSON line names, read from its bytes without parsing it; ``None`` when unsure.

    Only a line that holds ``"case_id"`` once, followed by a plain string
    (no escapes), gives an answer. Inside a JSON string a quote is always
    escaped, so that one occurrence is a key, and its value is the text
    between the quotes: the case id the parsed line names, or, for a line
    that is not a valid change, at least the same answer for every process.
    """
    if b"\\u00" in raw and _SPELLS_KEY.search(raw):
        return None  # an escape may spell "case_id" as another key, which would win as the last one
    at = raw.find(b'"case_id"')
    if at < 0 or raw.find(b'"case_id"', at + 9) >= 0:
        return None
    if raw.startswith(b'": "', at + 8):  # the usual spacing, read without the pattern
        start = at + 12
        end = raw.find(b'"', start)
        if end < 0 or raw.find(b"\\", start, end) >= 0:
            return None
        return raw[start:end]
    found = _NAMED.match(raw, at)
    return None if found is None else found.group(1)


def owner_of(case_id: str | None, jobs: int) -> int:
    """Which of *jobs* processes checks the lines of case *case_id* (a line with none: the first)."""
    if case_id is None:
        return 0
    return owner_of_named(case_id.encode("utf-8", "surrogatepass"), jobs)


def owner_of_named(named: bytes, jobs: int) -> int:
    """:func:`owner_of` for a case id read from a line's bytes by :func:`case_named_in`."""
    return crc32(named) % jobs
