"""Case: a missing person's case as a value, with the trail that proves it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from ._chain import BrokenTrail, Integrity, Problem, verify
from ._entry import Entry, EntryKind
from ._status import Assurance, Fate
from ._time import to_utc


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


_new_snapshot = object.__new__
_status, _fate, _assurance, _since, _seq = (
    Snapshot.__dict__[name].__set__ for name in ("status", "fate", "assurance", "since", "seq")
)


def snapshot(status: str, fate: Fate, assurance: Assurance, since: datetime, seq: int) -> Snapshot:
    """A :class:`Snapshot` of values already checked, without its constructor's per-field calls.

    A batch makes one per status period it tracks, often millions in a run;
    the slots' own setters cost a fraction of a frozen class's ``__init__``.
    """
    made = _new_snapshot(Snapshot)
    _status(made, status)
    _fate(made, fate)
    _assurance(made, assurance)
    _since(made, since)
    _seq(made, seq)
    return made


@attrs.frozen
class Case:
    """A case: its status now, and the audit trail that shows how it got there.

    Cases are immutable values: ``Workflow.apply`` returns a new one. Every
    field follows from :attr:`trail`, and :func:`replay` rebuilds an equal
    case from it.
    """

    id: str
    status: str
    fate: Fate
    assurance: Assurance
    status_since: datetime
    """When the current status took effect, by the effective clock."""
    open_conflicts: tuple[int, ...]
    """Sequence numbers of conflict entries nobody has resolved yet."""
    periods: tuple[int, ...] = attrs.field(repr=False)
    """The entries that began each status period still held true, oldest first.

    A retraction or reopening voids the periods after the one it resumes.
    """
    trail: tuple[Entry, ...] = attrs.field(repr=False)
    last_recorded_at: datetime = attrs.field(repr=False)
    """When the case holder last recorded anything on the case (the last entry's recorded time).

    Kept as a field, not read from the trail: every check compares a change
    with it, and the last entry is one more object to fetch from memory.
    """

    @property
    def version(self) -> int:
        """The number of entries; a store compares it to detect concurrent writers."""
        return len(self.trail)

    @property
    def head(self) -> str:
        """The hash of the last entry; keep it elsewhere to detect a cut-off tail."""
        return self.trail[-1].hash

    @property
    def keyed(self) -> bool:
        """Whether the trail is sealed with a secret key (an HMAC chain)."""
        return self.trail[0].chain != "sha256"

    @property
    def has_conflict(self) -> bool:
        """Whether a contradicting report waits for a person to resolve it."""
        return bool(self.open_conflicts)

    @property
    def conflicts(self) -> tuple[Entry, ...]:
        """The open conflict entries."""
        return tuple(self.trail[seq] for seq in self.open_conflicts)

    @property
    def status_entry(self) -> Entry:
        """The entry that put the case into its current status."""
        for entry in reversed(self.trail):
            if entry.kind is EntryKind.TRANSITION or entry.kind is EntryKind.OPENED:
                return entry
        msg = "a case always has its opening entry"  # pragma: no cover - replay refuses such trails
        raise AssertionError(msg)  # pragma: no cover

    @property
    def reporter_id(self) -> str | None:
        """Who made the change that entered the current status (``None`` once redacted)."""
        return self.status_entry.actor_id

    @property
    def live_periods(self) -> tuple[Snapshot, ...]:
        """Each status period still held true, oldest first, with the assurance it had when it ended.

        The last one is the current period. A retraction or reopening that
        resumes an earlier period resumes it as it stood, fate and assurance
        included.
        """
        return tuple(self._period(index) for index in range(len(self.periods)))

    def live_period(self, status: str) -> Snapshot | None:
        """The case's latest live period in *status*, if it has one (see :attr:`live_periods`)."""
        periods, trail = self.periods, self.trail
        for index in range(len(periods) - 1, -1, -1):
            if trail[periods[index]].to_status == status:
                return self._period(index)
        return None

    def _period(self, index: int) -> Snapshot:
        periods, trail = self.periods, self.trail
        began = trail[periods[index]]
        # Every entry records the case's assurance after it, and the entry just
        # before the next live period began falls in this one.
        assurance = trail[periods[index + 1] - 1].assurance if index + 1 < len(periods) else self.assurance
        return Snapshot(began.to_status, began.fate, assurance, began.effective_at, began.seq)

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

        ``None`` before the case was opened.
        """
        known = self.known_at(when)
        if known is None:
            return None
        entry = known.status_entry
        return Snapshot(known.status, known.fate, known.assurance, known.status_since, entry.seq)

    def as_of_effective(self, when: datetime) -> Snapshot | None:
        """What was true at *when*, as the case holder knows it now.

        Periods that a later retraction or reopening voided do not count: as
        far as is known now, they never were. The assurance is that of the
        evidence dated up to *when*. ``None`` before the person went missing.
        """
        when = to_utc(when, "when")
        live = set(self.periods)
        known: Snapshot | None = None
        period = 0  # the entry that began the period each entry falls in, live or voided
        for entry in self.trail:
            kind = entry.kind
            if kind is EntryKind.TRANSITION or kind is EntryKind.OPENED:
                period = entry.seq if entry.reverts_to is None else entry.reverts_to
                if entry.seq not in live:
                    continue
                # Live periods begin in rising effective order, so the first
                # one after *when* ends the search.
                if entry.effective_at > when:
                    break
                known = _snapshot(entry)
            elif (
                kind is EntryKind.CORROBORATION
                and known is not None
                and period == known.seq
                and entry.effective_at <= when
            ):
                # The entry's own evidence, not its assurance: that one also counts
                # corroborations recorded earlier that take effect after *when*.
                # One made in a period voided since corroborated nothing.
                own = Assurance.for_tier(min((k.tier for k in entry.evidence_kinds), default=None))
                known = attrs.evolve(known, assurance=known.assurance.stronger(own))
        return known

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


def _snapshot(entry: Entry) -> Snapshot:
    return Snapshot(entry.to_status, entry.fate, entry.assurance, entry.effective_at, entry.seq)


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


def fold(entries: Sequence[Entry], known: Case | None = None) -> Case:  # noqa: C901, PLR0912, PLR0915 - each branch is one rule of the trail
    """Build the case that *entries* record, checking that each follows from the last.

    With *known*, a case whose trail begins *entries*, only the entries after
    it are folded onto it. The chain itself is not checked here;
    :func:`replay` does both.
    """
    trail = tuple(entries)
    count = len(trail)
    first = trail[0]
    if known is None:
        if first.kind is not EntryKind.OPENED or first.from_status is not None:
            raise _inconsistent(first, count, "a trail must begin with the opening entry")
        status, fate, assurance, since = first.to_status, first.fate, first.assurance, first.effective_at
        conflicts: list[int] = []
        periods = [0]
        last_recorded = first.recorded_at
        rest = trail[1:]
    else:
        status, fate, assurance, since = known.status, known.fate, known.assurance, known.status_since
        conflicts = list(known.open_conflicts)
        periods = list(known.periods)
        last_recorded = known.last_recorded_at
        rest = trail[known.version :]
    for entry in rest:
        if entry.recorded_at < last_recorded:
            raise _inconsistent(entry, count, "recorded before the entry preceding it")
        last_recorded = entry.recorded_at
        if entry.from_status != status:
            raise _inconsistent(entry, count, f"leaves {entry.from_status!r}, but the case was {status!r}")
        # Two sets only when something is resolved: nearly no entry resolves anything.
        if entry.resolves and not set(entry.resolves) <= set(conflicts):
            raise _inconsistent(entry, count, "resolves an entry that is not an open conflict")
        kind = entry.kind
        if entry.reverts_to is not None and kind is not EntryKind.TRANSITION:
            raise _inconsistent(entry, count, f"a {kind} entry cannot resume an earlier status")
        if kind is EntryKind.TRANSITION:
            if entry.effective_at < since:
                raise _inconsistent(entry, count, "takes effect before the status it leaves")
            status, fate, assurance, since = entry.to_status, entry.fate, entry.assurance, entry.effective_at
            if entry.reverts_to is None:
                periods.append(entry.seq)
            else:
                resumed = entry.reverts_to
                if resumed not in periods or trail[resumed].to_status != status:
                    raise _inconsistent(
                        entry, count, f"resumes entry {resumed}, which began no live {status!r} period"
                    )
                del periods[periods.index(resumed) + 1 :]
                since = trail[resumed].effective_at
        elif kind is EntryKind.CORROBORATION:
            if (entry.to_status, entry.fate) != (status, fate) or entry.assurance != assurance.stronger(
                entry.assurance
            ):
                raise _inconsistent(entry, count, "a corroboration can only raise the assurance")
            assurance = entry.assurance
        elif kind is EntryKind.CONFLICT or kind is EntryKind.DISMISSAL:
            if (entry.to_status, entry.fate, entry.assurance) != (status, fate, assurance):
                raise _inconsistent(entry, count, f"a {kind} entry cannot change the status")
            if kind is EntryKind.CONFLICT:
                if entry.resolves:
                    raise _inconsistent(entry, count, "a conflict entry cannot resolve others")
                conflicts.append(entry.seq)
        else:
            raise _inconsistent(entry, count, "only the first entry may open the case")
        if entry.resolves:
            conflicts = [seq for seq in conflicts if seq not in entry.resolves]
    return Case(
        first.case_id, status, fate, assurance, since, tuple(conflicts), tuple(periods), trail, last_recorded
    )


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
