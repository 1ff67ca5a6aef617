"""Reports of an earlier period: a late report that could have come before the current one.

A report that could have come before the current one, legal from the period
before and with the current report legal from where it leads, tells a period
of its own between the two (:func:`earlier_period`): wounded on 5 March,
reported after the death of 10 March; or, where it reports the current
status, the current period began on its day (killed on 5 March, reported
after a death of 10 March); where it reports the status of the period
before, it says what the history holds already ("still missing" on 5 March).
About a time in an older period, it is judged against that period and the
one after it in the same way. Whichever arrives first, the case must come
out the same (see :doc:`/explanation/conflicts`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from ._standing import UNCONTESTED, holding_index, since_of, snapshot, snapshot_of
from ._status import Fate, Whereabouts
from ._stretch import agrees, begins, report_from, reporting, said

if TYPE_CHECKING:
    from ._standing import Snapshot, Standing
    from ._table import Move, Table

_UNKNOWN = Whereabouts.UNKNOWN


class EarlierPeriod(NamedTuple):
    """A late report of a period between the current one and the one before: what that period holds."""

    move: Move
    """Its move from the period before."""
    fate: Fate
    whereabouts: Whereabouts
    carries_into: int | None
    """The period that takes its whereabouts from its start, its own report having named none (the
    entry that began it): the period after the one told, the current one or one the case has left;
    or, for a report that the case was as a left period stood, about the very instant it began, that
    period itself, from that instant. ``None`` where no period takes it."""
    status: str
    """The status of the period it tells: its report's (where it *redates*, that period's)."""
    redates: bool = False
    """Whether it tells that the period after the one holding its time, the current one or one the case
    has left, began on its day: a report of that period's status."""
    older: bool = False
    """Whether it is about a time in an older period than the one before the current one: it moves
    nothing of the current period, whatever its status."""
    stood: bool = False
    """Whether it says the case was as the period that holds its time stood: it tells no period of its
    own, and is kept as that period's, even where it agrees with the current one (it speaks of that
    period's time, as a corroboration of that period would have, had it come then); about the instant
    that period began, it may tell it a place it only carried (*carries_into*)."""
    voids: int | None = None
    """The left period just before the current one that it voids, where it rivals the report that began
    that one: the entry that began it. It *redates* the current period, of its status, to its own day;
    it holds only where its evidence outweighs that period's (see :func:`~casestate._decide.decide`)."""


