"""Reports about a day before the current status: the rival of the current report, and the agreement rule.

A report that arrives late, about a time before the current status took
effect, is judged against the live period that holds its time and the one
after it: the period before the current one and the current one, or two
periods the case has left since. Whichever of two such reports arrives
first, the case must come out the same (see :doc:`/explanation/conflicts`).
A report that could not have come before or after the current one is its
*rival* (:func:`rival`), weighed against it by their evidence; one that
could have come before it tells a period of its own (see
:mod:`casestate._earlier`). Both read a report's move from the period
before as this module says (:func:`report_from`, :func:`said`,
:func:`begins`, :func:`reporting`), and whether a report agrees with a
period (:func:`agrees`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, TypeGuard

from ._standing import snapshot_of
from ._status import Fate, Whereabouts

if TYPE_CHECKING:
    from ._standing import Snapshot, Standing
    from ._table import Move, Table

_UNKNOWN = Whereabouts.UNKNOWN


class Rival(NamedTuple):
    """A report that rivals the one that began the current period: what it would make of the period before."""

    move: Move
    """Its move from the period before."""
    before: Snapshot
    """The period before the current one."""
    fate: Fate
    whereabouts: Whereabouts
    agrees: bool
    """Whether it says what the current period holds: the same fate, and no other known place."""


def rival(table: Table, case: Standing, trigger: str, effective: datetime) -> Rival | None:  # noqa: PLR0911 - one rule each
    """Whether a report of *trigger* about *effective* rivals the one that began *case*'s current period.

    If it does: what it would make of the period before.

    Two reports about the very same instant, the first of which moved the
    case, are rivals when the second could have begun the period instead
    (a report, legal from the period before, that leads elsewhere: one of
    the status before, "still missing", would have agreed with it and begun
    nothing). Neither may win by arriving later: one that disagrees with the
    first (another fate, or another known place) is weighed against it by
    :func:`decide`; one that agrees corroborates it, as the first would have
    corroborated the second. A period two rivals left undecided has a rival
    in every report about its instant that could have begun it.

    Two reports about different times of the period before are rivals too
    where neither could have followed the other (killed on 10 March, taken
    prisoner on 12 March): the later one is not legal from the status the
    earlier one gives. A report about a time before the current period began,
    legal from the period before, rivals the one that began it when that one
    could not have followed it; a report about a time after, legal from the
    period before but not from the current one, rivals it too; of a pair
    two rivals left undecided, a report about its day or an earlier one of
    the stretch. Whichever arrives first, the stronger evidence holds, and
    as strong, neither. A report about the very instant that the case stayed
    where it was before rivals nothing, and corroborates the current period
    where it agrees with it (see :func:`_staying`).
    """
    since = case.status_since
    if effective > since and (case.status, trigger) in table.legal:
        return None  # a move from where the case stands, after it took effect: the common case
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    entered = case.entered_by
    if entered is None or len(periods) < 2:  # noqa: PLR2004 - the current and one before
        return None
    if case.tied and periods[-1].seq not in case.open_conflicts:
        return None  # a pair someone settled or dismissed since: nothing is undecided any more
    before = snapshot_of(periods[-2])
    # About another day of the stretch since the period before: a rival of a pair neither of which
    # holds only about an earlier day (a later one is judged from the status the pair left).
    if effective != since and ((case.tied and effective > since) or effective < before.since):
        return None
    if not case.tied and not begins(table.legal.get((before.status, entered)), before):
        return None  # an authority's finding, not a report: it has no rival
    move = report_from(table, before, trigger, effective)
    if move is None:
        return _staying(table, case, before, trigger, effective)
    if effective < since and not case.tied and (move.target, entered) in table.legal:
        return None  # the report that began the current period could have followed this one
    fate, whereabouts = said(move, before)
    held = case.whereabouts
    if effective == since:
        # About the very instant, the two reports are held to what each named of the place: one
        # carried over from the period before is neither's word.
        told = _UNKNOWN if carried_place(table, case) else held
        named = move.claimed_whereabouts or _UNKNOWN
        alike = named is told or named is _UNKNOWN or told is _UNKNOWN
    else:
        alike = whereabouts is held or whereabouts is _UNKNOWN or held is _UNKNOWN
    agrees = not case.tied and fate is case.fate and alike
    if agrees and effective != since:
        return None  # about another time, a report that agrees is judged as any other
    return Rival(move, before, fate, whereabouts, agrees)


def carried_place(table: Table, case: Standing) -> bool:
    """Whether *case*'s current period holds the place of the period before only as its report named none.

    Taken prisoner, then reported wounded: the wound names no place, and the
    case holds him where the capture did. Of the instant the wound began, that
    place is no report's word: a report about that instant that names another
    place does not contradict the wound's, and tells where he was from then.
    A report backing the period that named a place told it, the very place
    carried included: the period's own, then.
    """
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    entered = case.entered_by
    if entered is None or case.tied or len(periods) < 2:  # noqa: PLR2004 - the current and one before
        return False
    before = snapshot_of(periods[-2])
    move = table.legal.get((before.status, entered))
    return (
        move is not None
        and move.claimed_whereabouts is None
        and case.whereabouts is before.whereabouts
        and not any(_names_a_place(table, backer.trigger) for backer in case.backers)
    )


def _names_a_place(table: Table, trigger: str) -> bool:
    """Whether a report of *trigger* names where he is, or where the remains are."""
    move = table.elsewhere.get(trigger)
    return move is not None and move.claimed_whereabouts not in (None, _UNKNOWN)


def _staying(
    table: Table, case: Standing, before: Snapshot, trigger: str, effective: datetime
) -> Rival | None:
    """A report about the very instant the current period began, that the case stayed where it was before.

    It reports the status of the period before, so it begins no period and
    rivals nothing, legal from there or not; where it agrees with the
    current period (the same fate, no other known place: "still captured" on
    the day he was reported wounded in captivity), it corroborates that
    period, as it would have corroborated the period before had it come
    first. One that disagrees ("still missing" on the day he was reported
    killed) is judged from where the case stands.
    """
    if effective != case.status_since or case.tied:
        return None
    move = reporting(table, before.status, trigger)
    if move is None:
        return None
    fate, whereabouts = said(move, before)
    held = case.whereabouts
    if fate is not case.fate or not (whereabouts is held or whereabouts is _UNKNOWN or held is _UNKNOWN):
        return None
    return Rival(move, before, fate, whereabouts, agrees=True)


def report_from(table: Table, before: Snapshot, trigger: str, effective: datetime) -> Move | None:
    """The move of a report of *trigger* about *effective* from the period *before*, if it begins one there.

    Its waiting period, if any, counts from when the period *before* began.
    """
    move = table.legal.get((before.status, trigger))
    if not begins(move, before):
        return None
    waiting = move.waiting_period
    if waiting is not None and effective - before.since < waiting:
        return None
    return move


def said(move: Move, before: Snapshot) -> tuple[Fate, Whereabouts]:
    """The fate and whereabouts a report of *move* from the period *before* gives: its own, or that one's."""
    claimed = move.claimed
    return claimed if claimed is not None else before.fate, move.claimed_whereabouts or before.whereabouts


