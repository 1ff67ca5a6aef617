"""Where a case stands: the values the decision reads and the state step makes.

A :class:`~casestate.Case` is a :class:`Standing` and the trail that proves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple, TypeVar

import attrs

from ._entry import Entry, EntryKind
from ._status import Assurance, Fate, Whereabouts


@attrs.frozen(weakref_slot=False)
class Snapshot:
    """Where a case stood at some time: status, fate, assurance, since when, by which entry, and where."""

    status: str
    fate: Fate
    assurance: Assurance
    since: datetime
    """When the status took effect (effective clock)."""
    seq: int
    """The entry that put the case into the status."""
    whereabouts: Whereabouts = Whereabouts.UNKNOWN
    """Where the person or the remains were (see :class:`~casestate.Whereabouts`)."""
    contested_by: tuple[int, ...] = ()
    """In an as-of answer: the open conflicts about a time in this period, which contradict it.

    A report kept as a conflict because it contradicts what the case holds
    (a capture video dated after a reported death) contests the period in
    effect at the time it is about: the answer says so until someone settles
    it. Empty in :attr:`Standing.periods`, which hold the periods as kept.
    """
    entered_by: str | None = attrs.field(default=None, eq=False, repr=False)
    """The trigger of the report or move that began the period at its own time.

    ``None`` for the opening and a period two rival reports left undecided;
    for one a late report told, that report's trigger. A late report about a
    time before the period is judged against it by this (see
    :doc:`/explanation/conflicts`).
    """


T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A function that makes a *cls* from its fields' values, in order, for values already checked.

    Generated, as attrs generates ``__init__``, from the class's own field
    list: it sets each slot directly, with none of the per-field calls of a
    frozen class's ``__init__``. The state step makes one value per accepted
    change, and replay one per entry.
    """
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type] # an attrs class
    values = ", ".join(f"v{index}" for index in range(len(names)))
    sets = "".join(f"    s{index}(made, v{index})\n" for index in range(len(names)))
    namespace: dict[str, object] = {"new": object.__new__, "cls": cls}
    namespace.update({f"s{index}": getattr(cls, name).__set__ for index, name in enumerate(names)})
    source = f"def make({values}):\n    made = new(cls)\n{sets}    return made\n"
    exec(source, namespace)  # noqa: S102 - source generated above from the class's field names alone
    return namespace["make"]  # type: ignore[return-value] # defined by the exec above


snapshot: Callable[
    [str, Fate, Assurance, datetime, int, Whereabouts, tuple[int, ...], str | None], Snapshot
] = maker(Snapshot)
"""A :class:`Snapshot` of values already checked, in its fields' order."""

UNCONTESTED: tuple[int, ...] = ()
"""The *contested_by* of a period as kept."""


Period = Snapshot | Entry
"""How a standing keeps a live period: a :class:`Snapshot`, or the entry that began it.

A case keeps the entry, which its trail holds anyway, until a corroboration
raises the period's assurance; a :class:`~casestate.Batch`, which keeps no
entries, keeps snapshots, and so does a period begun by an entry written
before entries recorded whereabouts. Either reads as a :class:`Snapshot`.
"""


def snapshot_of(period: Period) -> Snapshot:
    """*period* as a :class:`Snapshot`."""
    if type(period) is Snapshot:
        return period
    entry: Entry = period  # type: ignore[assignment] # the other kind of period
    return snapshot(
        entry.to_status,
        entry.fate,
        entry.assurance,
        entry.effective_at,
        entry.seq,
        entry.whereabouts,  # type: ignore[arg-type] # an entry kept as a period records it
        UNCONTESTED,
        began_by(entry),
    )


def began_by(entry: Entry) -> str | None:
    """The :attr:`Snapshot.entered_by` of the period *entry* begins: its trigger, for a report or move.

    A late report that told a period of its own began it too (see ``earlier_period``).
    """
    kind = entry.kind
    return (
        entry.trigger
        if (kind is EntryKind.TRANSITION and entry.reverts_to is None) or kind is EntryKind.EARLIER_PERIOD
        else None
    )


def holding(periods: tuple[Period, ...], effective_at: datetime) -> Snapshot:
    """The period before the current one of *periods* that holds *effective_at*: the latest begun by then.

    For a time before the current period began; the first, for a time before any began.
    """
    return snapshot_of(periods[holding_index(periods, effective_at)])


def holding_index(periods: tuple[Period, ...], effective_at: datetime) -> int:
    """Where in *periods* the period :func:`holding` gives is."""
    for index in range(len(periods) - 2, 0, -1):
        if since_of(periods[index]) <= effective_at:
            return index
    return 0


def since_of(period: Period) -> datetime:
    """When *period* began, as kept: without making a :class:`Snapshot` of an entry."""
    return period.since if type(period) is Snapshot else period.effective_at  # type: ignore[union-attr]


def _as_snapshots(periods: tuple[Period, ...]) -> tuple[Snapshot, ...]:
    return tuple(map(snapshot_of, periods))