def earlier_period(table: Table, case: Standing, trigger: str, effective: datetime) -> EarlierPeriod | None:  # noqa: C901, PLR0911 - one rule each
    """Whether a report of *trigger* about *effective* tells a period before *case*'s current one.

    It does when it could have arrived first: about a time after the period
    before the current one began and before the current one did, legal from
    the period before (its waiting over), beginning a period of its own, and
    with the report that began the current period legal from where it leads
    (its own waiting, counted from the late report's time, over too).
    The current period then holds the same status, fate and whereabouts as
    if the two had arrived in their order: its report names its own fate, or
    the earlier one says the fate it holds already; and where its report
    names no place, it takes the one the earlier report says (*carries_into*),
    unless a report told it where he is since. Wounded on 5 March, reported
    after the death of 10 March, is such a report; the case stays dead since
    10 March and was wounded from 5 March. Taken prisoner on 5 March, reported
    after a wound of 10 March, is one too: wounded since 10 March, and held
    since 5 March.

    A late report of the current status itself tells when the current
    period began, had it come first: killed on 5 March, reported after a
    death of 10 March (*status* is the current one; see :func:`_earlier_start`). One of the
    status of the period that holds its time says what the case's history
    holds already ("still missing" on 5 March: see :func:`_stayed`).

    About a time in an older period, it is judged against that period and
    the one after it, in the same way (see :func:`_between`): wounded on
    26 February, reported after a capture on 1 March and a death on 20 March.
    So is one of the status the case holds (*older*): wounded on 27 February,
    reported after a capture on 1 March and a wound on 3 March, tells the
    wounded period before the capture.

    A report that rivals the current report (see :func:`~casestate._stretch.rival`) is never
    one: :func:`~casestate._decide.decide` asks this of no other report.
    """
    since = case.status_since
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    if effective >= since or len(periods) < 2:  # noqa: PLR2004 - the current and one before
        return None
    index = holding_index(periods, effective)
    before = snapshot_of(periods[index])
    # Of the status of the period that holds its time, it says what the history holds, however
    # the current period began; of the status the case holds now, it corroborates the case.
    if before.status != case.status and effective >= before.since:
        stayed = _stayed(table, before, trigger)
        if stayed is not None:
            return stayed
    if effective == before.since and before.seq != 0 and index > 0 and before.status != case.status:
        # About the instant a report began the period that holds its time: had it come then, it
        # would have corroborated that period where it agreed with it.
        first, next_one = snapshot_of(periods[index - 1]), snapshot_of(periods[index + 1])
        told = _at_its_start(table, first, before, next_one, trigger, effective)
        if told is None:
            # Or it was that report's rival, which, had it come then, it was weighed against.
            return _voiding(table, case, trigger, effective)
        return told
    if effective < before.since or (effective == before.since and before.seq != 0):
        # Before the person went missing, or about the instant a report began the period that holds
        # its time: that report's rival, not a period of its own. The opening is no report: a
        # report about the very instant the case opened could have moved it then.
        return None
    current = index == len(periods) - 2
    following = None  # the period after *after*, if the case has left that one
    if current:
        after = _current(case)
        if case.tied:
            return None
    else:
        after = snapshot_of(periods[index + 1])
        following = snapshot_of(periods[index + 2])
    entered = after.entered_by
    if entered is None:
        return None  # no report began the period after it at its own time (a pair of rivals, say)
    move = report_from(table, before, trigger, effective)
    if move is None or (move.target == case.status == after.status and index == len(periods) - 3):
        # The start of the period just before the current one, in the status the case holds (a pair
        # of rivals left it as it was): an entry of the status it holds about that time would read
        # as the current period's start. Not told.
        return None
    told = _between(table, move, before, after, effective, following)
    if told is None:
        return _voiding(table, case, trigger, effective)
    # About an older period, even one of the status the case holds: it tells that period's story.
    return told if current else told._replace(older=True)


def _current(case: Standing) -> Snapshot:
    """The current period of *case*, as the case holds it: its place, and the trigger that entered it."""
    return snapshot(
        case.status,
        case.fate,
        case.assurance,
        case.status_since,
        case._periods[-1].seq,  # noqa: SLF001 - the module that decides on them
        case.whereabouts,
        UNCONTESTED,
        case.entered_by,
    )


