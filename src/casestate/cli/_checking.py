"""Checking change files line by line: the engine of ``validate`` and ``apply``."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from json.encoder import encode_basestring
from typing import Any, NamedTuple

import attrs

from casestate import OPEN, Batch, Outcome, Verdict

from ._console import Meter
from ._reading import DEFAULT_MAX_LINE_BYTES, Line, Unreadable, kind_of, read_chunks, size_of
from ._routing import ALONE, Share

OPENED = "opened"
"""The outcome counted for a line that opens a case."""


@attrs.frozen
class Finding:
    """A line worth reporting: rejected, or kept as a conflict; each reason is (code, message)."""

    path: str
    number: int
    case_id: str | None
    outcome: str
    reasons: tuple[tuple[str, str], ...]
    field: str | None = None

    @property
    def codes(self) -> list[str]:
        """The codes of the reasons, in order."""
        return [code for code, _ in self.reasons]

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        data: dict[str, Any] = {
            "file": self.path,
            "line": self.number,
            "case_id": self.case_id,
            "outcome": self.outcome,
            "codes": self.codes,
            "reasons": [{"code": code, "message": message} for code, message in self.reasons],
        }
        if self.field is not None:
            data["field"] = self.field
        return data

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (``ensure_ascii=False``), written out directly.

        A large file has hundreds of thousands of findings: this takes a third
        of the time of encoding the dict (a test holds the two equal).
        """
        text = encode_basestring
        codes = ", ".join([text(code) for code, _ in self.reasons])
        reasons = ", ".join(
            [f'{{"code": {text(code)}, "message": {text(said)}}}' for code, said in self.reasons]
        )
        case_id = "null" if self.case_id is None else text(self.case_id)
        field = "" if self.field is None else f', "field": {text(self.field)}'
        return (
            f'{{"file": {text(self.path)}, "line": {self.number}, "case_id": {case_id}, '
            f'"outcome": {text(self.outcome)}, "codes": [{codes}], "reasons": [{reasons}]{field}}}'
        )


@attrs.define
class Tally:
    """What a run found: counts of lines by outcome and of reasons by code, and unreadable files."""

    lines: int = 0
    accepted: int = 0
    rejected: int = 0
    outcomes: Counter[str] = attrs.field(factory=Counter)
    rejected_codes: Counter[str] = attrs.field(factory=Counter)
    conflict_codes: Counter[str] = attrs.field(factory=Counter)
    unreadable: list[Unreadable] = attrs.field(factory=list)

    @property
    def exit_code(self) -> int:
        """2 when a file could not be read, 1 when a line was rejected, else 0."""
        if self.unreadable:
            return 2
        return 1 if self.rejected else 0

    def add(self, other: Tally) -> None:
        """Count *other*'s lines, outcomes, codes and unreadable files in too."""
        self.lines += other.lines
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.outcomes.update(other.outcomes)
        self.rejected_codes.update(other.rejected_codes)
        self.conflict_codes.update(other.conflict_codes)
        self.unreadable.extend(other.unreadable)

    def to_dict(self) -> dict[str, Any]:
        """The tally as JSON-ready data."""
        return {
            "lines": self.lines,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "conflicts": self.outcomes[Outcome.CONFLICT.value],
            "outcomes": dict(sorted(self.outcomes.items())),
            "rejected_by_code": dict(sorted(self.rejected_codes.items())),
            "conflicts_by_code": dict(sorted(self.conflict_codes.items())),
            "unreadable_files": [{"file": item.path, "problem": item.problem} for item in self.unreadable],
        }


class Checked(NamedTuple):
    """A line after checking, with the verdict it got (``None`` when it could not be read)."""

    line: Line
    verdict: Verdict | None

    @property
    def accepted(self) -> bool:
        """Whether the line's change is accepted (and so would be stored)."""
        return self.verdict is not None and self.verdict.ok


def check_files(
    paths: tuple[str, ...],
    batch: Batch,
    tally: Tally,
    *,
    input_format: str | None = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    meter: Meter | None = None,
    on_finding: Callable[[Finding], None] | None = None,
    each: Callable[[Checked], None] | None = None,
    share: Share = ALONE,
) -> None:
    """Check every line of every file in order, counting into *tally*.

    Findings (rejections and conflicts) go to *on_finding* as they are made,
    and every line checked to *each*; a file that cannot be read is noted in
    the tally and skipped. With *share*, only the lines of this process's
    cases are checked (see ``_parallel``); the first process notes unreadable files.
    """
    done = 0
    with _no_cycle_collection():
        for path in paths:
            progress = None
            if meter is not None and meter.shown:
                base = done

                def progress(position: int, base: int = base, path: str = path) -> None:
                    meter.update(base + position, path)

            chunks = read_chunks(
                path,
                kind_of(path, input_format),
                max_line_bytes=max_line_bytes,
                progress=progress,
                share=share,
            )
            try:
                _check_lines(chunks, batch, tally, on_finding, each)
            except Unreadable as problem:
                job, _ = share
                if job == 0:  # every process meets the file; the first one notes it
                    tally.unreadable.append(problem)
            done += size_of((path,))


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


def _check_lines(  # noqa: C901, PLR0912 - the hot loop of validate, kept in one piece with local counters
    chunks: Iterator[list[Line]],
    batch: Batch,
    tally: Tally,
    on_finding: Callable[[Finding], None] | None,
    each: Callable[[Checked], None] | None,
) -> None:
    check = batch.check
    rejected_outcome, conflict_outcome = Outcome.REJECTED, Outcome.CONFLICT
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
            else:
                accepted += 1
                if outcome is conflict_outcome:
                    for reason in reasons:
                        conflict_codes[reason.code] += 1
                elif change.trigger == OPEN:
                    opened += 1
                    outcome = None  # counted as an opening, not as the transition it also is
            if outcome is not None:
                counts[outcome] += 1
            if reasons and on_finding is not None:
                said = tuple((str(reason.code), reason.message) for reason in reasons)
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
