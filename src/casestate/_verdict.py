"""Why a change is accepted, kept as a conflict, or rejected."""

from __future__ import annotations

from enum import StrEnum
from functools import partial

import attrs

from ._errors import CasestateError
from ._status import Fate, Whereabouts


class Code(StrEnum):
    """Stable, machine-readable reasons; integrators count and route by these.

    The values never change meaning once released: an app may store them.
    """

    UNKNOWN_TRIGGER = "unknown_trigger"
    """The workflow has no trigger of that name."""
    UNKNOWN_ROLE = "unknown_role"
    """The actor's role is not one the workflow knows."""
    ROLE_NOT_PERMITTED = "role_not_permitted"
    """The actor's role may not fire this trigger."""
    EVIDENCE_REQUIRED = "evidence_required"
    """The trigger needs evidence and the change carries none."""
    EVIDENCE_INSUFFICIENT = "evidence_insufficient"
    """No piece of the evidence is of a kind or tier the trigger accepts."""
    EVIDENCE_CONTRADICTS_FATE = "evidence_contradicts_fate"
    """A piece of the evidence speaks for the other fate (a death certificate to confirm a prisoner)."""
    EVIDENCE_AFTER_RECORDED = "evidence_after_recorded"
    """A piece of evidence was obtained after the change was recorded."""
    EVIDENCE_BEFORE_EVENT = "evidence_before_event"
    """A document or identification obtained before the event it attests: an error or a forgery."""
    REASON_REQUIRED = "reason_required"
    """The trigger needs a written reason and the change has none."""
    TIME_GOES_BACKWARDS = "time_goes_backwards"
    """Recorded earlier than the case's last entry: the trail is append-only."""
    RECORDED_IN_FUTURE = "recorded_in_future"
    """Recorded after the *now* the app passed: most often a mistyped year."""
    EFFECTIVE_AFTER_RECORDED = "effective_after_recorded"
    """The fact is said to happen after the case holder learned of it."""
    EARLIER_THAN_CURRENT = "earlier_than_current"
    """The fact happened before the current status took effect (a report is kept as a conflict)."""
    ILLEGAL_TRANSITION = "illegal_transition"
    """The trigger does not lead anywhere from the current status (a report is kept as a conflict)."""
    WAITING_PERIOD_NOT_ELAPSED = "waiting_period_not_elapsed"
    """The legal waiting period in the current status has not passed yet."""
    UNKNOWN_CONFLICT = "unknown_conflict"
    """The change resolves an entry that is not an open conflict of the case."""
    RESOLVES_REQUIRED = "resolves_required"
    """A dismissal must name the conflict entries it dismisses."""
    RESOLVES_NOT_ALLOWED = "resolves_not_allowed"
    """A report kept as a conflict cannot resolve other conflicts."""
    UNKNOWN_CASE = "unknown_case"
    """A change to a case that was never opened (in a batch check)."""
    CASE_EXISTS = "case_exists"
    """An opening for a case that is already open (in a batch check)."""
    SOURCE_ID_REUSED = "source_id_reused"
    """The change's source id is taken, in its case, by a different change: a source id names one change."""


class Outcome(StrEnum):
    """What applying a change does to a case."""

    TRANSITION = "transition"
    """The status moves (or stays, for a loop); one entry is appended."""
    CORROBORATION = "corroboration"
    """A report of the status the case is already in: kept, and it may raise the assurance."""
    CONFLICT = "conflict"
    """A report that contradicts the case: kept as a conflict entry, status unchanged."""
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
    """One reason, with its stable *code* and a message for a person."""

    code: Code
    message: str


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
