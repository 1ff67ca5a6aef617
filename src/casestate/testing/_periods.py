"""The testing kit's own reading of a trail: when each period began, and what an entry's evidence gives.

Read from the entries alone, apart from the library's own reading, so that
the checks that use it hold the library to it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import TypeAlias, cast

from casestate import (
    BUILT_IN_KINDS,
    Assurance,
    Case,
    Entry,
    EntryKind,
    Tier,
)

from ._reports import by_a_report, holding_at

_Memo: TypeAlias = dict[tuple[object, ...], object]
_KEPT = 8
"""How many trails' readings are kept: the walk reads one case at a time, with its trails before."""
_memos: dict[int, tuple[Sequence[Entry], _Memo]] = {}
_lock = threading.Lock()
# Each reading of a period asks when the periods before it began, by the entries before it, and so
# on down the trail: read once per trail, a trail of many late reports is read in polynomial time,
# not in time that doubles with each of them.


def _memo(case: Case) -> _Memo:
    """What has been read of *case*'s trail: kept by the trail itself, which it holds while kept."""
    trail = case.trail
    # Cases may be checked in several threads at once: the eviction below must not race.
    with _lock:
        held = _memos.get(id(trail))
        if held is not None and held[0] is trail:
            return held[1]
        if len(_memos) >= _KEPT:
            del _memos[next(iter(_memos))]
        memo: _Memo = {}
        _memos[id(trail)] = (trail, memo)
        return memo


def began_at(case: Case, began: Entry, known: int | None = None, lower: datetime | None = None) -> datetime:
    """When the period *began*, an entry of *case*'s trail, began took effect, by the first *known* entries.

    See :func:`_began_at`; read once per trail (*began* is known by its ``seq``).
    """
    memo = _memo(case)
    key = ("began", began.seq, known, lower)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _began_at(case, began, known, lower)
    return cast("datetime", found)  # kept under its key by this function alone


def _began_at(case: Case, began: Entry, known: int | None = None, lower: datetime | None = None) -> datetime:
    """When the period *began* began took effect, by the first *known* entries (``None``: all).

    Its own time; for a pair neither of which holds, the later of the two days the pair is
    about, whichever came first; for a period late reports of its status said began earlier,
    while it was the current one or once the case had left it, the earliest of their days.
    *lower* is when the period before it began, for a period no longer live (``None``: read
    from the live periods).
    """
    if began.kind is EntryKind.CONFLICT and began.displaces is not None:
        # The later of the pair's days: the displaced report's period as it began then.
        before = start_before(case, began, known)
        return max(began.effective_at, began_at(case, case.trail[began.displaces], began.seq, before))
    since = began.effective_at
    if not by_a_report(began):
        return since  # only a report's period begins earlier (not a resumed one)
    if lower is None:
        lower = start_before(case, began, known)
    # A period told late, or one a late rival left undecided, was never the current one.
    left = began.kind is EntryKind.EARLIER_PERIOD or leaves_left_undecided(began)
    for entry in case.trail[began.seq + 1 : known]:
        if sets_a_status(entry):
            left = True
        elif (not left and begins_earlier(case, entry, lower, began)) or (
            left and begins_left_earlier(case, entry, began, since, known)
        ):
            since = min(since, entry.effective_at)
    return since


def start_before(case: Case, began: Entry, known: int | None = None) -> datetime | None:
    """When the live period before the one *began* began took effect (``None``: none, or unknown).

    Live by the first *known* entries (``None``: all). For a period a pair of
    rivals displaced, the one before the pair's; for one a retraction had
    voided by then, unknown.
    """
    live = live_periods(case, known)
    if began.seq not in live:
        pair = next((entry for entry in case.trail if entry.displaces == began.seq), None)
        if pair is None or pair.seq not in live:
            return None
        began = pair
    if live.index(began.seq) == 0:
        return None
    return began_at(case, case.trail[live[live.index(began.seq) - 1]], known)


def live_periods(case: Case, known: int | None) -> list[int]:
    """The entries that began the live periods by the first *known* entries (``None``: all), oldest first.

    The kit's own reading of the trail: a move adds its period, a rival pair
    replaces the one it displaces, a retraction voids those after the one it
    resumes, and a late report tells a period of its own after the one that
    holds its time, unless it reports that period's status or the next's.
    """
    if known is None or known >= len(case.trail):
        return [period.seq for period in case.periods]
    memo = _memo(case)
    key = ("live", known)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(_live_periods(case, known))
    return list(cast("tuple[int, ...]", found))  # kept under its key by this function alone


