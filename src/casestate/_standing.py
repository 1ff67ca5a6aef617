"""Where a case stands: the values the decision reads and the state step makes.

A :class:`~casestate.Case` is a :class:`Standing` and the trail that proves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import attrs

from ._entry import Entry
from ._status import Assurance, Fate


@attrs.frozen(weakref_slot=False)
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


Period = Snapshot | Entry
"""How a standing keeps a live period: a :class:`Snapshot`, or the entry that began it.

A case keeps the entry, which its trail holds anyway, until a corroboration
raises the period's assurance; a :class:`~casestate.Batch`, which keeps no
entries, keeps snapshots. Either reads as a :class:`Snapshot`.
"""


def snapshot_of(period: Period) -> Snapshot:
    """*period* as a :class:`Snapshot`."""
    if type(period) is Snapshot:
        return period
    entry: Entry = period  # type: ignore[assignment] # the other kind of period
    return snapshot(entry.to_status, entry.fate, entry.assurance, entry.effective_at, entry.seq)


def _as_snapshots(periods: tuple[Period, ...]) -> tuple[Snapshot, ...]:
    return tuple(map(snapshot_of, periods))


@attrs.frozen(weakref_slot=False)
class Standing:
    """A case without its trail: status, fate, assurance, clocks, conflicts, periods.

    Everything deciding on the next change needs, in a few hundred bytes. A
    :class:`~casestate.Case` is one, with the trail that proves it; a
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
    _periods: tuple[Period, ...] = attrs.field(alias="periods", repr=False, eq=_as_snapshots)
    # Compared as snapshots: how a period is kept is no part of where a case stands.

    @property
    def periods(self) -> tuple[Snapshot, ...]:
        """Each status period still held true, oldest first, with the assurance it had when it ended.

        The last one is the current period. A retraction or reopening that
        resumes an earlier period resumes it as it stood, fate and assurance
        included.
        """
        return _as_snapshots(self._periods)

    @property
    def current_period(self) -> Snapshot:
        """The current status period: when and by which entry the case entered its status."""
        return snapshot_of(self._periods[-1])

    def live_period(self, status: str) -> Snapshot | None:
        """The latest live period in *status*, with the assurance it had when it ended."""
        for period in reversed(self._periods):
            if (period.status if type(period) is Snapshot else period.to_status) == status:  # type: ignore[union-attr]
                return snapshot_of(period)
        return None


S = TypeVar("S", bound=Standing)


_SETTERS: dict[type, tuple[Callable[[object, object], None], ...]] = {}
"""By class: its slots' setters, found along its MRO (a Case's own slot, and those it inherits)."""


def _setters(cls: type[Standing]) -> tuple[Callable[[object, object], None], ...]:
    try:
        return _SETTERS[cls]
    except KeyError:
        setters = _SETTERS[cls] = tuple(getattr(cls, field.name).__set__ for field in attrs.fields(cls))
        return setters


def build(cls: type[S], *values: object) -> S:
    """A *cls* (a :class:`Standing`, or a subclass) of values already checked, in its fields' order.

    As :func:`snapshot` makes one: a state step makes one per accepted change.
    """
    made = _new(cls)
    for setter, value in zip(_setters(cls), values, strict=True):
        setter(made, value)
    return made