def _between(  # noqa: PLR0917 - the report, and the periods it is judged against
    table: Table,
    move: Move,
    before: Snapshot,
    after: Snapshot,
    effective: datetime,
    following: Snapshot | None = None,
) -> EarlierPeriod | None:
    """The period a late report of *move* about *effective* tells between *before* and *after*, if any.

    *after* is the current period, or a later one the case has left since,
    which the period *following* followed: a report is judged against the
    live period that holds its time, whatever came after it. Where *after*'s
    report named no place, *after* takes the one the late report tells
    (*carries_into*), as it would have had the report come first, unless a
    report told *after* where he is since; of a period the case has left,
    only where the move that began the period *following* it named a place of
    its own (see :func:`_keeps_its_own_place`): a capture on 5 March, learned
    after a wound on 10 March that named no place and a death on 20 March
    that named its own (the remains, unknown). A report of *after*'s status tells
    that *after* began on its day (see :func:`_earlier_start`), *after* the
    current period or one the case has left: of a left one, only where it
    names no other place than that period held (a capture of 27 February,
    learned after a capture on 1 March and a wound on 3 March).
    """
    entered: str = after.entered_by  # type: ignore[assignment] # a report or a move began it
    target: str = move.target  # type: ignore[assignment] # a move that begins a period has one
    if target == after.status:
        # Never a period of its own in the later period's status: that period began earlier, or nothing.
        began = table.legal.get((before.status, entered))
        told = None if began is None else _earlier_start(move, before, after, began)
        # The place of a period the case has left is not moved.
        keeps = told is not None and (following is None or told.whereabouts in {after.whereabouts, _UNKNOWN})
        return told if keeps else None
    follows = table.legal.get((target, entered))
    if follows is None or follows.reverts or follows.target != after.status:
        return None
    waited = follows.waiting_period
    if waited is not None and after.since - effective < waited:
        return None  # the later move waits from where it leads: it could not have followed so soon
    fate, whereabouts = said(move, before)
    if follows.claimed is None and fate is not after.fate:
        return None  # the later period would carry its fate over: another story than the one it holds
    # Had it come first, the later period would hold where it says he was: it takes that place,
    # unless a report told that period where he is since.
    carries = follows.claimed_whereabouts is None and whereabouts is not after.whereabouts
    if carries and (
        after.whereabouts is not before.whereabouts
        or (following is not None and not _keeps_its_own_place(table, after, following))
    ):
        return None
    return EarlierPeriod(move, fate, whereabouts, after.seq if carries else None, status=target)


class LeftRival(NamedTuple):
    """A late report that rivals the report that began a period the case has left (see :func:`left_rival`)."""

    move: Move
    """Its move from the period before that one."""
    before: Snapshot
    """The period before the one it rivals."""
    left: Snapshot
    """The period it rivals: one the case has left."""
    after: Snapshot
    """The period after the one it rivals: the current one, or another the case has left."""


def left_rival(table: Table, case: Standing, trigger: str, effective: datetime) -> LeftRival | None:
    """Whether a late report of *trigger* about *effective* rivals the report that began a left period.

    The first live period that began at or after *effective*, one the case
    has left (the one just before the current one, or an older one), which
    a report began after the period *before* it: a report about a time
    after *before* began, up to the instant the left period began, legal
    from *before* and leading elsewhere, that the report which began the left period could not have
    followed (a death on 26 February, of a capture on 1 March). Had it come
    while that period was current, it would have been that report's rival
    (see :func:`~casestate._stretch.rival`), weighed against it by their
    evidence; it is weighed so now, whichever came last (see
    :func:`_voiding`, and :func:`~casestate._decide.decide` for a rival as
    strong). Only where reports began the left period and the one after it,
    neither left undecided, and the report that began the left one backs it
    still.
    """
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    if effective >= case.status_since or len(periods) < 3:  # noqa: PLR2004 - the current period, the one it rivals, and one before
        return None
    index = holding_index(periods, effective) + 1
    if since_of(periods[index - 1]) == effective:
        index -= 1  # about the instant a period began: that period's rival
    if not 0 < index < len(periods) - 1:
        return None
    before, left = snapshot_of(periods[index - 1]), snapshot_of(periods[index])
    after = _current(case) if index == len(periods) - 2 else snapshot_of(periods[index + 1])
    rivalled = left.entered_by
    if (
        not before.since < effective <= left.since
        or rivalled is None
        or after.entered_by is None
        or (case.tied and index == len(periods) - 2)
    ):
        return None
    move = report_from(table, before, trigger, effective)
    if (
        move is None
        or (move.target, rivalled) in table.legal  # the rivalled report could have followed it
        or not begins(table.legal.get((before.status, rivalled)), before)
        or not _backs_it_still(case, left, after)
    ):
        return None
    return LeftRival(move, before, left, after)


