"""What a check or an apply of change files found: findings, counts and unreadable files, as values."""

from __future__ import annotations

from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import NotRequired, TypedDict

import attrs

from casestate import Outcome

from ._errors import UnreadableFile


class ReasonDict(TypedDict):
    """A reason as JSON-ready data."""

    code: str
    message: str


class FindingDict(TypedDict):
    """A finding as JSON-ready data (see :meth:`Finding.to_dict`)."""

    file: str
    line: int
    case_id: str | None
    outcome: str
    codes: list[str]
    reasons: list[ReasonDict]
    field: NotRequired[str]


class UnreadableDict(TypedDict):
    """An unreadable file as JSON-ready data."""

    file: str
    problem: str


class SummaryDict(TypedDict):
    """A report's counts as JSON-ready data (see :meth:`FeedReport.summary`)."""

    lines: int
    accepted: int
    rejected: int
    conflicts: int
    already_stored: int
    outcomes: dict[str, int]
    rejected_by_code: dict[str, int]
    conflicts_by_code: dict[str, int]
    unreadable_files: list[UnreadableDict]


class ReportDict(TypedDict):
    """A report as JSON-ready data: its findings, then its summary (see :meth:`FeedReport.to_dict`)."""

    findings: list[FindingDict]
    summary: SummaryDict


class ApplyDict(ReportDict):
    """An apply's report as JSON-ready data, with what it stored (see :meth:`ApplyReport.to_dict`)."""

    stored: int
    opened: int


@attrs.frozen
class Finding:
    """A line worth reporting: rejected, kept as a conflict, or stored already; reasons ``(code, message)``.

    A line stored already (its source id taken by the same change) has the
    outcome ``already_stored`` and no reasons.

    *path* and *number* say where the line is (lines count from 1), *field*
    names the field of a record at fault when one is.

    >>> from casestate.feeds import Finding
    >>> finding = Finding("changes.jsonl", 7, "ua-0173", "rejected", (("role_not_permitted", "..."),))
    >>> finding.codes
    ['role_not_permitted']
    """

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

    def to_dict(self) -> FindingDict:
        """The finding as JSON-ready data."""
        data: FindingDict = {
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


@attrs.frozen
class FeedReport:
    """What a check of change files found: counts by outcome and code, unreadable files, findings.

    *outcomes* counts the accepted lines by what they do (``opened``,
    ``transition``, ``corroboration``, ``conflict``, ``dismissal``), the
    rejected ones as ``rejected``, and the lines whose change is stored
    already (sent again under its source id) as ``already_stored``: these are
    neither accepted nor rejected. *rejected_by_code* and *conflicts_by_code*
    count the reasons. *findings* holds every rejected, conflicting or
    already stored line in file order, unless the check handed them to an
    ``on_finding`` as it went.
    """

    lines: int
    accepted: int
    rejected: int
    outcomes: Mapping[str, int]
    rejected_by_code: Mapping[str, int]
    conflicts_by_code: Mapping[str, int]
    unreadable_files: tuple[UnreadableFile, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def conflicts(self) -> int:
        """How many accepted lines were kept as conflicts."""
        return self.outcomes.get(Outcome.CONFLICT.value, 0)

    @property
    def already_stored(self) -> int:
        """How many lines hold a change stored already (sent again under its source id)."""
        return self.outcomes.get(Outcome.ALREADY_STORED.value, 0)

    @property
    def ok(self) -> bool:
        """Whether every file was read and no line rejected (a line stored already is no fault)."""
        return not self.unreadable_files and not self.rejected

    def summary(self) -> SummaryDict:
        """The counts and unreadable files as JSON-ready data."""
        return {
            "lines": self.lines,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "already_stored": self.already_stored,
            "outcomes": dict(self.outcomes),
            "rejected_by_code": dict(self.rejected_by_code),
            "conflicts_by_code": dict(self.conflicts_by_code),
            "unreadable_files": [
                {"file": problem.path, "problem": problem.problem} for problem in self.unreadable_files
            ],
        }

    def to_dict(self) -> ReportDict:
        """The whole report as JSON-ready data, as ``casestate validate --format json`` writes it."""
        return {"findings": [finding.to_dict() for finding in self.findings], "summary": self.summary()}


@attrs.frozen
class ApplyReport:
    """What an apply of change files found, and what it stored.

    *stored* counts the changes written (openings among them), *opened* the
    cases they opened; a line stored already is not written again. All or
    nothing, an apply whose check is not
    :attr:`~FeedReport.ok` stores nothing. *interrupted* says that an
    interrupt (Ctrl-C) came while the changes were being committed: it was
    held off, and every change was stored.
    """

    check: FeedReport
    stored: int
    opened: int
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """Whether every file was read and no line rejected."""
        return self.check.ok

    def to_dict(self) -> ApplyDict:
        """The report as JSON-ready data, as ``casestate apply --format json`` writes it."""
        return {**self.check.to_dict(), "stored": self.stored, "opened": self.opened}
