"""Where a case stands: what deciding on its next change needs, without its trail.

A :class:`~casestate.Case` answers the same questions from its trail; a batch
check over many cases keeps only these few hundred bytes per case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import attrs

from ._case import Snapshot, snapshot
from ._decide import remaining_conflicts
from ._entry import EntryKind
from ._status import Assurance, Fate

if TYPE_CHECKING:
    from ._case import Case
    from ._change import Change
    from ._decide import Plan


class CaseState(Protocol):
    """What the decision reads of a case: a :class:`Case`, a :class:`Standing`, or a batch's ``Tracked``."""

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
        return latest_in(self.periods, status)


def latest_in(periods: Sequence[Snapshot], status: str) -> Snapshot | None:
    """The latest of *periods* in *status*, or ``None``."""
    for period in reversed(periods):
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


class Tracked:
    """Where a case stands inside a batch, moved on in place as its changes are accepted.

    A :class:`Standing` is the value a caller sees; a batch keeps this mutable
    twin instead, because a feed moves each case on millions of times and a
    new ten-field value per change (and the old one freed) costs more than
    the decision itself. It is never handed out: :meth:`standing` copies it.
    The same rules as ``Workflow.apply``, which a test holds equal.
    """

    __slots__ = (
        "assurance",
        "fate",
        "id",
        "last_recorded_at",
        "open_conflicts",
        "periods",
        "reporter_id",
        "status",
        "status_since",
        "version",
    )

    def __init__(  # noqa: PLR0917 - a Standing's fields, in its order
        self,
        id: str,  # noqa: A002 - the name every case value uses
        status: str,
        fate: Fate,
        assurance: Assurance,
        status_since: datetime,
        open_conflicts: tuple[int, ...],
        last_recorded_at: datetime,
        reporter_id: str | None,
        version: int,
        periods: list[Snapshot],
    ) -> None:
        self.id = id
        self.status = status
        self.fate = fate
        self.assurance = assurance
        self.status_since = status_since
        self.open_conflicts = open_conflicts
        self.last_recorded_at = last_recorded_at
        self.reporter_id = reporter_id
        self.version = version
        self.periods = periods

    @classmethod
    def of(cls, standing: Standing) -> Tracked:
        """The tracker of a case standing at *standing*."""
        return cls(
            standing.id,
            standing.status,
            standing.fate,
            standing.assurance,
            standing.status_since,
            standing.open_conflicts,
            standing.last_recorded_at,
            standing.reporter_id,
            standing.version,
            list(standing.periods),
        )

    @classmethod
    def opened(cls, case_id: str, opening: Change, plan: Plan) -> Tracked:
        """Where a case stands once *opening* opened it as *plan* says."""
        status = plan.verdict.target or ""
        return cls(
            case_id,
            status,
            plan.fate,
            plan.assurance,
            opening.effective_at,
            (),
            opening.recorded_at,
            opening.actor.id,
            1,
            [snapshot(status, plan.fate, plan.assurance, opening.effective_at, 0)],
        )

    def standing(self) -> Standing:
        """The case as it stands now, as a value of its own."""
        return Standing(
            self.id,
            self.status,
            self.fate,
            self.assurance,
            self.status_since,
            self.open_conflicts,
            self.last_recorded_at,
            self.reporter_id,
            self.version,
            tuple(self.periods),
        )

    def live_period(self, status: str) -> Snapshot | None:
        """The latest live period in *status*, with the assurance it had when it ended."""
        return latest_in(self.periods, status)

    def advance(self, change: Change, plan: Plan) -> None:
        """Move on by *change*, accepted as *plan* says."""
        kind = plan.kind
        seq = self.version
        if change.resolves or kind is EntryKind.CONFLICT:
            self.open_conflicts = remaining_conflicts(self.open_conflicts, change.resolves, kind, seq)
        target = plan.verdict.target or self.status
        if kind is EntryKind.TRANSITION:
            self.reporter_id = change.actor.id
            if plan.reverts_to is None:
                self.periods.append(snapshot(target, plan.fate, plan.assurance, change.effective_at, seq))
            else:
                reverts_to = plan.reverts_to
                self.periods = [period for period in self.periods if period.seq <= reverts_to]
        elif plan.assurance is not self.assurance:
            # The current period carries the case's assurance, should a retraction resume it later.
            last = self.periods[-1]
            self.periods[-1] = snapshot(last.status, last.fate, plan.assurance, last.since, last.seq)
        self.status = target
        self.fate = plan.fate
        self.assurance = plan.assurance
        if plan.since is not None:
            self.status_since = plan.since
        self.last_recorded_at = change.recorded_at
        self.version = seq + 1
