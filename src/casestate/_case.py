"""Case: a missing person's case as a value, with the trail that proves it."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType

import attrs

from ._chain import PLAIN_CHAIN, BrokenTrail, Integrity, Problem, verify
from ._entry import Entry, EntryKind
from ._evidence import Tier
from ._kinds import BUILT_IN_KINDS
from ._standing import (
    Backer,
    Backing,
    Period,
    Snapshot,
    Standing,
    backs_the_period_before,
    began_by,
    build,
    dates_the_current_earlier,
    holding_index,
    since_of,
    snapshot_of,
    told_until,
    voids_the_one_before,
)
from ._status import Assurance, Whereabouts
from ._step import (
    kept_as_it_stood,
    opened,
    step_by,
    waits_for_a_move,
    whereabouts_before_recorded,
)
from ._text import MAX_CASE_ID, check_identifier
from ._time import to_utc
from ._verdict import Code
from ._writing import identity_problem

_STANDING_FIELDS = attrs.fields(Standing)


@attrs.frozen(repr=False, weakref_slot=False)
class Case(Standing):
    """A case: where it stands now (a :class:`Standing`), and the audit trail that shows how it got there.

    Cases are immutable values: ``Workflow.apply`` returns a new one. Every
    field follows from :attr:`trail`, and :func:`replay` rebuilds an equal
    case from it.
    """

    trail: tuple[Entry, ...]
    _ids: dict[str, int] | None = attrs.field(init=False, default=None, eq=False, repr=False)
    # The source ids the trail's entries took, once read; made from the trail (``None``: not yet).

    def __repr__(self) -> str:
        # What a person reading a log needs; never the trail, its personal data, or who reported.
        return (
            f"Case(id={self.id!r}, status={self.status!r}, fate={self.fate!r}, assurance={self.assurance!r}, "
            f"status_since={self.status_since!r}, open_conflicts={self.open_conflicts!r})"
        )

    @property
    def standing(self) -> Standing:
        """Where the case stands, without its trail: what a :class:`~casestate.Batch` keeps of it."""
        values = {field.name: getattr(self, field.name) for field in _STANDING_FIELDS}
        # Snapshots and backers: a batch keeps no entry alive.
        values["_periods"] = self.periods
        values["backers"] = _as_backers(self.backers)
        values["left_backers"] = _as_backers(self.left_backers)
        values["rivalled"] = _as_backers(self.rivalled)
        return build(Standing, *values.values())

    @property
    def workflow(self) -> str | None:
        """The identity of the workflow that opened the case (see ``Workflow.identity``).

        ``None`` for a case opened before casestate recorded it. A case read
        under another workflow than the one that opened it says so here:
        ``case.workflow != workflow.identity``.
        """
        return self.trail[0].workflow

    @property
    def follows(self) -> str | None:
        """The case of the person's disappearance before this one, if this is a later one.

        ``None`` for a first disappearance (see ``Workflow.open``).
        """
        return self.trail[0].follows

    @property
    def source_ids(self) -> Mapping[str, int]:
        """Every source id the case's entries took, with the number of the entry that took it.

        See :attr:`Change.source_id <casestate.Change.source_id>`: a change sent
        again under its id is stored once.
        """
        ids = self._ids
        if ids is None:
            ids = {entry.source_id: entry.seq for entry in self.trail if entry.source_id is not None}
            _set_ids(self, ids)
        return MappingProxyType(ids)

    @property
    def head(self) -> str:
        """The hash of the last entry; keep it elsewhere to detect a cut-off tail."""
        return self.trail[-1].hash

    @property
    def keyed(self) -> bool:
        """Whether the trail is sealed with a secret key (an HMAC chain)."""
        return self.trail[0].chain != PLAIN_CHAIN

    @property
    def has_conflict(self) -> bool:
        """Whether a contradicting report waits for a person to resolve it."""
        return bool(self.open_conflicts)

    @property
    def conflicts(self) -> tuple[Entry, ...]:
        """The entries of the open conflicts: reports kept as conflicts, and reports a rival displaced."""
        return tuple(self.trail[seq] for seq in self.open_conflicts)

    @property
    def facts(self) -> tuple[Entry, ...]:
        """The dated legal facts recorded on the case (a court's recognition as missing), oldest first."""
        return tuple(entry for entry in self.trail if entry.kind is EntryKind.FACT)

    @property
    def status_entry(self) -> Entry:
        """The entry that put the case into its current status.

        A retraction, or a conflict between two rival reports that neither
        holds, puts it back into a status it was in before.
        """
        for entry in reversed(self.trail):
            if sets_status(entry):
                return entry
        msg = "a case always has its opening entry"  # pragma: no cover - replay refuses such trails
        raise AssertionError(msg)  # pragma: no cover

    @property
    def live_periods(self) -> tuple[Snapshot, ...]:
        """The same as :attr:`periods`: each status period still held true, oldest first."""
        return self.periods

    def time_in_status(self, now: datetime) -> timedelta:
        """How long the case has been in its status at *now* (effective clock).

        casestate reads no clock: pass the time you mean. A *now* before the
        status took effect is refused rather than answered with a negative time.
        """
        waited = to_utc(now, "now") - self.status_since
        if waited < timedelta(0):
            msg = (
                f"now ({now.isoformat()}) is before the status took effect ({self.status_since.isoformat()})"
            )
            raise ValueError(msg)
        return waited

    def as_of_recorded(self, when: datetime) -> Snapshot | None:
        """What the case holder knew at *when*: "what did we know on 1 May?".

        ``None`` before the case was opened. Its ``contested_by`` names the
        conflicts open then about a time since the status took effect.
        """
        known = self.known_at(when)
        if known is None:
            return None
        entry = known.status_entry
        return Snapshot(
            known.status,
            known.fate,
            known.assurance,
            known.status_since,
            entry.seq,
            known.whereabouts,
            known.contesting(known.status_since, None),
        )

    def contesting(self, since: datetime, until: datetime | None) -> tuple[int, ...]:
        """The open conflicts about a time from *since* up to *until* (``None``: ever after)."""
        return tuple(
            seq
            for seq in self.open_conflicts
            if since <= self.trail[seq].effective_at
            and (until is None or self.trail[seq].effective_at < until)
        )

    def as_of_effective(self, when: datetime) -> Snapshot | None:
        """What was true at *when*, as the case holder knows it now.

        Periods that a later retraction or reopening voided do not count: as
        far as is known now, they never were. The assurance is that of the
        evidence dated up to *when*. ``contested_by`` names the open conflicts
        about a time in the period the answer gives: a report that he was
        alive after his reported death does not let the death stand unsaid.
        ``None`` before the person went missing.
        """
        when = to_utc(when, "when")
        periods = self.periods
        # Live periods begin in rising effective order, a report of an earlier one told late included.
        after = 0
        while after < len(periods) and periods[after].since <= when:
            after += 1
        if after == 0:
            return None
        began = periods[after - 1]
        entry = self.trail[began.seq]
        # As the period began: the reports that told where he was since count from when they take
        # effect, the one that began it too where a late report of its status moved its start.
        known = (
            attrs.evolve(began, assurance=entry.assurance, whereabouts=entry.whereabouts or began.whereabouts)
            if entry.effective_at <= when
            else attrs.evolve(began, assurance=Assurance.REPORTED, whereabouts=Whereabouts.UNKNOWN)
        )
        lower = periods[after - 2].since if after > 1 else None
        told = _began_live_periods(periods)
        known = _as_told(
            self.trail, began.seq, known, entry.whereabouts or began.whereabouts, when, lower, told
        )
        if not self.open_conflicts:
            return known
        until = periods[after].since if after < len(periods) else None
        return attrs.evolve(known, contested_by=self.contesting(known.since, until))

    def known_at(self, when: datetime) -> Case | None:
        """The whole case as it stood at recorded time *when* (``None`` before it was opened)."""
        when = to_utc(when, "when")
        count = 0
        for entry in self.trail:
            if entry.recorded_at > when:
                break
            count += 1
        if count == 0:
            return None
        return fold(self.trail[:count])


def _as_backers(backers: tuple[Backing, ...]) -> tuple[Backing, ...]:
    """*backers* as a :class:`~casestate._standing.Backer` each: what a batch keeps of a report."""
    return tuple(Backer(one.seq, one.trigger, one.effective_at) for one in backers)


def _as_told(  # noqa: C901, PLR0917 - the period, as it began, and when it is asked of; one branch per kind of entry
    trail: Sequence[Entry],
    began: int,
    known: Snapshot,
    held: Whereabouts,
    when: datetime,
    lower: datetime | None,
    told: Container[int] = (),
) -> Snapshot:
    """*known*, the period entry *began* began as it stood at its start, with what its entries tell by *when*.

    *held* is where the case held him once that entry was recorded; *lower*
    when the live period before it began (``None``: it is the first); *told*
    the entries that began live periods (see :func:`begins_earlier`).
    """
    first = trail[began]
    start = first.effective_at  # when the period began, by the entries read so far
    # Where the case held him as each entry came, in the order they were recorded: a
    # corroboration's entry records that place, which it told only where the case held none.
    for period, entry in in_periods(trail):
        ours = period == began  # recorded while it was the current period
        if ours and entry.seq == began:
            continue
        if entry.carries_into == began:
            # A late report of the period before it, told while this one was current or since: its
            # place is this period's from its start. One that says the case was as this period
            # stood, about the instant it began: from that instant (a late report of its status may
            # move the start earlier).
            if entry.to_status != first.to_status or entry.effective_at <= when:
                known = attrs.evolve(known, whereabouts=entry.whereabouts or known.whereabouts)
                if ours:
                    held = entry.whereabouts or held
        elif begins_earlier(entry, lower, told) if ours else begins_left_earlier(entry, first, lower, start):
            # A late report of its status, while it was current or once the case had left it: its
            # place, if it names one, holds from its day.
            start = min(start, entry.effective_at)
            named = entry.whereabouts if entry.whereabouts is not Whereabouts.UNKNOWN else None
            if entry.effective_at <= when:
                known = attrs.evolve(
                    known,
                    assurance=known.assurance.stronger(entry.assurance),
                    whereabouts=named or known.whereabouts,
                )
            if ours:
                held = named or held
        elif ours and entry.kind is EntryKind.CORROBORATION:
            if entry.effective_at <= when:
                # The entry's own evidence, not its assurance: that one also counts
                # corroborations recorded earlier that take effect after *when*.
                # One made in a period voided since corroborated nothing.
                own = _given_by(entry)
                if held is Whereabouts.UNKNOWN:
                    told_then = entry.whereabouts if known.whereabouts is Whereabouts.UNKNOWN else None
                else:
                    # Where the case held a place, one about the instant the period began may tell
                    # it otherwise, over a place carried from the period before (see
                    # _told_at_its_start): from that instant.
                    told_then = entry.whereabouts if entry.whereabouts is not held else None
                known = attrs.evolve(
                    known,
                    assurance=known.assurance.stronger(own),
                    whereabouts=told_then or known.whereabouts,
                )
            held = entry.whereabouts or held
    return known


def _given_by(entry: Entry) -> Assurance:
    """The assurance *entry*'s own evidence gives: by the tiers it records, or its built-in kinds' own."""
    tiers = entry.evidence_tiers
    if tiers is not None:
        return Assurance.for_tier(Tier(min(tiers)))
    return Assurance.for_tier(min((BUILT_IN_KINDS[kind].tier for kind in entry.evidence_kinds), default=None))


_set_ids = Case.__dict__["_ids"].__set__
"""The slot's own setter: the source ids are read from the trail once, when first asked for."""


def ids_after(case: Case, entry: Entry) -> dict[str, int] | None:
    """The source ids of *case* once *entry*, its next, is appended (``None``: read when asked)."""
    ids = case._ids  # noqa: SLF001 - the module that keeps them
    source_id = entry.source_id
    if source_id is None:
        return ids
    # A copy (the dict's own, which is quick): a case keeps its ids as they were.
    ids = dict(case.source_ids) if ids is None else ids.copy()
    ids[source_id] = entry.seq
    return ids


def sets_status(entry: Entry) -> bool:
    """Whether *entry* put its case in a status: the opening, a transition, or two rivals' conflict.

    A conflict of two rival reports neither of which holds puts the case, from
    their instant, in what it held before them; not one that leaves a period
    the case has left undecided (see :func:`leaves_a_left_one_undecided`).
    """
    return (
        entry.kind is EntryKind.TRANSITION
        or entry.kind is EntryKind.OPENED
        or (entry.displaces is not None and not leaves_a_left_one_undecided(entry))
    )


def leaves_a_left_one_undecided(entry: Entry) -> bool:
    """Whether *entry* is a late rival, as strong, of the report that began a period its case had left.

    A conflict that displaces that report and keeps the case's status: the
    left period is undecided from then on, the periods after it stand (see
    ``_left_undecided`` in ``_step``); its fate, assurance and whereabouts
    are the undecided period's. A conflict that displaces the current
    report leaves the case in the status before it, never the one it held.
    """
    return (
        entry.kind is EntryKind.CONFLICT
        and entry.displaces is not None
        and entry.to_status == entry.from_status
    )


def begins_earlier(entry: Entry, lower: datetime | None, told: Container[int] = ()) -> bool:
    """Whether *entry* is a late report of the status its case was in: the current period began on its day.

    A report of an earlier period (:attr:`EntryKind.EARLIER_PERIOD`) in the
    status the case was in (killed on 5 March, reported after a death of 10
    March), about a time in the period before the current one (which began
    at *lower*; ``None``: there was none), tells no period of its own: the
    one the case was in began then. About an older period, it is read as
    any other report of an earlier period: one that began a live period
    (its ``seq`` in *told*) told a period of its own, even where the period
    before the current one begins at its time since (a late report dated
    that one earlier).
    """
    return (
        entry.kind is EntryKind.EARLIER_PERIOD
        and entry.to_status == entry.from_status
        and (lower is None or entry.effective_at >= lower)
        and entry.seq not in told
    )


def begins_left_earlier(entry: Entry, began: Entry, lower: datetime | None, start: datetime) -> bool:
    """Whether *entry* tells that the period *began* began, one the case had left, began on its day.

    A late report of that period's status, told once the case had left it
    (the caller knows: recorded while another period was current), about a
    time before *start*, when the period began by the entries before it
    (one about a later time says the case was as that period stood), and
    after *lower* (when the live period before it began; ``None``: unknown,
    and no entry is such a report).
    """
    return (
        lower is not None
        and entry.kind is EntryKind.EARLIER_PERIOD
        and began_by(began) is not None
        and entry.to_status == began.to_status
        and entry.seq > began.seq
        and lower <= entry.effective_at < start
    )


def in_periods(entries: Iterable[Entry]) -> Iterator[tuple[int, Entry]]:
    """Each of *entries*, with the entry that began the period it falls in, live or voided since.

    *entries* begin with an entry that begins a period (the opening, or a
    live period's first entry).
    """
    period = 0
    for entry in entries:
        if sets_status(entry):
            period = entry.seq if entry.reverts_to is None else entry.reverts_to
        yield period, entry


def _inconsistent(entry: Entry, count: int, text: str) -> BrokenTrail:
    return BrokenTrail(
        Integrity(
            ok=False,
            case_id=entry.case_id,
            entries=count,
            position=entry.seq,
            problem=Problem.INCONSISTENT,
            message=f"case {entry.case_id!r}: entry {entry.seq}: {text}",
        )
    )


def holds_what_its_trail_says(case: Case) -> bool:
    """Whether *case*'s fields are what its trail says, as far as the next change depends on them.

    A Case is made by ``open``, ``apply`` and ``replay``; one rebuilt by hand
    (``attrs.evolve``) could otherwise have a change decided on fields its
    trail does not hold (another reporter, a made-up period to resume) and
    write an entry that replay refuses. Cheap: the last entry, the entries
    since the status was entered, the live periods, and the open conflicts a
    move may reconcile (nearly always none).
    """
    trail = case.trail
    last = told = trail[-1]
    whereabouts = told.whereabouts
    assurance = told.assurance
    if told.kind is EntryKind.EARLIER_PERIOD or leaves_a_left_one_undecided(told):
        # Late reports that changed only periods before the current one: the case holds what the
        # entry before them said, and what they told the current period.
        told = next(
            entry
            for entry in reversed(trail)
            if entry.kind is not EntryKind.EARLIER_PERIOD and not leaves_a_left_one_undecided(entry)
        )
        periods = case._periods  # noqa: SLF001 - the records as kept
        assurance, whereabouts = _after_late_reports(trail, told, since_of(periods[-2]), case)
    if (told.to_status, told.fate, assurance, last.recorded_at, last.seq + 1, len(trail)) != (
        case.status,
        case.fate,
        case.assurance,
        case.last_recorded_at,
        case.version,
        case.version,
    ) or whereabouts not in (None, case.whereabouts):
        return False
    if not _reported_as_its_trail_says(case) or not _waiting_as_its_trail_says(case):
        return False
    periods = case._periods  # noqa: SLF001 - the records as kept: an entry is checked by identity
    return _periods_as_told(trail, periods) and snapshot_of(periods[-1]).since == case.status_since


def rivals_and_left_as_its_trail_says(case: Case) -> bool:
    """Whether the reports *case* holds back its left periods, and rival its current one, are its trail's.

    :func:`holds_what_its_trail_says` reads only the last entries; these may
    go back far, and an entry names one of them only now and then (a late
    report or a rival that holds contesting one, a move reconciling one):
    ``Workflow.apply`` checks them, by folding the trail again, only before
    it writes such an entry. One left out is named by no entry, which replay
    accepts; ``casestate.testing.check_case`` says what it should have
    named.
    """
    found = fold(case.trail)
    # As a batch keeps them: by seq, trigger and time, whether entries or Backer values.
    return _as_backers(case.left_backers) == _as_backers(found.left_backers) and _as_backers(
        case.rivalled
    ) == _as_backers(found.rivalled)


def _periods_as_told(trail: Sequence[Entry], periods: tuple[Period, ...]) -> bool:
    """Whether the live *periods* a case keeps are those its *trail* tells: each as its entry began it."""
    if not periods:
        return False
    lower = None  # when the period before began, as the case holds it
    status = None  # the status of the period before, as the case holds it
    for period in periods:
        seq = period.seq
        if not 0 <= seq < len(trail):
            return False
        began = trail[seq]
        if period is began:
            lower, status = began.effective_at, began.to_status
            continue
        # A period a late rival left undecided holds the status of the one before it.
        held = status if leaves_a_left_one_undecided(began) else began.to_status
        if type(period) is not Snapshot or (period.status, period.fate, period.since, period.entered_by) != (
            held,
            began.fate,
            _began_at(trail, began, period.since, lower, periods),
            began_by(began),
        ):
            return False
        lower, status = period.since, period.status
    return True


def _after_late_reports(
    trail: Sequence[Entry], told: Entry, lower: datetime, case: Case
) -> tuple[Assurance, Whereabouts | None]:
    """The assurance and whereabouts of a case whose last entries after *told* report earlier periods.

    Each holds its earlier period's values; the case holds those of *told*,
    with the place such reports carried into the current period of *case*
    since, and what those of its own status told it (about a time after
    *lower*, when the period before the current one began).
    """
    assurance, whereabouts = told.assurance, told.whereabouts
    current = case._periods[-1].seq  # noqa: SLF001 - the records as kept
    for entry in trail[told.seq + 1 :]:
        if entry.carries_into is not None:
            if entry.carries_into == current:
                whereabouts = entry.whereabouts
        elif begins_earlier(entry, lower, _not_of_the_current(case)):
            assurance = assurance.stronger(entry.assurance)
            if entry.whereabouts is not Whereabouts.UNKNOWN:
                whereabouts = entry.whereabouts
    return assurance, whereabouts


def _began_at(
    trail: Sequence[Entry],
    began: Entry,
    held: datetime,
    lower: datetime | None,
    periods: Sequence[Period] = (),
) -> datetime:
    """When the period *began* began took effect, where the case holds it began at *held*.

    For a pair neither of which holds, the later of its days (the displaced
    report's as it stood then); for a period a late report of its status
    says began earlier, the earliest such report's: looked for only where
    *held* is before the entry's own time (for the current period,
    :func:`_reported_as_its_trail_says` holds the start to its trail).
    *lower* is when the live period before it began, as the case holds it;
    *periods* the live periods (a late report that began one told a period
    of its own: see :func:`begins_earlier`).
    """
    if began.kind is EntryKind.CONFLICT and began.displaces is not None:
        told = _began_live_periods(periods)
        return max(began.effective_at, _redated(trail, trail[began.displaces], began.seq, lower, told))
    if held >= began.effective_at:
        return began.effective_at
    return _redated(trail, began, len(trail), lower, _began_live_periods(periods))


def _redated(
    trail: Sequence[Entry], began: Entry, end: int, lower: datetime | None = None, told: Container[int] = ()
) -> datetime:
    """When the period *began* began, by the entries before *end*: its own time, or an earlier one told late.

    Only a report's period begins earlier (not a resumed one): by a late
    report of its status while it was the current one, or, once the case has
    left it, by one about a time after *lower* (when the live period before
    it began), if given. A period a late report told was never the current
    one.
    """
    since = began.effective_at
    if began_by(began) is None:
        return since
    status, left = began.to_status, began.kind is EntryKind.EARLIER_PERIOD
    for entry in trail[began.seq + 1 : end]:
        if sets_status(entry):
            left = True
            continue
        if (
            entry.kind is not EntryKind.EARLIER_PERIOD
            or entry.to_status != status
            or entry.effective_at >= since
        ):
            continue
        # Its status reported late: while it was current, or once the case had left it.
        if (
            begins_earlier(entry, lower, told)
            if not left
            else begins_left_earlier(entry, began, lower, since)
        ):
            since = entry.effective_at
    return since


def _backed_by(held: tuple[Backing, ...], found: list[int]) -> bool:
    """Whether the backers a case *held* are the reports its trail says back it: *found*, latest first."""
    if not found:
        return not held  # nearly every case: no corroboration since the status was entered
    return len(held) == len(found) and all(
        backer.seq == seq for backer, seq in zip(held, reversed(found), strict=True)
    )


def _waiting_as_its_trail_says(case: Case) -> bool:
    """Whether the open conflicts *case* holds a move may reconcile are those its trail says.

    An open conflict waits (see ``Standing.waiting``) when the last entry
    since it that names it contests it, or, where none names it, when it is
    a report kept as a conflict with the case as it stood; one a move
    reconciled and a rival's displacement made wait again does not. Each
    once, with its entry's trigger and time. Cheap: nearly every case has no
    open conflict, and the trail is read only from the oldest one.
    """
    waiting = case.waiting
    conflicts = case.open_conflicts
    if not conflicts:
        return not waiting
    trail = case.trail
    contested: dict[int, bool] = {}  # by conflict: whether the last entry naming it contests it
    for entry in trail[min(conflicts) :]:
        contests = entry.contests
        if contests:
            # The reports of a period a late rival left undecided wait with it, for a person to
            # settle: the move after that period ended their rivalry before the rival came.
            waits = not leaves_a_left_one_undecided(entry)
            for seq in contests:
                contested[seq] = waits
        for seq in entry.reconciles or ():
            contested[seq] = False
    found = [
        seq
        for seq in conflicts
        if contested.get(
            seq,
            trail[seq].kind is EntryKind.CONFLICT
            and waits_for_a_move(trail[seq].displaces, trail[seq].codes),
        )
    ]
    return sorted(report.seq for report in waiting) == sorted(found) and all(
        (trail[report.seq].trigger, trail[report.seq].effective_at) == (report.trigger, report.effective_at)
        for report in waiting
    )


def _not_of_the_current(case: Case) -> frozenset[int]:
    """The late reports of *case* that told a live period, or back a period it has left.

    Neither dated the current period earlier, whatever the period before it
    begins at now: the step kept such a report in ``left_backers`` (or as a
    period's own entry) when it came.
    """
    return _began_live_periods(case.periods) | {backer.seq for backer in case.left_backers}


def _began_live_periods(periods: Sequence[Period | Snapshot]) -> frozenset[int]:
    """The entries that began *periods*: a late report among them told a period of its own."""
    return frozenset(period.seq for period in periods)


def _period_before_began(case: Case) -> datetime | None:
    """When the live period before *case*'s current one began (``None``: there is none)."""
    periods = case._periods  # noqa: SLF001 - the standing the trail must give
    return since_of(periods[-2]) if len(periods) > 1 else None


def _voided_since(case: Case, entry: Entry) -> datetime:
    """When the period *entry* voids began, where it is a rival that holds with conflicts about earlier days.

    Read by folding the trail up to it (rare: only such a rival needs it);
    otherwise *entry*'s own time, which routes no reconciled conflict to the
    period before.
    """
    trail = case.trail
    if (
        entry.kind is not EntryKind.TRANSITION
        or entry.displaces is None
        or all(trail[seq].effective_at >= entry.effective_at for seq in entry.reconciles or ())
    ):
        return entry.effective_at
    return fold(trail[: entry.seq]).status_since


def _reported_as_its_trail_says(case: Case) -> bool:
    """Whether *case*'s reporter, backing and the report that began its period are those of its trail."""
    backing: set[str] = set()
    backers: list[int] = []
    since = case.status_since
    earliest = None  # the day the latest late report of its status says the current period began
    for entry in reversed(case.trail):
        kind = entry.kind
        if sets_status(entry):
            # A resumed period, or one two rivals left undecided, is nobody's report.
            reporter = None if kind is EntryKind.CONFLICT or entry.reverts_to is not None else entry.actor_id
            began = entry.trigger if kind is not EntryKind.OPENED and entry.reverts_to is None else None
            if entry.reconciles:
                # The conflicts it made agree back it, before any report since (but those about the
                # days between, which back the period before).
                voided_since = _voided_since(case, entry)
                backers.extend(
                    seq
                    for seq in reversed(entry.reconciles)
                    if not backs_the_period_before(
                        kind, entry.displaces, entry.effective_at, voided_since, case.trail[seq].effective_at
                    )
                )
            if earliest is not None:
                # A late report of its status moved its start: the report that began it backs it, first.
                backers.append(entry.seq)
            return (
                reporter == case.reporter_id
                and backing == case.backing
                and (began, kind is EntryKind.CONFLICT) == (case.entered_by, case.tied)
                and _backed_by(case.backers, backers)
                and (
                    kind is not EntryKind.TRANSITION
                    or entry.reverts_to is not None
                    or since == (earliest or entry.effective_at)
                )
            )
        if kind is EntryKind.CORROBORATION or (
            kind is EntryKind.EARLIER_PERIOD
            and begins_earlier(entry, _period_before_began(case), _not_of_the_current(case))
        ):
            backing.add(entry.role)
            if kind is EntryKind.EARLIER_PERIOD:
                earliest = earliest or entry.effective_at  # each moved the start earlier than the one before
                # The conflicts it made agree back the period after it.
                backers.extend(reversed(entry.reconciles or ()))
            backers.append(entry.seq)
        elif entry.reconciles and leaves_a_left_one_undecided(entry):
            # A late rival that left a left period undecided: what it made agree backs the current one.
            backers.extend(reversed(entry.reconciles))
    return False  # pragma: no cover - replay refuses a trail without its opening entry


def _not_following(state: Standing, entry: Entry) -> str | None:  # noqa: C901, PLR0911, PLR0912 - one rule each
    """Why *entry* cannot be the next entry of a case standing at *state*; ``None`` when it can."""
    if entry.recorded_at < state.last_recorded_at:
        return "recorded before the entry preceding it"
    status = state.status
    if entry.from_status != status:
        return f"leaves {entry.from_status!r}, but the case was {status!r}"
    # Two sets only when something is resolved: nearly no entry resolves anything.
    if entry.resolves and not set(entry.resolves) <= set(state.open_conflicts):
        return "resolves an entry that is not an open conflict"
    if entry.workflow is not None:
        return "names a workflow, which only the opening entry does"
    if entry.follows is not None:
        return "names a case it follows, which only the opening entry does"
    kind = entry.kind
    if entry.codes and kind is not EntryKind.CONFLICT:
        return f"a {kind} entry has no codes: only a conflict says why it is one"
    if entry.carries_into is not None and kind is not EntryKind.EARLIER_PERIOD:
        return f"a {kind} entry carries no whereabouts into a period"
    if entry.contests is not None and (refused := _not_contesting(state, entry)) is not None:
        return refused  # and one that passes is held to every rule of its kind, below
    if entry.reconciles is not None and (refused := _not_reconciling(state, entry)) is not None:
        return refused
    if entry.displaces is not None:
        return _not_displacing(state, entry)
    if entry.reverts_to is not None and kind is not EntryKind.TRANSITION:
        return f"a {kind} entry cannot resume an earlier status"
    if kind is EntryKind.TRANSITION:
        if entry.effective_at < state.status_since:
            return "takes effect before the status it leaves"
        resumed = entry.reverts_to
        if resumed is not None and not any(
            period.seq == resumed and period.status == entry.to_status for period in state.periods
        ):
            return f"resumes entry {resumed}, which began no live {entry.to_status!r} period"
        if resumed is not None and entry.whereabouts not in (None, _resumed_whereabouts(state, resumed)):
            return f"resumes entry {resumed}, but not where that period held the person"
    elif kind is EntryKind.CORROBORATION:
        if (entry.to_status, entry.fate) != (
            status,
            state.fate,
        ) or entry.assurance != state.assurance.stronger(entry.assurance):
            return "a corroboration can only raise the assurance"
        if (
            entry.whereabouts not in (None, state.whereabouts)
            and state.whereabouts is not Whereabouts.UNKNOWN
            and not _told_at_its_start(state, entry)
        ):
            return "a corroboration cannot change whereabouts the case holds"
    elif kind is EntryKind.EARLIER_PERIOD:
        return _not_telling_earlier(state, entry)
    elif kind is EntryKind.CONFLICT or kind is EntryKind.DISMISSAL or kind is EntryKind.FACT:
        if (entry.to_status, entry.fate, entry.assurance) != (
            status,
            state.fate,
            state.assurance,
        ) or entry.whereabouts not in (None, state.whereabouts):
            return f"a {kind} entry cannot change the status"
        if kind is EntryKind.CONFLICT and entry.resolves:
            return "a conflict entry cannot resolve others"
    else:
        return "only the first entry may open the case"
    return None


def _not_contesting(state: Standing, entry: Entry) -> str | None:  # noqa: C901 - one rule per kind of entry
    """Why *entry*, which names corroborations it contests, cannot be the next entry at *state*; or ``None``.

    Only a move that begins a period of its own contests; what it names are
    reports that back the period it ends (see ``Standing.backers``), about
    its own time or a later one, each once and in order. So does a late
    report that tells a period before the current one, or that one began
    earlier: it names reports that back a left period (see
    ``Standing.left_backers``), about its own time or a later one before the
    next period began; and a rival that holds, voiding the current period:
    reports that back a left period, about its own time or a later one.
    Whether each says otherwise than the move or the late report is the
    workflow's to say, which replay does not read.
    """
    contests = entry.contests
    if not contests or list(contests) != sorted(set(contests)):
        return "contests no corroboration, or not each once and in order"
    effective = entry.effective_at
    if entry.kind is EntryKind.EARLIER_PERIOD:
        if kept_as_it_stood(state, entry.to_status, effective):
            return "a late report kept as a left period stood contests nothing"
        periods = state._periods  # noqa: SLF001 - the standing replay holds the entry to
        # A rival of the report that began the period before the current one voids that period: it
        # contests its reports too, up to the current period's start.
        if voids_the_one_before(state, entry.to_status, effective, contests):
            changed = len(periods) - 1
        else:
            changed = holding_index(periods, effective) + 1
        backers, until = state.left_backers, since_of(periods[changed])
    elif leaves_a_left_one_undecided(entry):
        # The reports that backed the period it leaves undecided, from its start, wait with it: the
        # report that began it among them.
        periods = state.periods
        index = next((index for index, period in enumerate(periods) if period.seq == entry.displaces), 0)
        if not 0 < index < len(periods) - 1 or entry.displaces not in contests:
            return f"leaves entry {entry.displaces}'s period undecided, but does not contest that report"
        backers, until = state.left_backers, periods[index + 1].since
        effective = periods[index].since
    elif entry.kind is not EntryKind.TRANSITION or entry.reverts_to is not None:
        return "only a move that begins a period of its own, or a late report of one, contests corroborations"
    elif entry.displaces is not None:
        # A rival that holds begins its period from the one before the period it voids.
        backers, until = state.left_backers, None
    else:
        backers, until = state.backers, None
    by_seq = {backer.seq: backer for backer in backers}
    for seq in contests:
        backer = by_seq.get(seq)
        if (
            backer is None
            or backer.effective_at < effective
            or (until is not None and backer.effective_at >= until)
        ):
            return f"contests entry {seq}, no report backing the period it changes about its time or later"
    return None


def _not_reconciling(state: Standing, entry: Entry) -> str | None:
    """Why *entry*, which names conflicts it reconciles, cannot be the next entry at *state*; or ``None``.

    Only a move that begins a period reconciles: a transition that does not
    resume one, a report that leaves two rivals undecided (from when the
    status it leaves took effect), or a late report that begins the current
    period earlier or tells a period of its own (up to the start of the
    period after it), as its move would have, had it come first; or a late
    rival that leaves a left period undecided (before the current period
    began, what would now corroborate it). What it names
    are open conflicts a move may reconcile (see ``Standing.waiting``), or,
    for a transition, those that rivalled the period it ends or voids (see
    ``Standing.rivalled``; a rival that holds may name the rival it
    displaces, where it agrees with it), that it does not settle,
    about a time from the period's start on (a transition, or a late report
    that tells a period of its own: from when he went missing), each once
    and in order. Whether
    each agrees with the period is the workflow's to say, which replay does
    not read.
    """
    kind = entry.kind
    tie = kind is EntryKind.CONFLICT and entry.displaces is not None
    earlier = kind is EntryKind.EARLIER_PERIOD and dates_the_current_earlier(
        state, entry.to_status, entry.effective_at, entry.contests
    )
    # A late report that tells a period of its own reconciles what agrees with it up to the next one.
    until = (
        told_until(state, entry.to_status, entry.effective_at)
        if kind is EntryKind.EARLIER_PERIOD and not earlier
        else None
    )
    if (
        not tie
        and not earlier
        and until is None
        and (kind is not EntryKind.TRANSITION or entry.reverts_to is not None)
    ):
        return "only a move that begins a period, or a late report that begins one, reconciles"
    reconciles = entry.reconciles
    if not reconciles or list(reconciles) != sorted(set(reconciles)):
        return "reconciles no conflict, or not each once and in order"
    transition = kind is EntryKind.TRANSITION
    if tie and leaves_a_left_one_undecided(entry):
        # A late rival that leaves a left period undecided reconciles only what, about an earlier
        # time than the current period began, would now corroborate that period.
        until = state.status_since
    # A transition that begins a period, or a late report that tells a period of its own (or leaves
    # one undecided), reconciles the conflicts (not rivals) about an earlier time too that, come after
    # it, would corroborate the period (the fate held then is the workflow's to read).
    earlier_too = transition or until is not None
    went_missing = state.periods[0].since
    kept = {report.seq for report in state.waiting}
    # A pair left undecided about a later day, or a rival that holds, leaves the days between to the
    # period before, which the conflicts about those days it reconciles agree with.
    since = (
        state.status_since
        if tie
        else min(entry.effective_at, state.status_since)
        if transition and entry.displaces is not None
        else entry.effective_at
    )
    pool = (*state.waiting, *state.rivalled) if transition else state.waiting
    waiting = {report.seq: report for report in pool if report.seq not in entry.resolves}
    for seq in reconciles:
        report = waiting.get(seq)
        if (
            report is None
            or (
                report.effective_at < since
                and not (earlier_too and seq in kept and report.effective_at >= went_missing)
            )
            or (until is not None and report.effective_at >= until)
        ):
            return f"reconciles entry {seq}, no open conflict a move may reconcile about the period's time"
    return None


def _not_displacing(state: Standing, entry: Entry) -> str | None:  # noqa: C901, PLR0911 - one rule each
    """Why *entry*, which displaces a report, cannot be the next entry at *state*; ``None`` when it can."""
    kind = entry.kind
    displaced = entry.displaces
    if kind is not EntryKind.TRANSITION and kind is not EntryKind.CONFLICT:
        return f"a {kind} entry cannot displace a report"
    if leaves_a_left_one_undecided(entry):
        return _not_leaving_undecided(state, entry)
    periods = state.periods
    if (
        len(periods) < 2  # noqa: PLR2004 - the current period and one before
        or periods[-1].seq != displaced
        or state.entered_by is None
    ):
        return f"displaces entry {displaced}, which began no current period a report began"
    before = periods[-2]
    effective = entry.effective_at
    if effective != state.status_since and (
        (state.tied and effective > state.status_since) or effective < before.since
    ):
        # About another time, a rival speaks of the period before the one it displaces.
        return f"displaces entry {displaced}, but is about a time outside the period before it"
    if entry.reverts_to is not None:
        return "an entry that displaces a report resumes nothing"
    if kind is EntryKind.TRANSITION:
        return None
    if entry.resolves:
        return "a conflict entry cannot resolve others"
    if entry.codes != _RIVALS:
        return (
            f"a conflict that displaces a report is its rival ({Code.RIVAL_REPORT}), not {list(entry.codes)}"
        )
    if state.tied:
        return "two rivals left the instant undecided already: a third joins them, displacing nothing"
    if (entry.to_status, entry.fate, entry.assurance) != (
        before.status,
        before.fate,
        state.assurance,
    ) or entry.whereabouts not in (None, before.whereabouts):
        return "a conflict that displaces a report holds what the case held before it, as strongly as it"
    return None


def _not_leaving_undecided(state: Standing, entry: Entry) -> str | None:  # noqa: PLR0911 - one rule each
    """Why *entry*, a late rival as strong as the report that began a left period, cannot follow *state*.

    It displaces that report, which a report began after the period before
    it, about a time after that one began and up to the instant the
    displaced one did; the period after it, which a report began, stands as
    the case holds it (``None`` when it can). Whether it rivals that report,
    and as strongly, is the workflow's to say, which replay does not read.
    """
    periods = state.periods
    displaced = entry.displaces
    index = next((index for index, period in enumerate(periods) if period.seq == displaced), 0)
    if not 0 < index < len(periods) - 1 or periods[index].entered_by is None:
        return f"displaces entry {displaced}, which began no period a report began before the current one"
    current = index + 1 == len(periods) - 1
    if periods[index + 1].entered_by is None or (current and state.tied):
        return f"displaces entry {displaced}, but no report began the period after it"
    before, left = periods[index - 1], periods[index]
    if not before.since < entry.effective_at <= left.since:
        return f"displaces entry {displaced}, but is about a time outside the period before it"
    if entry.reverts_to is not None or entry.resolves:
        return "a conflict that leaves a left period undecided resumes and settles nothing"
    if entry.contests is None:
        return f"leaves entry {displaced}'s period undecided, but does not contest that report"
    if entry.codes != _RIVALS:
        return (
            f"a conflict that displaces a report is its rival ({Code.RIVAL_REPORT}), not {list(entry.codes)}"
        )
    if (entry.fate, entry.assurance, entry.whereabouts) != (before.fate, left.assurance, before.whereabouts):
        return (
            "a conflict that leaves a left period undecided holds the fate and place of the period "
            "before it, as strongly as it held its own"
        )
    return None


def _not_telling_earlier(state: Standing, entry: Entry) -> str | None:  # noqa: C901, PLR0911, PLR0912 - one rule each
    """Why *entry*, a report of an earlier period, cannot follow *state*; ``None`` when it can."""
    periods = state.periods
    if len(periods) > 1 and entry.effective_at < state.status_since:
        # That the case was as the period that holds its time stood: however the current one began.
        index = holding_index(state._periods, entry.effective_at)  # noqa: SLF001 - the step's own records
        stood = periods[index]
        if entry.to_status == stood.status and stood.status != state.status:
            return _not_as_it_stood(stood, entry, periods[index - 1] if index > 0 else None)
    if len(periods) < 2 or entry.effective_at >= state.status_since:  # noqa: PLR2004 - the current period and one before
        return "tells an earlier period, but not of a time before the current one"
    if voids_the_one_before(state, entry.to_status, entry.effective_at, entry.contests):
        # A rival of the report that began the period before the current one, which it voids: the
        # current period begins on its day, from the period before that one.
        if periods[-2].entered_by is None or state.entered_by is None or state.tied:
            return "voids a period, but no report began it or the current one"
        if entry.codes or entry.whereabouts is None:
            return "a report of an earlier period is kept as no conflict, and says where he was"
        return _not_moving_the_current_one(state, periods[-3], entry)
    # Judged against the live period that holds its time, and the one after it.
    index = holding_index(state._periods, entry.effective_at)  # noqa: SLF001 - the step's own records
    before, after = periods[index], periods[index + 1]
    current = index == len(periods) - 2
    entered = (None if state.tied else state.entered_by) if current else after.entered_by
    if entered is None:
        return "tells an earlier period, but no report began the period after the one it falls in"
    if entry.to_status == before.status:
        return "tells the period that holds its time, but not as that period stood"
    if not before.since <= entry.effective_at or (before.since == entry.effective_at and before.seq != 0):
        return "tells an earlier period, but not of a time between two periods"
    if entry.codes:
        return "a report of an earlier period is kept as no conflict: it has no codes"
    if entry.whereabouts is None:
        return "tells an earlier period, but not where he was"
    refused = _not_carrying(entry, before, after)
    if refused is not None:
        return refused
    if current:
        return _not_moving_the_current_one(state, before, entry)
    return _not_moving_a_left_one(state, after, entry, just_before=index == len(periods) - 3)


def _not_carrying(entry: Entry, before: Snapshot, after: Snapshot) -> str | None:
    """Why *entry*, told between *before* and *after*, cannot carry its place as it says; ``None`` if it can.

    The period right after the one it tells, *after* (the current one or one
    the case has left), takes its place, where *after* held the place of
    *before*.
    """
    carried = entry.carries_into
    if carried is None:
        return None
    if carried != after.seq or entry.to_status == after.status:
        return f"carries its whereabouts into entry {carried}, not the period right after the one it tells"
    if not _carries_a_place_into(entry, after, before):
        return f"carries its whereabouts into entry {carried}, which holds no place carried from before it"
    return None


def _carries_a_place_into(entry: Entry, into: Snapshot, before: Snapshot) -> bool:
    """Whether *entry* may tell the period *into* its place: one *into* took over from the period *before*.

    Where *into*'s report named none, which is the workflow's to say (replay
    does not read it); and another place than *into* holds.
    """
    return into.whereabouts is before.whereabouts and entry.whereabouts not in (None, into.whereabouts)


def _not_moving_a_left_one(
    state: Standing, after: Snapshot, entry: Entry, *, just_before: bool
) -> str | None:
    """Why *entry*, told before *after*, a period the case has left, cannot move it as it does.

    One of that period's status tells it began earlier than known: as it
    stood, from an earlier day (its fate, and no other place); not the
    period *just_before* the current one, in the status the case holds,
    which such an entry would read as the current one.
    """
    if entry.to_status == after.status == state.status and just_before:
        return "tells an earlier start of the period before the current one, in its status: the current one's"
    if entry.to_status == after.status and (
        entry.fate is not after.fate or entry.whereabouts not in (Whereabouts.UNKNOWN, after.whereabouts)
    ):
        return "tells an earlier start of a period the case has left, but not as that period stood"
    return None


def _not_moving_the_current_one(state: Standing, before: Snapshot, entry: Entry) -> str | None:
    """Why *entry*, told after the period *before*, cannot move *state*'s current period as it does."""
    if begins_earlier(entry, before.since):
        # The current period began earlier than known: the same story, from an earlier day.
        if entry.fate is not state.fate or entry.carries_into is not None:
            return "tells an earlier start of the current period, but not the fate it holds"
        if entry.whereabouts not in (Whereabouts.UNKNOWN, state.whereabouts) and (
            state.whereabouts not in (Whereabouts.UNKNOWN, before.whereabouts)
        ):
            return "tells an earlier start of the current period, but another place than it was told"
    return None


def _not_as_it_stood(before: Snapshot, entry: Entry, previous: Snapshot | None) -> str | None:
    """Why *entry*, a late report that the case was as the period *before* stood, cannot follow it.

    *before* is the period that holds the entry's time (one the case has
    left), *previous* the one before it, if any. About the instant *before* began,
    where it held *previous*'s place (its report named none: the workflow's
    to say, which replay does not read), the entry may tell it another one
    from then (``carries_into`` names *before*'s entry).
    """
    if entry.effective_at < before.since:
        return "tells an earlier period, but of a time before the person went missing"
    told = (
        entry.carries_into is not None
        and entry.carries_into == before.seq
        and entry.effective_at == before.since
        and before.entered_by is not None  # a report or a move began it at its own time
        and previous is not None
        and entry.whereabouts is not Whereabouts.UNKNOWN  # a place it names
        and _carries_a_place_into(entry, before, previous)
    )
    if (entry.fate, entry.codes) != (before.fate, ()) or (
        not told and (entry.whereabouts, entry.carries_into) != (before.whereabouts, None)
    ):
        return "tells the period that holds its time, but not as it stood"
    return None


_RIVALS = (Code.RIVAL_REPORT,)
"""The codes of a conflict that displaces a report: two rivals, neither of which holds."""


def _told_at_its_start(state: Standing, entry: Entry) -> bool:
    """Whether corroboration *entry* may tell the current period where he was: about the instant it began.

    Only where the period holds the place of the period before, which its
    report may have named or carried over; the workflow, which replay does
    not read, says which (see :func:`casestate._stretch.carried_place`).
    """
    periods = state.periods
    return (
        entry.effective_at == state.status_since
        and entry.whereabouts is not Whereabouts.UNKNOWN
        and len(periods) > 1
        and state.whereabouts is periods[-2].whereabouts
    )


def _resumed_whereabouts(state: Standing, seq: int) -> Whereabouts:
    return next(period.whereabouts for period in state.periods if period.seq == seq)


def _not_opening(first: Entry) -> str | None:
    """Why *first* cannot open a trail; ``None`` when it can."""
    if first.kind is not EntryKind.OPENED or first.from_status is not None:
        return "a trail must begin with the opening entry"
    if named := _named_before_the_opening(first):
        return f"the opening entry has {named}, which only a later entry has"
    if first.workflow is not None and (problem := identity_problem(first.workflow)) is not None:
        return f"its workflow is {problem}"
    if first.follows is not None:
        try:
            check_identifier(first.follows, "follows", MAX_CASE_ID)
        except ValueError as error:
            return str(error)
        if first.follows == first.case_id:
            return "it follows itself"
    return None


def _named_before_the_opening(first: Entry) -> str:
    """The fields of an opening entry that name entries before it, or a conflict's reasons, by name."""
    named = {
        "resolves": first.resolves,
        "codes": first.codes,
        "reverts_to": first.reverts_to,
        "displaces": first.displaces,
        "contests": first.contests,
        "reconciles": first.reconciles,
        "carries_into": first.carries_into,
    }
    return ", ".join(name for name, value in named.items() if value not in (None, ()))


def fold(entries: Sequence[Entry], known: Case | None = None) -> Case:
    """Build the case that *entries* record, checking that each follows from the last.

    With *known*, a case whose trail begins *entries*, only the entries after
    it are folded onto it. The chain itself is not checked here;
    :func:`replay` does both.
    """
    trail = tuple(entries)
    count = len(trail)
    if known is None:
        first = trail[0]
        if (refused := _not_opening(first)) is not None:
            raise _inconsistent(first, count, refused)
        state = opened(
            first.case_id,
            first.to_status,
            first.fate,
            first.assurance,
            first.whereabouts or whereabouts_before_recorded(first.to_status, Whereabouts.UNKNOWN),
            first.effective_at,
            first.actor_id,
            first.recorded_at,
            (first,),
        )
        rest = trail[1:]
        ids = {} if first.source_id is None else {first.source_id: 0}
    else:
        # As it is kept, periods and all: folded on, it equals the case replayed whole.
        state = build(Standing, *(getattr(known, field.name) for field in _STANDING_FIELDS))
        rest = trail[known.version :]
        ids = dict(known.source_ids)
    previous = trail[len(trail) - len(rest) - 1]
    for entry in rest:
        problem = _not_following(state, entry) or _taking(ids, entry) or _forgetting(previous, entry)
        if problem is not None:
            raise _inconsistent(entry, count, problem)
        state = step_by(state, entry)
        previous = entry
    return case_of(state, trail, ids)


def _forgetting(previous: Entry, entry: Entry) -> str | None:
    """Why *entry* cannot record no whereabouts: the entry *previous* to it records them."""
    if entry.whereabouts is None and previous.whereabouts is not None:
        # An older version never continued a newer one's trail: such an entry is made by hand,
        # and left out, a place a report told is lost.
        return "records no whereabouts, after an entry that records them"
    return None


def _taking(ids: dict[str, int], entry: Entry) -> str | None:
    """Why *entry* cannot take its source id, among the *ids* taken before it; else it takes it, if any."""
    source_id = entry.source_id
    if source_id is None:
        return None
    taken = ids.setdefault(source_id, entry.seq)
    return None if taken == entry.seq else f"takes source id {source_id!r}, which entry {taken} took"


def case_of(state: Standing, trail: tuple[Entry, ...], ids: dict[str, int] | None = None) -> Case:
    """The case standing at *state*, whose trail *trail* proves it (both already checked).

    *ids* are the source ids the trail's entries took, when known (``None``: read when asked).
    """
    return build(Case, *(getattr(state, field.name) for field in _STANDING_FIELDS), trail, ids)


def replay(
    entries: Sequence[Entry],
    *,
    key: bytes | None = None,
    head: str | None = None,
    allow_redacted: bool = False,
    known: Case | None = None,
) -> Case:
    """Verify *entries* and rebuild the case they record.

    Raises :class:`BrokenTrail`, naming the case and the first bad entry,
    when the chain is broken or an entry does not follow from the one before.
    Replay does not re-check the workflow's guards: a trail records what the
    rules of its day allowed. A redacted trail replays with *allow_redacted*.

    *known* is a case replayed before from the first entries of *entries*
    (the same trail, since grown): only the entries after it are checked.
    """
    if known is not None and tuple(entries[: known.version]) != known.trail:
        msg = "known must be a case whose trail begins the entries given"
        raise ValueError(msg)
    trusted = 0 if known is None else known.version
    integrity = verify(entries, key=key, head=head, allow_redacted=allow_redacted, trusted=trusted)
    if not integrity.ok:
        raise BrokenTrail(integrity)
    return fold(entries, known)
