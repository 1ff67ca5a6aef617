"""Where a case stands: the values the decision reads and the state step makes.

A :class:`~casestate.Case` is a :class:`Standing` and the trail that proves it.
"""

from __future__ import annotations

from datetime import datetime

import attrs

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


def standing(*values: object) -> Standing:
    """A :class:`Standing` of values already checked, in its fields' order, as :func:`snapshot` makes one.

    A state step makes one per accepted change.
    """
    made = _new(Standing)
    for setter, value in zip(_standing_setters, values, strict=True):
        setter(made, value)
    return made
