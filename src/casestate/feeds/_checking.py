"""Checking change files line by line, counting what each line met: the engine of checks and applies."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import chain
from typing import NamedTuple

import attrs

from casestate import OPEN, Batch, Outcome, Verdict
from casestate.text import language_of
from casestate.text import message as said_in

from ._errors import UnreadableFile
from ._reading import DEFAULT_MAX_LINE_BYTES, Line, kind_of, read_chunks, total_bytes
from ._report import FeedReport, Finding
from ._routing import ALONE, Share

Progress = Callable[[int, "str | None"], None]
"""Told now and then how far a check has come: the bytes read so far, and the file being read."""

OPENED = "opened"
"""The outcome counted for a line that opens a case."""


@attrs.define
class Tally:
    """What a check has found so far: lines by outcome, reasons by code, and unreadable files."""

    lines: int = 0
    accepted: int = 0
    rejected: int = 0
    outcomes: Counter[str] = attrs.field(factory=Counter)
    rejected_codes: Counter[str] = attrs.field(factory=Counter)
    conflict_codes: Counter[str] = attrs.field(factory=Counter)
    unreadable: list[UnreadableFile] = attrs.field(factory=list)

    def add(self, other: Tally) -> None:
        """Count *other*'s lines, outcomes, codes and unreadable files in too."""
        self.lines += other.lines
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.outcomes.update(other.outcomes)
        self.rejected_codes.update(other.rejected_codes)
        self.conflict_codes.update(other.conflict_codes)
        self.unreadable.extend(other.unreadable)

    def report(self, findings: Iterable[Finding] = ()) -> FeedReport:
        """The tally as a report, with *findings*."""
        return FeedReport(
            lines=self.lines,
            accepted=self.accepted,
            rejected=self.rejected,
            outcomes=dict(sorted(self.outcomes.items())),
            rejected_by_code=dict(sorted(self.rejected_codes.items())),
            conflicts_by_code=dict(sorted(self.conflict_codes.items())),
            unreadable_files=tuple(self.unreadable),
            findings=tuple(findings),
        )


class Checked(NamedTuple):
    """A line after checking, with the verdict it got (``None`` when it could not be read)."""

    line: Line
    verdict: Verdict | None

    @property
    def accepted(self) -> bool:
        """Whether the line's change is accepted (and so would be stored: not one stored already)."""
        verdict = self.verdict
        return verdict is not None and verdict.ok and verdict.outcome is not Outcome.ALREADY_STORED

    @property
    def refused(self) -> bool:
        """Whether the line could not be read, or its change was rejected."""
        return self.verdict is None or not self.verdict.ok


def check_into(
    paths: tuple[str, ...],
    batch: Batch,
    tally: Tally,
    *,
    input_format: str | None = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    progress: Progress | None = None,
    on_finding: Callable[[Finding], None] | None = None,
    each: Callable[[Checked], None] | None = None,
    share: Share = ALONE,
    locale: str = "en",
) -> None:
    """Check every line of every file in order, counting into *tally*.

    Findings (rejections, conflicts, changes stored already) go to *on_finding*
    as they are made, their reasons said in the language of *locale*, and
    every line checked to *each*; *progress* hears of the bytes read over all
    the files. A file that cannot be read is noted in the tally and skipped.
    With *share*, only the lines of this process's cases are checked (see
    ``_parallel``); the first process notes unreadable files.
    """
    done = 0
    with _no_cycle_collection():
        for path in paths:
            told = None
            if progress is not None:

                def told(position: int, base: int = done, path: str = path) -> None:
                    progress(base + position, path)

            chunks = read_chunks(
                path,
                kind_of(path, input_format),
                max_line_bytes=max_line_bytes,
                progress=told,
                share=share,
            )
            try:
                _check_lines(chunks, batch, tally, on_finding, each, locale)
            except UnreadableFile as problem:
                job, _ = share
                if job == 0:  # every process meets the file; the first one notes it
                    tally.unreadable.append(problem)
            done += total_bytes((path,))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Checking makes millions of short-lived values and no reference cycles.

    The cyclic collector would only walk the cases and findings kept, again
    and again, and slow a long run several times over; reference counting
    frees everything a run drops.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check_lines(  # noqa: C901, PLR0912, PLR0917 - the hot loop of validate, kept in one piece with local counters
    chunks: Iterator[list[Line]],
    batch: Batch,
    tally: Tally,
    on_finding: Callable[[Finding], None] | None,
    each: Callable[[Checked], None] | None,
    locale: str,
) -> None:
    check = batch.check
    # English is each reason's own message: read, not rendered.
    told = None if language_of(locale) == "en" else partial(said_in, locale=locale)
    rejected_outcome, conflict_outcome, stored_outcome = (
        Outcome.REJECTED,
        Outcome.CONFLICT,
        Outcome.ALREADY_STORED,
    )
    counts = dict.fromkeys(Outcome, 0)
    # Counted by Code (a str enum, equal to its text) here, by text in the tally at the end:
    # reading an enum's .value costs a Python call.
    rejected_codes: Counter[str] = Counter()
    conflict_codes: Counter[str] = Counter()
    opened = accepted = rejected = total = 0
    try:
        for line in chain.from_iterable(chunks):
            total += 1
            path, number, case_id, change, code, field, message = line
            if change is None:
                rejected += 1
                counts[rejected_outcome] += 1
                code = code or "invalid_record"
                rejected_codes[code] += 1
                if on_finding is not None:
                    on_finding(Finding(path, number, case_id, "rejected", ((code, message or ""),), field))
                if each is not None:
                    each(Checked(line, None))
                continue
            verdict = check(case_id or "", change)
            outcome: Outcome | None = verdict.outcome
            reasons = verdict.reasons
            if outcome is rejected_outcome:
                rejected += 1
                for reason in reasons:
                    rejected_codes[reason.code] += 1
            elif outcome is not stored_outcome:  # a line stored already is counted by its outcome alone
                accepted += 1
                if outcome is conflict_outcome:
                    for reason in reasons:
                        conflict_codes[reason.code] += 1
                elif change.trigger == OPEN:
                    opened += 1
                    outcome = None  # counted as an opening, not as the transition it also is
            if outcome is not None:
                counts[outcome] += 1
            if (reasons or outcome is stored_outcome) and on_finding is not None:
                said = tuple(
                    (str(reason.code), reason.message if told is None else told(reason)) for reason in reasons
                )
                on_finding(Finding(path, number, case_id, str(verdict.outcome), said))
            if each is not None:
                each(Checked(line, verdict))
    finally:
        tally.lines += total
        tally.accepted += accepted
        tally.rejected += rejected
        tally.outcomes[OPENED] += opened
        for kind, count in counts.items():
            if count:
                tally.outcomes[str(kind)] += count
        for codes, into in ((rejected_codes, tally.rejected_codes), (conflict_codes, tally.conflict_codes)):
            for reason_code, count in codes.items():
                into[str(reason_code)] += count