def _backs_it_still(case: Standing, left: Snapshot, after: Snapshot) -> bool:
    """Whether the report that began *left* backs it still, about a time before the period *after* began.

    Not one a move made a conflict since (see ``Standing.left_backers``): a
    rival weighs against the report, which waits with it either way.
    """
    since = after.since
    return any(backer.seq == left.seq and backer.effective_at < since for backer in case.left_backers)


def _voiding(table: Table, case: Standing, trigger: str, effective: datetime) -> EarlierPeriod | None:
    """A late rival of the report that began the left period just before the current one that voids it.

    A video of a death on 18 February, learned after a capture video of
    1 March and the unit's notice of the death on 3 March: had it come while
    the capture was the current period, it would have rivalled the capture
    (see :func:`left_rival`) and, on stronger evidence, displaced it; the
    notice would then have corroborated the death. So it does now, whichever
    came last: the case is dead from its day, the capture period is void,
    and the reports that backed it wait as conflicts (contested). It tells
    the current period began on its day (*redates*), as a late report of its
    status does (see :func:`_earlier_start`): the same fate, and no other
    place than the report that began it named, which named one of its own.
    Whether its evidence outweighs the period it rivals is
    :func:`~casestate._decide.decide`'s to say; as strong or weaker, it is
    kept as a conflict.
    """
    found = left_rival(table, case, trigger, effective)
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    if found is None or found.move.target != case.status or found.left.seq != periods[-2].seq:
        return None
    move, before, left, _ = found
    current = _current(case)
    began: str = current.entered_by  # type: ignore[assignment] # left_rival() checked it
    ended = table.legal.get((left.status, began))
    if ended is None or ended.claimed_whereabouts is None:
        return None  # the current period took the left one's place: another story than it tells
    from_before = table.legal.get((before.status, began))
    told = None if from_before is None else _earlier_start(move, before, current, from_before)
    return None if told is None else told._replace(voids=left.seq)


def _keeps_its_own_place(table: Table, after: Snapshot, following: Snapshot) -> bool:
    """Whether the period *following*, which followed *after*, holds a place of its own, not one carried.

    The move that began it named one: a place *after* takes from a late report
    moves no later period. One whose move named none carried *after*'s place,
    even where a report told it another since (that report spoke of its own
    time, not of the move's).
    """
    entered = following.entered_by
    move = None if entered is None else table.legal.get((after.status, entered))
    return move is not None and move.claimed_whereabouts is not None


def _stayed(table: Table, before: Snapshot, trigger: str) -> EarlierPeriod | None:
    """A late report, about a time in the period *before*, that the case was in that period's status.

    *before* is the period before the current one that holds its time: the
    one just before, or an older one ("still missing" on 26 February, learned
    after a capture on 1 March and a death on 10 March).

    The ministry's "still missing" of 5 March, learned after the unit's report
    that he was killed on 10 March: had it come first, it would have
    corroborated the period it speaks of, and the death would have followed.
    Arriving late, it says what the case's history says already: it is kept
    as a report of that period, uncontested, and changes nothing. So is one
    of another status that agreed with that period as a corroboration does,
    by the fate a status that keeps it holds (see
    :func:`~casestate._stretch.agrees`): a capture video of 12 March noon,
    learned after the captor's notice of a death that evening, of a man the
    ICRC confirmed a prisoner. One that names another fate, another place
    than that period held (or one where it held none, which it would have
    told) is judged as before.
    """
    move = table.legal.get((before.status, trigger)) or table.elsewhere.get(trigger)
    if (
        move is None
        or move.reverts
        or move.fact
        or not agrees(table, move, before.status, before.fate, before.whereabouts)
        or move.claimed_whereabouts not in (None, _UNKNOWN, before.whereabouts)
    ):
        return None
    return EarlierPeriod(
        move, before.fate, before.whereabouts, carries_into=None, status=before.status, stood=True
    )