class Backer(NamedTuple):
    """A report that backs the current period, as a :class:`~casestate.Batch` keeps it (it keeps no entries).

    A :class:`~casestate.Case` keeps the report's :class:`~casestate.Entry`
    instead, which reads alike.

    What a move that ends the period reads of it: which report it was, and
    about what time (see :attr:`Standing.backers`).
    """

    seq: int
    trigger: str
    effective_at: datetime


Backing = Backer | Entry
"""How a standing keeps a corroboration of its current period: the entry (a case holds it anyway), or
a :class:`Backer` (a batch, which keeps no entries). Either has its ``seq``, ``trigger`` and
``effective_at``."""


def _seqs(backers: tuple[Backing, ...]) -> tuple[int, ...]:
    """The ``seq`` of each of *backers*, in order: what equality compares of them."""
    return tuple(backer.seq for backer in backers)


@attrs.frozen(weakref_slot=False)
class Standing:
    """A case without its trail: status, fate, assurance, whereabouts, clocks, conflicts, periods.

    Everything deciding on the next change needs, in a few hundred bytes. A
    :class:`~casestate.Case` is one, with the trail that proves it; a
    :class:`~casestate.Batch` keeps only these.
    """

    id: str
    status: str
    fate: Fate
    assurance: Assurance
    whereabouts: Whereabouts
    """Where the person or the remains are, as far as the case holder holds."""
    status_since: datetime
    """When the current status took effect, by the effective clock."""
    open_conflicts: tuple[int, ...]
    """Sequence numbers of conflict entries nobody has resolved yet."""
    last_recorded_at: datetime
    """When anything was last recorded on the case."""
    reporter_id: str | None = attrs.field(eq=False, repr=False)
    """Who made the change that entered the current status (``None`` once redacted).

    Personal data, which a redacted trail leaves out: two standings that
    differ in it alone stand alike.
    """
    backing: frozenset[str]
    """The roles that corroborated the current status since it was entered.

    A reporter may withdraw their own report (where a rule lets them) only
    while nobody who may withdraw it by role has corroborated it: once an
    authority stands behind a report, only an authority takes it back.
    """
    entered_by: str | None = attrs.field(repr=False)
    """The trigger that began the current period, when a change began it at its own time (a report,
    an authority's move, or two rival reports neither of which holds); ``None`` for the opening
    period and one a retraction resumed. Whether a report about that very instant rivals it
    depends on what the trigger is in the workflow."""
    tied: bool = attrs.field(repr=False)
    """Whether the current period is one two rival reports left undecided: it holds what the case
    held before them, from the instant they speak of, and a later report about that instant joins
    them unless its evidence is stronger."""
    backers: tuple[Backing, ...] = attrs.field(repr=False, eq=_seqs)
    """The reports that back the current period, oldest first: its corroborations since the case last
    entered it, the late reports that it began earlier, and once one did, the report that began it
    (from its own day). They hold it together with the one that began it, and wait with it should a
    rival displace it. A move that ends the period contests those about a time from its own on that
    disagree with it (see :attr:`Entry.contests <casestate.Entry.contests>`). A retraction that resumes
    a period resumes it without those made before it was left. Compared by their entries' ``seq``."""
    waiting: tuple[Backing, ...] = attrs.field(repr=False, eq=_seqs)
    """The open conflicts a move may reconcile, in the order they began to wait: reports kept as
    conflicts with the case as it stood (not rivals, nor the reports a rival displaced), and
    corroborations a move contested. A move that begins a period they agree with, about its time or a
    later one (a transition, or a period told late: or an earlier time, where they say nothing against
    the fate held then), reconciles them (see :attr:`Entry.reconciles <casestate.Entry.reconciles>`). Compared
    by their entries' ``seq``."""
    rivalled: tuple[Backing, ...] = attrs.field(repr=False, eq=_seqs)
    """The open conflicts that rival the current period, in the order they began to wait: the reports
    kept as its rivals (outweighed, or as strong where the period is undecided), and those a rival
    displaced (the report that began the period it voided, and its backers), with the rival that left
    the pair undecided. A rival that holds later, displacing the period, or a move that ends it,
    reconciles those that agree with it, about its time or a later one (see :attr:`Entry.reconciles
    <casestate.Entry.reconciles>`); after a move that is no rival's, the others are no rivals of
    any period. Compared by their entries' ``seq``."""
    left_backers: tuple[Backing, ...] = attrs.field(repr=False, eq=_seqs)
    """The reports that back periods the case has left, in the order they came to them: each
    period's report and corroborations when a move left it, the late report that told a period, and
    the late reports kept as a left period stood, or that one began earlier, and the conflicts a rival
    that holds about a later day reconciled about the days between (see
    :attr:`EntryKind.EARLIER_PERIOD <casestate.EntryKind.EARLIER_PERIOD>`), each about its own time.
    A late report that tells a period, or that one began earlier, contests those about its time or
    later, in the period it changes, that disagree with it, as a move contests :attr:`backers`; so
    does a rival that holds, of the period before the one it voids. A retraction drops those of the
    periods it voids and resumes. Compared by their entries' ``seq``."""
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
        period = live_record(self, status)
        return None if period is None else snapshot_of(period)