def begins(move: Move | None, before: Snapshot) -> TypeGuard[Move]:
    """Whether *move*, from the period *before*, is a report that begins a period of its own."""
    return (
        move is not None
        and move.report
        and not move.reverts
        and not move.fact
        and move.target is not None
        and move.target != before.status
    )


def agrees(table: Table, move: Move, status: str, fate: Fate, held: Whereabouts) -> bool:
    """Whether a report of *move* agrees with a case in *status*, *fate* and *held* whereabouts.

    Its status or its fate, and its whereabouts. A report that agrees with
    what the case holds corroborates it even where its rule would move it
    (a death reported of a confirmed death): agreeing is not news. Unknown
    whereabouts are no position to disagree with: a report that says none
    agrees with any, and any agrees with a case that holds none.
    """
    claimed, place = move.claimed, move.claimed_whereabouts
    # Of a status that keeps the fate it is entered with, a report of another fate is no
    # report of the same status: died in hospital, of a man held alive there.
    return (
        move.report
        and (
            (move.reported == status and (claimed is None or claimed is fate))
            or (claimed is fate and status in table.keeps_fate)
        )
        and (place is None or place is held or place is _UNKNOWN or held is _UNKNOWN)
    )


def reporting(table: Table, status: str, trigger: str) -> Move | None:
    """The move of a report of *trigger* made in *status* that reports *status* itself, if it is one."""
    move = table.legal.get((status, trigger)) or table.elsewhere.get(trigger)
    if move is None or not move.report or move.reverts or move.fact or move.reported != status:
        return None
    return move
