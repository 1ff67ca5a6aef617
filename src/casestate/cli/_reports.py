"""Reporting what a check finds: each finding as it comes, as text or JSON, then the summary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import click
from rich.console import Console

from casestate import Outcome
from casestate.feeds import FeedReport, Finding
from casestate.text import label

from ._console import err
from ._language import ENGLISH, Speaker, counted
from ._shown import shown
from ._times import UTC_ZONE, Zone

_FINDINGS_AT_ONCE = 1000


def finding_markup(finding: Finding, zone: Zone = UTC_ZONE, say: Speaker = ENGLISH) -> list[str]:
    """One rejected or conflicting line, as ``file:line: case id: outcome: codes``, then a line per reason.

    The times the reasons name are written in *zone*, with its offset; the
    reasons come in the language they were checked in, the rest in *say*'s.
    """
    case = say("case {case_id}", case_id=shown(finding.case_id)) if finding.case_id else say("no case id")
    rejected = finding.outcome == "rejected"
    colour = "red" if rejected else "yellow"
    what = label(Outcome.REJECTED if rejected else Outcome.CONFLICT, say.locale)
    codes = ", ".join(finding.codes)
    return [
        f"{shown(finding.path)}:{finding.number}: {case}: [{colour}]{what}[/{colour}]: {codes}",
        *(f"    {code}: {shown(zone.in_words(message))}" for code, message in finding.reasons),
    ]


class TextReport:
    """The findings as text on *console*, printed as they come (only the rejected ones if *rejected_only*).

    Off a terminal they are printed a thousand at a time: rich renders one
    print of many lines in a third of the time of as many prints, and the
    text is the same. On a terminal each is printed at once, for the reader.
    """

    def __init__(
        self, console: Console, *, rejected_only: bool, zone: Zone = UTC_ZONE, say: Speaker = ENGLISH
    ) -> None:
        self._console = console
        self._zone = zone
        self._say = say
        self._rejected_only = rejected_only
        self._at_once = 1 if console.is_terminal else _FINDINGS_AT_ONCE
        self._pending: list[str] = []
        self._held = 0

    def add(self, finding: Finding) -> None:
        """One more finding."""
        if self._rejected_only and finding.outcome != "rejected":
            return
        self._pending.extend(finding_markup(finding, self._zone, self._say))
        self._held += 1
        if self._held >= self._at_once:
            self.flush()

    def flush(self) -> None:
        """Print the findings not yet printed."""
        if self._pending:
            self._console.print("\n".join(self._pending))
            self._pending = []
            self._held = 0


LINES = counted("{count} line", "{count} lines")
CHANGES = counted("{count} change", "{count} changes")
CASES = counted("{count} case", "{count} cases")


def exit_status(report: FeedReport) -> int:
    """2 when a file could not be read, 1 when a line was rejected, else 0."""
    if report.unreadable_files:
        return 2
    return 1 if report.rejected else 0


def print_tally(console: Console, report: FeedReport, say: Speaker = ENGLISH) -> None:
    """The summary: lines accepted, rejected and conflicting, with counts per code."""
    unreadable = say("cannot be read")
    for problem in report.unreadable_files:
        console.print(f"{shown(problem.path)}: [red]{unreadable}[/red]: {shown(problem.problem)}")
    console.print(
        say(
            "{lines}: {accepted} accepted ({conflicts} kept as conflicts), {rejected} rejected",
            lines=say.count(LINES, report.lines),
            accepted=report.accepted,
            conflicts=report.conflicts,
            rejected=report.rejected,
        )
    )
    for title, counts in (
        (say("rejected"), report.rejected_by_code),
        (say("conflicts"), report.conflicts_by_code),
    ):
        for code, count in sorted(counts.items()):
            console.print(f"  {title}: {code}: {count}")


def print_unreadable(report: FeedReport, say: Speaker = ENGLISH) -> None:
    """The files that could not be read, on standard error (for --quiet, which prints no summary)."""
    unreadable = say("cannot be read")
    for problem in report.unreadable_files:
        err().print(f"{shown(problem.path)}: {unreadable}: {shown(problem.problem)}")


class JsonReport:
    """The machine-readable report, written as the findings come.

    One JSON document, ``{"findings": [...], "summary": {...}, ...}``: the
    findings are written a thousand at a time, and the summary, known only at
    the end, comes last. A run over any number of lines holds at most a
    thousand findings in memory.
    """

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._started = False
        self._finished = False

    def add(self, finding: Finding) -> None:
        """One more finding."""
        self._pending.append(finding.to_json())
        if len(self._pending) >= _FINDINGS_AT_ONCE:
            self._write("")

    def finish(self, report: FeedReport, **extra: object) -> None:
        """The findings not yet written, then the summary and *extra* fields; ends the document."""
        tail = {"summary": report.summary(), **extra}
        self._write("], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n")
        self._finished = True

    def abandon(self) -> None:
        """End a document that a fault stopped halfway, so that it still reads: no summary.

        Even a fault before the first finding leaves a document, with none.
        """
        if not self._finished:
            self._write("]}\n")
            self._finished = True

    def _write(self, end: str) -> None:
        text = ", ".join(self._pending)
        self._pending = []
        if not self._started:
            text = '{"findings": [' + text
        elif text:
            text = ", " + text
        click.echo(text + end, nl=False)
        self._started = True


@contextmanager
def json_report(output_format: str) -> Iterator[JsonReport | None]:
    """A :class:`JsonReport` for ``--format json`` (else ``None``), ended even when a fault stops the run."""
    if output_format != "json":
        yield None
        return
    report = JsonReport()
    try:
        yield report
    finally:
        with suppress(OSError):  # a closed pipe takes no ending either
            report.abandon()
