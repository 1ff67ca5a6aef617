"""Where a case stands, and the one state step that moves it on.

:func:`step` is the only place that says what an accepted change does to a
case: ``Workflow.apply`` takes it after sealing an entry, a :class:`Batch`
after a verdict, and replay for every entry of a trail. A
:class:`~casestate.Case` is a :class:`Standing` and the trail that proves it.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._entry import EntryKind
from ._status import Assurance, Fate


@attrs.frozen
class Snapshot:
    """Where a case stood at some time: status, fate, assurance, since when, by which entry."""

    status: str
    fate: Fate
    assurance: Assurance
    since: datetime
    """When the status took effect (effective clock)."""
    seq: int
    """The entry that put the case into the status."""


_new = object.__new__
_snapshot_setters = tuple(Snapshot.__dict__[field.name].__set__ for field in attrs.fields(Snapshot))


def snapshot(status: str, fate: Fate, assurance: Assurance, since: datetime, seq: int) -> Snapshot:
    """A :class:`Snapshot` of values already checked, without its constructor's per-field calls.

    Every state step that enters a status makes one: the slots' own setters
    cost a fraction of a frozen class's ``__init__``.
    """
    made = _new(Snapshot)
    for setter, value in zip(_snapshot_setters, (status, fate, assurance, since, seq), strict=True):
        setter(made, value)
    return made


@attrs.frozen
class Standing:
    """A case without its trail: status, fate, assurance, clocks, conflicts, periods.

    Everything deciding on the next change needs, in a few hundred bytes. A
    :class:`~casestate.Case` holds one (:attr:`~casestate.Case.standing`); a
    :class:`~casestate.Batch` keeps only these.
    """

    id: str
    status: str
    fate: Fate
    assurance: Assurance
    status_since: datetime
    """When the current status took effect, by the effective clock."""
    open_conflicts: tuple[int, ...]
    """Sequence numbers of conflict entries nobody has resolved yet."""
    last_recorded_at: datetime
    """When anything was last recorded on the case."""
    reporter_id: str | None = attrs.field(eq=False)
    """Who made the change that entered the current status (``None`` once redacted).

    Personal data, which a redacted trail leaves out: two standings that
    differ in it alone stand alike.
    """
    version: int
    """The number of entries."""
    periods: tuple[Snapshot, ...]
    """Each status period still held true, oldest first, with the assurance it had when it ended.

    The last one is the current period. A retraction or reopening that
    resumes an earlier period resumes it as it stood, fate and assurance
    included.
    """

    def live_period(self, status: str) -> Snapshot | None:
        """The latest live period in *status*, with the assurance it had when it ended."""
        for period in reversed(self.periods):
            if period.status == status:
                return period
        return None


_standing_setters = tuple(Standing.__dict__[field.name].__set__ for field in attrs.fields(Standing))


def _standing(*values: object) -> Standing:
    # A state step makes one per accepted change: set the slots directly, as
    # snapshot() does, from values the step derived from checked ones.
    made = _new(Standing)
    for setter, value in zip(_standing_setters, values, strict=True):
        setter(made, value)
    return made


def opened(  # noqa: PLR0917 - the fields of an opening entry, in its order
    case_id: str,
    status: str,
    fate: Fate,
    assurance: Assurance,
    effective_at: datetime,
    actor_id: str | None,
    recorded_at: datetime,
) -> Standing:
    """Where a case stands once opened in *status* (its entry 0)."""
    period = snapshot(status, fate, assurance, effective_at, 0)
    return _standing(case_id, status, fate, assurance, effective_at, (), recorded_at, actor_id, 1, (period,))


def step(  # noqa: PLR0917 - the fields of an entry that move a case, in its order
    state: Standing,
    kind: EntryKind,
    to_status: str,
    fate: Fate,
    assurance: Assurance,
    effective_at: datetime,
    recorded_at: datetime,
    resolves: tuple[int, ...],
    reverts_to: int | None,
    actor_id: str | None,
) -> Standing:
    """Where *state* stands once the next entry, with these fields, is accepted.

    The one state step: apply, a batch and replay all move a case with it.
    It trusts its input (a verdict of the decision, or an entry replay has
    checked follows the case).
    """
    seq = state.version
    conflicts = state.open_conflicts
    if resolves:
        conflicts = tuple(number for number in conflicts if number not in resolves)
    if kind is EntryKind.CONFLICT:
        conflicts = (*conflicts, seq)
    periods = state.periods
    if kind is EntryKind.TRANSITION:
        reporter = actor_id
        if reverts_to is None:
            since = effective_at
            periods = (*periods, snapshot(to_status, fate, assurance, effective_at, seq))
        else:
            # The resumed period stands again as it was, from when it began.
            for index in range(len(periods) - 1, -1, -1):
                if periods[index].seq == reverts_to:
                    break
            periods = periods[: index + 1]
            since = periods[-1].since
    else:
        reporter = state.reporter_id
        since = state.status_since
        if assurance is not state.assurance:
            # The current period carries the case's assurance, should a retraction resume it later.
            last = periods[-1]
            periods = (*periods[:-1], snapshot(last.status, last.fate, assurance, last.since, last.seq))
    return _standing(
        state.id, to_status, fate, assurance, since, conflicts, recorded_at, reporter, seq + 1, periods
    )