def live_record(state: Standing, status: str) -> Period | None:
    """The latest live period of *state* in *status*, as kept: its fate, assurance and seq read alike."""
    for period in reversed(state._periods):  # noqa: SLF001 - the module that keeps them
        if (period.status if type(period) is Snapshot else period.to_status) == status:  # type: ignore[union-attr]
            return period
    return None


def resumes_the_previous(state: Standing, status: str) -> bool:
    """Whether the latest live period of *state* in *status* is the one just before the current one.

    A move that resumes it voids the current period alone.
    """
    periods = state._periods  # noqa: SLF001 - the module that keeps them
    return len(periods) > 1 and live_record(state, status) is periods[-2]


S = TypeVar("S", bound=Standing)


_MAKERS: dict[type, Callable[..., Standing]] = {}
"""By class: its :func:`maker` (a Case's sets its own slot, and those it inherits)."""


def voids_the_one_before(
    state: Standing, to_status: str, effective_at: datetime, contests: tuple[int, ...] | None
) -> bool:
    """Whether a late report of *to_status* about *effective_at* voids the period before the current one.

    A late rival of the report that began that period, which outweighed it
    (see ``_voiding`` in ``_earlier``): of the status the case
    holds, about a time after the period before that one began, up to the
    instant it began, contesting the report that began it. The current
    period begins on its day.
    """
    periods = state._periods  # noqa: SLF001 - the module that keeps them
    return (
        to_status == state.status
        and contests is not None
        and len(periods) > 2  # noqa: PLR2004 - the current period, the one it voids, and one before
        and periods[-2].seq in contests
        and since_of(periods[-3]) < effective_at <= since_of(periods[-2])
    )


def dates_the_current_earlier(
    state: Standing, to_status: str, effective_at: datetime, contests: tuple[int, ...] | None
) -> bool:
    """Whether a late report of *to_status* about *effective_at* tells that the current period began then.

    Of the status the case holds, about a time in the period before the
    current one, or voiding that period (see :func:`voids_the_one_before`):
    had it come first, it would have begun the current period.
    """
    periods = state._periods  # noqa: SLF001 - the module that keeps them
    return voids_the_one_before(state, to_status, effective_at, contests) or (
        to_status == state.status and holding_index(periods, effective_at) == len(periods) - 2
    )


def undecided(before: Snapshot, rivalled: Snapshot, effective_at: datetime, seq: int) -> Snapshot:
    """The period *rivalled*, left by the case, once a late rival as strong about *effective_at* ties with it.

    Entry *seq*. Had the rival come while that period was current, neither
    would have held: from their instant (the later of their days), the case
    would have stood as it did *before* both, as strongly as it held the
    period, begun by nobody's report.
    """
    return snapshot(
        before.status,
        before.fate,
        rivalled.assurance,
        max(effective_at, rivalled.since),
        seq,
        before.whereabouts,
        UNCONTESTED,
        None,
    )


def backs_the_period_before(
    kind: EntryKind, displaces: int | None, effective_at: datetime, voided_since: datetime, about: datetime
) -> bool:
    """Whether a conflict about *about* that an entry reconciles backs the period before the one it begins.

    Of the entry's *kind*, what it *displaces*, its *effective_at*, and when
    the period it displaces began (*voided_since*). A rival that holds about
    a later day than the period it voids began gives the days between back
    to the period before, which the case has left: a conflict about those
    days it makes agree backs that one (the ministry's "still missing" of
    3 March, kept as a conflict with a death of 2 March, once a capture card
    of 5 March outweighs the death). Every other reconciled conflict backs
    the period the entry begins, those about a time before the voided period
    began among them.
    """
    return kind is EntryKind.TRANSITION and displaces is not None and voided_since <= about < effective_at


def told_until(state: Standing, to_status: str, effective_at: datetime) -> datetime | None:
    """When the period after the one a late report of *to_status* about *effective_at* tells began.

    Of a late report that does not date the current period earlier (see
    :func:`dates_the_current_earlier`, which its callers ask first). ``None``
    where it tells no period of its own: it dates a left period earlier, or
    says the case was as the period holding its time stood.
    """
    periods = state._periods  # noqa: SLF001 - the module that keeps them
    index = holding_index(periods, effective_at)
    if to_status in (snapshot_of(periods[index]).status, snapshot_of(periods[index + 1]).status):
        return None
    return since_of(periods[index + 1])


def build(cls: type[S], *values: object) -> S:
    """A *cls* (a :class:`Standing`, or a subclass) of values already checked, in its fields' order."""
    try:
        make = _MAKERS[cls]
    except KeyError:
        make = _MAKERS[cls] = maker(cls)
    return make(*values)  # type: ignore[return-value] # a maker of cls
