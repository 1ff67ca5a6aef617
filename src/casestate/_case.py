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
    seq: int


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
    trail: tuple[Entry, ...] = attrs.field(repr=False)

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
    def last_recorded_at(self) -> datetime:
        """When the case holder last recorded anything on the case."""
        return self.trail[-1].recorded_at

    @property
    def status_entry(self) -> Entry:
        """The entry that put the case into its current status."""
        for entry in reversed(self.trail):
            if entry.kind is EntryKind.TRANSITION or entry.kind is EntryKind.OPENED:
                return entry
        msg = "a case always has its opening entry"  # pragma: no cover - replay refuses such trails
        raise AssertionError(msg)  # pragma: no cover

    def time_in_status(self, now: datetime) -> timedelta:
        """How long the case has been in its status at *now* (effective clock).

        casestate reads no clock: pass the time you mean.
        """
        return to_utc(now, "now") - self.status_since

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

        ``None`` before the person went missing (the case's first effective time).
        """
        when = to_utc(when, "when")
        known: Snapshot | None = None
        for entry in self.trail:
            kind = entry.kind
            if kind is EntryKind.TRANSITION or kind is EntryKind.OPENED:
                # Transitions never take effect before the status they leave,
                # so effective times rise along the trail and the first one
                # after *when* ends the search.
                if entry.effective_at > when:
                    break
                known = _snapshot(entry)
            elif kind is EntryKind.CORROBORATION and known is not None and entry.effective_at <= when:
                # The entry's own evidence, not its assurance: that one also counts
                # corroborations recorded earlier that take effect after *when*.
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


def fold(entries: Sequence[Entry]) -> Case:  # noqa: C901, PLR0912 - each branch is one rule of the trail
    """Build the case that *entries* record, checking that each follows from the last.

    The chain itself is not checked here; :func:`replay` does both.
    """
    trail = tuple(entries)
    count = len(trail)
    first = trail[0]
    if first.kind is not EntryKind.OPENED or first.from_status is not None:
        raise _inconsistent(first, count, "a trail must begin with the opening entry")
    status, fate, assurance, since = first.to_status, first.fate, first.assurance, first.effective_at
    conflicts: list[int] = []
    last_recorded = first.recorded_at
    for entry in trail[1:]:
        if entry.recorded_at < last_recorded:
            raise _inconsistent(entry, count, "recorded before the entry preceding it")
        last_recorded = entry.recorded_at
        if entry.from_status != status:
            raise _inconsistent(entry, count, f"leaves {entry.from_status!r}, but the case was {status!r}")
        if not set(entry.resolves) <= set(conflicts):
            raise _inconsistent(entry, count, "resolves an entry that is not an open conflict")
        kind = entry.kind
        if kind is EntryKind.TRANSITION:
            if entry.effective_at < since:
                raise _inconsistent(entry, count, "takes effect before the status it leaves")
            status, fate, assurance, since = entry.to_status, entry.fate, entry.assurance, entry.effective_at
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
    return Case(first.case_id, status, fate, assurance, since, tuple(conflicts), trail)


def replay(entries: Sequence[Entry], *, key: bytes | None = None, head: str | None = None) -> Case:
    """Verify *entries* and rebuild the case they record.

    Raises :class:`BrokenTrail`, naming the case and the first bad entry,
    when the chain is broken or an entry does not follow from the one before.
    Replay does not re-check the workflow's guards: a trail records what the
    rules of its day allowed.
    """
    integrity = verify(entries, key=key, head=head)
    if not integrity.ok:
        raise BrokenTrail(integrity)
    return fold(entries)