def _live_periods(case: Case, known: int) -> list[int]:
    """The entries that began the live periods by the first *known* entries: see :func:`live_periods`."""
    live = [0]
    for entry in case.trail[1:known]:
        if leaves_left_undecided(entry):
            live[live.index(entry.displaces)] = entry.seq  # type: ignore[arg-type] # it displaces one
        elif entry.displaces is not None:
            live = [seq for seq in live if seq != entry.displaces]
            live.append(entry.seq)
        elif entry.kind is EntryKind.TRANSITION and entry.reverts_to is not None:
            live = live[: live.index(entry.reverts_to) + 1] if entry.reverts_to in live else live
        elif entry.kind is EntryKind.TRANSITION:
            live.append(entry.seq)
        elif entry.kind is EntryKind.EARLIER_PERIOD and voids_the_one_before(case, entry, live):
            del live[-2]  # a rival of the report that began it: the current period begins on its day
        elif entry.kind is EntryKind.EARLIER_PERIOD:
            starts = [began_at(case, case.trail[seq], entry.seq) for seq in live[:-1]]
            held = holding_at(starts, entry.effective_at)
            if entry.to_status in {case.trail[live[held]].to_status, case.trail[live[held + 1]].to_status}:
                continue  # as that period stood, or the next one's earlier start
            live.insert(held + 1, entry.seq)
    return live


def sets_a_status(entry: Entry) -> bool:
    """Whether *entry* put its case in a status: the opening, a move, or two rivals' conflict (the kit's).

    Not a late rival that leaves a left period undecided (see :func:`leaves_left_undecided`).
    """
    return entry.kind in {EntryKind.OPENED, EntryKind.TRANSITION} or (
        entry.displaces is not None and not leaves_left_undecided(entry)
    )


def leaves_left_undecided(entry: Entry) -> bool:
    """Whether *entry* is a late rival, as strong, that leaves a period the case had left undecided.

    A conflict that displaces the report that began that period and keeps the case's status (the
    kit's reading of the entry).
    """
    return (
        entry.kind is EntryKind.CONFLICT
        and entry.displaces is not None
        and entry.to_status == entry.from_status
    )


def status_of_live(live: Sequence[Entry], index: int) -> str:
    """The status of the live period *live* [*index*] began (*live*: the entries that began them).

    A period a late rival left undecided holds the status of the live period before it.
    """
    while index > 0 and leaves_left_undecided(live[index]):
        index -= 1
    return live[index].to_status


def voids_the_one_before(case: Case, entry: Entry, live: list[int]) -> bool:
    """Whether late report *entry* voids the period before the current one, of the *live* periods then.

    A rival of the report that began that period, of the current status, about a time after the
    period before it began, up to the instant it began, that contests its report (the kit's reading
    of the entry).
    """
    return (
        len(live) > 2  # noqa: PLR2004 - the current period, the one it voids, and one before
        and entry.to_status == entry.from_status
        and live[-2] in (entry.contests or ())
        and began_at(case, case.trail[live[-3]], entry.seq)
        < entry.effective_at
        <= began_at(case, case.trail[live[-2]], entry.seq)
    )


def begins_left_earlier(
    case: Case, entry: Entry, began: Entry, start: datetime, known: int | None = None
) -> bool:
    """Whether *entry* is a late report of the status of the period *began* began, told once it was left.

    About a time after the live period before it began (by the first *known*
    entries) and before *start*, when it began by the entries before this
    one: that period began on its day. The caller knows it was told once
    the period was left.
    """
    if (
        entry.kind is not EntryKind.EARLIER_PERIOD
        or not by_a_report(began)
        or entry.to_status != began.to_status
        or entry.seq < began.seq
    ):
        return False
    lower = start_before(case, began, known)
    return lower is not None and lower <= entry.effective_at < start


def begins_earlier(case: Case, entry: Entry, lower: datetime | None, began: Entry) -> bool:
    """Whether *entry* is a late report of *case*'s own status, which then began on its day.

    About a time after *lower*, when the period before the current one began
    (``None``: unknown, read as any time), and after the period before the
    entry *began*, that began the current period, as it stood when *entry*
    came: one about an older period then told that one's story, as any other
    late report (it told a period of its own, or dated that one), whatever
    the period before the current one begins at now.
    """
    return (
        entry.kind is EntryKind.EARLIER_PERIOD
        and entry.to_status == entry.from_status
        and (lower is None or entry.effective_at >= lower)
        and _after_the_one_before(case, entry, began)
    )


def _after_the_one_before(case: Case, entry: Entry, began: Entry) -> bool:
    """Whether *entry* is about a time after the period before *began*'s began, as it stood then."""
    # A rival that voided the period before then dated the current one from the period before that.
    if voids_the_one_before(case, entry, live_periods(case, entry.seq)):
        return True
    then = start_before(case, began, entry.seq)
    return then is None or entry.effective_at >= then


def actor_id_of(entry: Entry) -> str | None:
    return None if entry.private is None else entry.private.actor_id


def evidence_assurance(entry: Entry) -> Assurance:
    # The tiers the entry records beside declared kinds, which _check_kinds holds to the workflow's.
    tiers = entry.evidence_tiers or [BUILT_IN_KINDS[kind].tier for kind in entry.evidence_kinds]
    return Assurance.for_tier(Tier(min(tiers)) if tiers else None)