def _at_its_start(  # noqa: PLR0911, PLR0917 - one rule each; the report, and the periods
    table: Table, first: Snapshot, then: Snapshot, following: Snapshot, trigger: str, effective: datetime
) -> EarlierPeriod | None:
    """A late report about the instant the period *then* began, after *first*, that agreed with it then.

    Wounded in captivity on 1 March, the day a video showed him taken, learned
    after a death of 3 March: had it come while the capture was the current
    period, it would have said what that period held about its very instant
    (alive, and no other place: see :func:`~casestate._stretch.rival`), and corroborated it. It
    says what the history holds, as one of that period's status does (see
    :func:`_stayed`). One that names another place, or another fate, is
    judged as before; but where *then* held only the place carried over from
    *first* (its report named none), one that names a place tells it, as it
    would have then (*carries_into*: see :func:`~casestate._stretch.carried_place`),
    unless the period *following* carried that place on: taken prisoner on
    1 March, says a video, of a man wounded that day by a notice naming no
    place, learned after his death. About the instant an authority's finding
    began the period, a report agreed with it as with any period (see
    :func:`~casestate._stretch.agrees`): a capture video of the day the ICRC
    confirmed the captivity, learned after the captor's notice of a later
    death.
    """
    entered = then.entered_by
    if entered is None:
        return None  # a pair of rivals, or a retraction, began it: no report's word to agree with
    if not begins(table.legal.get((first.status, entered)), first):
        # An authority's finding has no rival: a report agreed with it as with any period, by its
        # status, or by the fate a status that keeps it holds.
        move = table.legal.get((then.status, trigger)) or table.elsewhere.get(trigger)
        if move is None or not agrees(table, move, then.status, then.fate, then.whereabouts):
            return None
        return EarlierPeriod(
            move, then.fate, then.whereabouts, carries_into=None, status=then.status, stood=True
        )
    move = report_from(table, first, trigger, effective) or reporting(table, first.status, trigger)
    if move is None:
        return None
    fate, _ = said(move, first)
    if fate is not then.fate:
        return None
    named = move.claimed_whereabouts
    if named in (None, _UNKNOWN, then.whereabouts):
        return EarlierPeriod(
            move, then.fate, then.whereabouts, carries_into=None, status=then.status, stood=True
        )
    began: Move = table.legal[first.status, entered]  # a report that began a period, as checked above
    if (
        began.claimed_whereabouts is not None
        or then.whereabouts is not first.whereabouts
        or not _keeps_its_own_place(table, then, following)
    ):
        return None
    return EarlierPeriod(move, then.fate, named, carries_into=then.seq, status=then.status, stood=True)


def _earlier_start(move: Move, before: Snapshot, current: Snapshot, began: Move) -> EarlierPeriod | None:
    """A late report of the status of the period *current*, about a time before it: whether it began then.

    *current* is the current period, or one the case has left since that
    follows the period *before* (see :func:`_between`).

    Had it come first, it would have begun the current period from the
    period *before*, and the report that did (by *began*) would have
    corroborated it: the same fate, and no other known place. So the period
    begins at its time, whichever arrived first; the place it names holds
    from then (the current period may hold one carried over from before it,
    its report naming none). Where it names none, the case keeps the place
    it holds, unless that place was carried over from before: had this
    report come first, it would not have been. One that names another place
    than the current report named, or than a report told the period since,
    is no such report.
    """
    if not begins(began, before):
        return None  # an authority's finding began the current period: it corroborates nothing
    fate, whereabouts = said(move, before)
    if fate is not current.fate:
        return None
    held = current.whereabouts
    if whereabouts is not held:
        # The place the current period took over from the one before, its report naming none.
        carried = began.claimed_whereabouts is None and held is before.whereabouts
        if whereabouts is _UNKNOWN and carried:
            return None  # had this report come first, the period would not have carried it
        if whereabouts is not _UNKNOWN and not carried and held is not _UNKNOWN:
            return None  # another place than the current report named, or a report told it since
    return EarlierPeriod(move, fate, whereabouts, carries_into=None, status=current.status, redates=True)
