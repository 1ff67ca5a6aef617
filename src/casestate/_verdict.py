"""Why a change is accepted, kept as a conflict, or rejected."""

from __future__ import annotations

from enum import StrEnum
from functools import partial

import attrs

from ._errors import CasestateError
from ._status import Fate, Whereabouts
from ._words import Phrase


class Code(StrEnum):
    """Stable, machine-readable reasons; integrators count and route by these.

    The values never change meaning once released: an app may store them.
    What each means, for a person, ``casestate.text.describe`` says, in
    English, Russian or Ukrainian (the reference shows each below).
    """

    UNKNOWN_TRIGGER = "unknown_trigger"
    UNKNOWN_ROLE = "unknown_role"
    ROLE_NOT_PERMITTED = "role_not_permitted"
    UNKNOWN_EVIDENCE_KIND = "unknown_evidence_kind"
    EVIDENCE_REQUIRED = "evidence_required"
    EVIDENCE_INSUFFICIENT = "evidence_insufficient"
    EVIDENCE_CONTRADICTS_FATE = "evidence_contradicts_fate"
    EVIDENCE_AFTER_RECORDED = "evidence_after_recorded"
    EVIDENCE_BEFORE_EVENT = "evidence_before_event"
    REASON_REQUIRED = "reason_required"
    TIME_GOES_BACKWARDS = "time_goes_backwards"
    RECORDED_IN_FUTURE = "recorded_in_future"
    EFFECTIVE_AFTER_RECORDED = "effective_after_recorded"
    EARLIER_THAN_CURRENT = "earlier_than_current"
    ILLEGAL_TRANSITION = "illegal_transition"
    RIVAL_REPORT = "rival_report"
    OUTWEIGHED = "outweighed"
    WAITING_PERIOD_NOT_ELAPSED = "waiting_period_not_elapsed"
    UNKNOWN_CONFLICT = "unknown_conflict"
    RESOLVES_REQUIRED = "resolves_required"
    RESOLVES_NOT_ALLOWED = "resolves_not_allowed"
    UNKNOWN_CASE = "unknown_case"
    CASE_EXISTS = "case_exists"
    SOURCE_ID_REUSED = "source_id_reused"


class Outcome(StrEnum):
    """What applying a change does to a case."""

    TRANSITION = "transition"
    """The status moves (or stays, for a loop); one entry is appended."""
    CORROBORATION = "corroboration"
    """A report of the status the case is already in: kept, and it may raise the assurance."""
    CONFLICT = "conflict"
    """A report that contradicts the case: kept as a conflict entry, status unchanged."""
    EARLIER_PERIOD = "earlier_period"
    """A late report that tells a period before the current one, from its own time: status unchanged.

    Wounded on 5 March, reported after the death of 10 March: the case stays
    dead since 10 March, and its history says wounded from 5 March. Killed on
    5 March, reported after a death of 10 March: the case is dead since
    5 March. Still missing on 5 March, reported after it: nothing changes.
    """
    DISMISSAL = "dismissal"
    """Open conflicts are dismissed with a reason; status unchanged."""
    FACT = "fact"
    """A dated legal fact is recorded on the case; status unchanged."""
    REJECTED = "rejected"
    """Nothing happens; the reasons say why."""
    ALREADY_STORED = "already_stored"
    """The change is stored already (its source id names the same change in the case): nothing happens.

    Not a refusal: a source that sends a change again gets this answer, and
    nothing is stored twice."""


@attrs.frozen
class Reason:
    """One reason, with its stable *code* and a message for a person, in English.

    ``casestate.text.message(reason, "uk")`` says it in another language.
    The reasons casestate gives keep what their message says as a *phrase*
    for that; a reason an app makes itself, without one, reads the same in
    every language.
    """

    code: Code
    message: str
    phrase: Phrase | None = attrs.field(default=None, eq=False, repr=False)
    """What the message says, to be said again in another language (not compared: the message is)."""


@attrs.frozen
class Verdict:
    """The answer to "what would this change do to this case?".

    For a rejection, *reasons* lists every reason that applies; for a
    conflict, it lists why the report contradicts the case; for a
    transition, a corroboration, a dismissal, or a change already stored, it is empty.
    """

    outcome: Outcome
    reasons: tuple[Reason, ...] = ()
    target: str | None = None
    """The status the case would be in afterwards: the current one for a
    corroboration, conflict, dismissal or a change already stored; ``None`` when rejected."""
    fate: Fate | None = None
    """The fate the case would have afterwards (``None`` when rejected)."""
    whereabouts: Whereabouts | None = None
    """Where the person or the remains would be afterwards (``None`` when rejected)."""

    @property
    def ok(self) -> bool:
        """True unless the change is rejected: a conflict is kept, and one stored already is no fault."""
        return self.outcome is not Outcome.REJECTED

    @property
    def codes(self) -> tuple[Code, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(reason.code for reason in self.reasons)


class Rejected(CasestateError, ValueError):
    """Raised by ``apply`` and ``open`` for a change the workflow refuses.

    Carries the same :class:`Verdict` that ``check`` returns. When the change
    was one of a batch, *index* is its place in the batch (from 0) and the
    message names it.
    """

    def __init__(self, case_id: str, verdict: Verdict, *, index: int | None = None) -> None:
        self.case_id = case_id
        self.verdict = verdict
        self.reasons = verdict.reasons
        self.index = index
        detail = "; ".join(f"{reason.code}: {reason.message}" for reason in verdict.reasons)
        which = "change" if index is None else f"change {index} of the batch"
        super().__init__(f"{which} to case {case_id!r} rejected: {detail}")

    def __reduce__(self) -> tuple[partial[Rejected], tuple[str, Verdict], dict[str, object]]:
        # Pickled by its fields, as its constructor takes them (and its notes): it crosses processes.
        return (partial(Rejected, index=self.index), (self.case_id, self.verdict), self.__dict__)

    @property
    def codes(self) -> tuple[Code, ...]:
        """The codes of every reason, in order."""
        return self.verdict.codes
