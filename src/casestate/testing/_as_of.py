"""The as-of queries, held to the kit's own replay of the matching part of the trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from casestate import (
    Assurance,
    Case,
    Entry,
    EntryKind,
    Snapshot,
    Whereabouts,
)

from ._broken import fail
from ._periods import (
    began_at,
    begins_earlier,
    begins_left_earlier,
    evidence_assurance,
    leaves_left_undecided,
    sets_a_status,
    start_before,
    status_of_live,
)


def _probe_times(entries: Sequence[Entry]) -> list[datetime]:
    tick = timedelta(microseconds=1)
    times: set[datetime] = set()
    for entry in entries:
        times.update(
            (entry.recorded_at, entry.effective_at, entry.recorded_at - tick, entry.effective_at - tick)
        )
    return sorted(times)


def _known_snapshot(case: Case, when: datetime) -> Snapshot | None:  # noqa: C901, PLR0912 - one branch per kind of entry
    """What the case holder knew at *when*: the entries recorded by then, read in order."""
    known = [entry for entry in case.trail if entry.recorded_at <= when]
    if not known:
        return None
    # The entry that put the case in its status: a move, or a conflict of rivals neither of which holds.
    status_entry = next(e for e in reversed(known) if sets_a_status(e))
    assurance = status_entry.assurance
    whereabouts = _recorded_whereabouts(case, status_entry)
    began = status_entry if status_entry.reverts_to is None else case.trail[status_entry.reverts_to]
    lower = start_before(case, began, len(known))
    for entry in known[status_entry.seq + 1 :]:
        if entry.kind is EntryKind.CORROBORATION:
            assurance = assurance.stronger(evidence_assurance(entry))
            whereabouts = _told(whereabouts, entry)
        elif begins_earlier(case, entry, lower, began):
            assurance = assurance.stronger(evidence_assurance(entry))
            whereabouts = _named(whereabouts, entry)
        elif entry.carries_into == began.seq and entry.whereabouts is not None:
            whereabouts = entry.whereabouts
    since = began_at(case, began, len(known))
    open_then: list[int] = []
    # The corroborations of the period a report began: they wait with it, should a rival displace it.
    backers: list[int] = []
    contestable, before, moved = False, None, status_entry
    for entry in known:
        open_then = [seq for seq in open_then if seq not in entry.resolves]
        if sets_a_status(entry) and entry.displaces is not None:
            held = [entry.displaces, *backers]
            open_then += [seq for seq in held if seq not in open_then and seq not in entry.resolves]
        if leaves_left_undecided(entry):
            # The reports of the period it leaves undecided wait first, then the rival.
            open_then += [seq for seq in entry.contests or () if seq not in open_then]
            open_then.append(entry.seq)
        else:
            if entry.kind is EntryKind.CONFLICT:
                open_then.append(entry.seq)
            open_then += entry.contests or ()  # as the walk checked them
        reconciled = entry.reconciles or ()
        if reconciled:
            open_then = [seq for seq in open_then if seq not in reconciled]
        if entry.kind is EntryKind.TRANSITION or sets_a_status(entry):
            contestable, backers = entry.reverts_to is None, list(reconciled)
            before = start_before(case, entry, len(known)) if contestable else None
            moved = entry
        elif contestable and (
            entry.kind is EntryKind.CORROBORATION or begins_earlier(case, entry, before, moved)
        ):
            # A late report that begins it earlier backs it with the conflicts it reconciled.
            backers += (entry.seq, *reconciled)
    return Snapshot(
        status_entry.to_status,
        status_entry.fate,
        assurance,
        since,
        status_entry.seq,
        whereabouts,
        tuple(seq for seq in open_then if case.trail[seq].effective_at >= since),
    )


def _told(held: Whereabouts, corroboration: Entry) -> Whereabouts:
    """Where a case is once *corroboration* is accepted: it may tell a case that holds no whereabouts.

    Or, about the instant the current period began, one that holds the place
    of the period before only as carried over (the walk checks that it is).
    """
    told = corroboration.whereabouts
    if told is not None and (held is Whereabouts.UNKNOWN or told is not held):
        return told
    return held


def _named(held: Whereabouts, begun_earlier: Entry) -> Whereabouts:
    """Where a case is once a late report of its own status (*begun_earlier*) is accepted.

    Where that report says, if it names a place; else where the case was.
    """
    if begun_earlier.whereabouts not in (None, Whereabouts.UNKNOWN):
        return begun_earlier.whereabouts
    return held


def _recorded_whereabouts(case: Case, entry: Entry) -> Whereabouts:
    """The whereabouts *entry* records; one written before they were recorded, as the case reads it."""
    if entry.whereabouts is not None:
        return entry.whereabouts
    known = case.known_at(entry.recorded_at)
    return Whereabouts.UNKNOWN if known is None else known.whereabouts


def _true_snapshot(case: Case, when: datetime) -> Snapshot | None:  # noqa: C901, PLR0912 - one branch per kind of entry
    """What was true at *when*: the live period in effect by then, and the corroborations after it."""
    live = [case.trail[period.seq] for period in case.periods]
    in_effect = [entry for entry in live if began_at(case, entry) <= when]
    if not in_effect:
        return None
    status_entry = in_effect[-1]
    # The next live period in time: a report of an earlier period, told late, comes after it in the trail.
    following = live[len(in_effect)] if len(in_effect) < len(live) else None
    until = None if following is None else began_at(case, following)
    assurance = status_entry.assurance
    # Where the case held him as each entry of the period came: a corroboration tells a place
    # only where the case held none then (its entry records where the case is afterwards).
    whereabouts = held = _recorded_whereabouts(case, status_entry)
    if status_entry.effective_at > when:
        # A period a late report of its status began earlier: as yet, that report alone tells it.
        assurance, whereabouts = Assurance.REPORTED, Whereabouts.UNKNOWN
    # Corroborations made in this period count; one made in a period a
    # retraction voided since corroborated nothing, nor one made while a
    # period told late was already over.
    voided = status_entry.kind is EntryKind.EARLIER_PERIOD or leaves_left_undecided(status_entry)
    lower = start_before(case, status_entry)
    start = status_entry.effective_at  # when it began, by the entries read so far
    for entry in case.trail[status_entry.seq + 1 :]:
        if sets_a_status(entry):
            voided = entry.reverts_to != status_entry.seq
        elif voided and begins_left_earlier(case, entry, status_entry, start):
            # A late report of its status, told once the case had left it: from its day.
            start = entry.effective_at
            if entry.effective_at <= when:
                assurance = assurance.stronger(evidence_assurance(entry))
                whereabouts = _named(whereabouts, entry)
        elif voided and entry.carries_into == status_entry.seq and entry.whereabouts is not None:
            # A late report of the period before it, told once the case had left it: its place; one
            # that it stood so, about its first instant, from that instant.
            stood = entry.to_status == status_of_live(live, len(in_effect) - 1)
            if not stood or entry.effective_at <= when:
                whereabouts = entry.whereabouts
        elif voided:
            continue
        elif entry.kind is EntryKind.CORROBORATION:
            if entry.effective_at <= when:
                assurance = assurance.stronger(evidence_assurance(entry))
                # Where it held one, only about the instant the period began, over a place carried.
                retold = held is Whereabouts.UNKNOWN or entry.whereabouts not in (None, held)
                whereabouts = _told(whereabouts, entry) if retold else whereabouts
            held = _told(held, entry)
        elif begins_earlier(case, entry, lower, status_entry):
            start = min(start, entry.effective_at)
            if entry.effective_at <= when:
                assurance = assurance.stronger(evidence_assurance(entry))
                whereabouts = _named(whereabouts, entry)
            held = _named(held, entry)
        elif entry.carries_into == status_entry.seq and entry.whereabouts is not None:
            whereabouts = held = entry.whereabouts
    # The open conflicts about a time in the period contest it.
    contested = tuple(
        seq
        for seq in case.open_conflicts
        if began_at(case, status_entry) <= case.trail[seq].effective_at
        and (until is None or case.trail[seq].effective_at < until)
    )
    return Snapshot(
        status_of_live(live, len(in_effect) - 1),
        status_entry.fate,
        assurance,
        began_at(case, status_entry),
        status_entry.seq,
        whereabouts,
        contested,
    )


def check_as_of(case: Case, entries: Sequence[Entry]) -> None:
    latest = max(max(entry.recorded_at, entry.effective_at) for entry in case.trail)
    now = case.as_of_effective(latest)
    if now is None or (now.status, now.fate, now.assurance, now.since, now.whereabouts) != (
        case.status,
        case.fate,
        case.assurance,
        case.status_since,
        case.whereabouts,
    ):
        raise fail(case, f"as_of_effective at the latest time is {now}, but the case stands elsewhere")
    for when in _probe_times(entries):
        recorded, expected = case.as_of_recorded(when), _known_snapshot(case, when)
        if recorded != expected:
            raise fail(case, f"as_of_recorded({when.isoformat()}) is {recorded}, the trail says {expected}")
        effective, expected = case.as_of_effective(when), _true_snapshot(case, when)
        if effective != expected:
            raise fail(case, f"as_of_effective({when.isoformat()}) is {effective}, the trail says {expected}")
