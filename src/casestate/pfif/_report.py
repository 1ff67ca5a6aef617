"""What an import made of a PFIF document: the cases, each note's fate, and what was skipped."""

from __future__ import annotations

from enum import StrEnum

import attrs

from casestate import Case, Code

from ._model import Note, Person


class NoteOutcome(StrEnum):
    """What became of one PFIF note."""

    RESTORED = "restored"
    """A casestate trail entry carried in the extension, taken back as it was."""
    TRANSITION = "transition"
    """A report that moved the case."""
    CORROBORATION = "corroboration"
    """A report of the status the case was already in."""
    CONFLICT = "conflict"
    """A report that contradicts the case, kept as a conflict entry for a person to resolve."""
    EARLIER_PERIOD = "earlier_period"
    """A late report of a period before the case's current one, told in its place: the case keeps
    its status (see :attr:`casestate.Outcome.EARLIER_PERIOD`)."""
    INFORMATION = "information"
    """Kept as information beside the case (see :attr:`Imported.information`)."""
    EVIDENCE_OF_LIFE = "evidence_of_life"
    """Says the person is alive, and no move of the workflow says only that: kept beside the case
    as evidence of life (see :attr:`Imported.evidence_of_life`)."""
    SKIPPED = "skipped"
    """Not taken; :attr:`ImportReport.skipped` says why."""


@attrs.frozen
class NoteResult:
    """What became of one note, and why."""

    note_record_id: str
    person_record_id: str
    outcome: NoteOutcome
    detail: str
    codes: tuple[Code, ...] = ()


class Origin(StrEnum):
    """Where an imported case comes from."""

    OPENED = "opened"
    """A new case, opened for a person another repository wrote, or a casestate person whose
    trail proves nothing of its writer (see :func:`from_pfif`)."""
    RESTORED = "restored"
    """A case casestate exported, rebuilt from the trail that rode along."""
    EXISTING = "existing"
    """A case the case holder already had (passed in *cases*), with the new notes applied."""


@attrs.frozen
class Imported:
    """One person, now a case, with the person's details and the notes kept as information."""

    person_record_id: str
    case: Case
    person: Person | None
    """The person's details; ``None`` when the document held only notes about an existing case."""
    information: tuple[Note, ...]
    origin: Origin
    evidence_of_life: tuple[Note, ...] = ()
    """The notes that say the person is alive where the workflow has no move for it: written by
    the person (``is_note_author``), or by someone who was in contact (``author_made_contact``).
    The case shows them beside its status, missing as it may be."""


@attrs.frozen
class Skipped:
    """A record, or a field of one, that was not taken, and why."""

    record: str
    reason: str
    codes: tuple[Code, ...] = ()


@attrs.frozen
class ImportReport:
    """Everything an import made of a document: the cases, each note's fate, and what was skipped."""

    version: str
    imported: tuple[Imported, ...]
    notes: tuple[NoteResult, ...]
    skipped: tuple[Skipped, ...]

    @property
    def cases(self) -> tuple[Case, ...]:
        """The cases, in document order."""
        return tuple(item.case for item in self.imported)

    def summary(self) -> str:
        """One line: how many cases, and what became of the notes."""
        counts = dict.fromkeys(NoteOutcome, 0)
        for result in self.notes:
            counts[result.outcome] += 1
        notes = ", ".join(f"{count} {outcome.value}" for outcome, count in counts.items() if count)
        return (
            f"PFIF {self.version}: {len(self.imported)} cases; notes: {notes or 'none'}; "
            f"{len(self.skipped)} records skipped"
        )
