"""Where a case stands: what deciding on its next change needs, without its trail.

A :class:`~casestate.Case` answers the same questions from its trail; a batch
check over many cases keeps only these few hundred bytes per case.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import attrs

from ._case import Snapshot
from ._decide import remaining_conflicts
from ._entry import EntryKind
from ._status import Assurance, Fate

if TYPE_CHECKING:
    from ._case import Case
    from ._change import Change
    from ._decide import Plan


class CaseState(Protocol):
    """What the decision reads of a case: a :class:`Case` or a :class:`Standing`."""

    @property
    def id(self) -> str:
        """The case id."""

    @property
    def status(self) -> str:
        """The current status."""

    @property
    def fate(self) -> Fate:
        """The current fate."""

    @property
    def assurance(self) -> Assurance:
        """The current assurance."""

    @property
    def status_since(self) -> datetime:
        """When the current status took effect."""

    @property
    def open_conflicts(self) -> tuple[int, ...]:
        """The open conflict entries."""

    @property
    def last_recorded_at(self) -> datetime:
        """When anything was last recorded on the case."""

    @property
    def reporter_id(self) -> str | None:
        """Who made the change that entered the current status."""

    @property
    def version(self) -> int:
        """The number of entries."""

    def live_period(self, status: str) -> Snapshot | None:
        """The latest live period in *status*, with the assurance it had when it ended."""


@attrs.frozen
class Standing:
    """A case without its trail: status, fate, assurance, clocks, conflicts, periods."""

    id: str
    status: str
    fate: Fate
    assurance: Assurance
    status_since: datetime
    open_conflicts: tuple[int, ...]
    last_recorded_at: datetime
    reporter_id: str | None
    version: int
    periods: tuple[Snapshot, ...]
    """Each live status period, oldest first, as :attr:`Case.live_periods` gives them."""

    def live_period(self, status: str) -> Snapshot | None:
        """The latest live period in *status*, with the assurance it had when it ended."""
        for period in reversed(self.periods):
            if period.status == status:
                return period
        return None


def standing_of(case: Case) -> Standing:
    """Where *case* stands."""
    return Standing(
        case.id,
        case.status,
        case.fate,
        case.assurance,
        case.status_since,
        case.open_conflicts,
        case.last_recorded_at,
        case.reporter_id,
        case.version,
        case.live_periods,
    )


def opened(case_id: str, opening: Change, plan: Plan) -> Standing:
    """Where a case stands once *opening* opened it as *plan* says."""
    status = plan.verdict.target or ""
    return Standing(
        case_id,
        status,
        plan.fate,
        plan.assurance,
        opening.effective_at,
        (),
        opening.recorded_at,
        opening.actor.id,
        1,
        (Snapshot(status, plan.fate, plan.assurance, opening.effective_at, 0),),
    )


def successor(state: Standing, change: Change, plan: Plan) -> Standing:
    """Where a case standing at *state* stands once *change* is accepted as *plan* says.

    The same rules as ``Workflow.apply``, which a test holds equal.
    """
    kind = plan.kind
    seq = state.version
    conflicts = remaining_conflicts(state.open_conflicts, change.resolves, kind, seq)
    periods = state.periods
    reporter_id = state.reporter_id
    if kind is EntryKind.TRANSITION:
        reporter_id = change.actor.id
        target = plan.verdict.target or state.status
        if plan.reverts_to is None:
            periods = (*periods, Snapshot(target, plan.fate, plan.assurance, change.effective_at, seq))
        else:
            periods = tuple(period for period in periods if period.seq <= plan.reverts_to)
    elif plan.assurance is not state.assurance:
        # The current period carries the case's assurance, should a retraction resume it later.
        periods = (*periods[:-1], attrs.evolve(periods[-1], assurance=plan.assurance))
    return Standing(
        state.id,
        plan.verdict.target or state.status,
        plan.fate,
        plan.assurance,
        plan.since or state.status_since,
        conflicts,
        change.recorded_at,
        reporter_id,
        seq + 1,
        periods,
    )
