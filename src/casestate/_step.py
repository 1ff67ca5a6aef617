"""The one state step: what an accepted change does to where a case stands.

:func:`step` is the only place that says it: ``Workflow.apply`` takes it
after sealing an entry, a :class:`~casestate.Batch` after a verdict, and
replay for every entry of a trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from ._entry import Entry, EntryKind
from ._rules import WHEREABOUTS_BY_NAME
from ._standing import (
    UNCONTESTED,
    Backer,
    Backing,
    Period,
    S,
    Snapshot,
    Standing,
    backs_the_period_before,
    build,
    holding_index,
    snapshot,
    snapshot_of,
    undecided,
    voids_the_one_before,
)
from ._status import Assurance, Fate, Whereabouts
from ._verdict import Code


def opened(  # noqa: PLR0917 - the fields of an opening entry, in its order
    case_id: str,
    status: str,
    fate: Fate,
    assurance: Assurance,
    whereabouts: Whereabouts,
    effective_at: datetime,
    actor_id: str | None,
    recorded_at: datetime,
    trail: tuple[Entry] | None = None,
) -> Standing:
    """Where a case stands once opened in *status*: by the one entry of *trail*, when there is one to keep.

    The period is then kept as that entry, in that very tuple: a fresh case
    holds one tuple for its trail and its periods (unless the entry, written
    before entries recorded whereabouts, has none to read).
    """
    periods: tuple[Period, ...] = (
        (snapshot(status, fate, assurance, effective_at, 0, whereabouts, UNCONTESTED, None),)
        if trail is None or trail[0].whereabouts is None
        else trail
    )
    return build(
        Standing,
        case_id,
        status,
        fate,
        assurance,
        whereabouts,
        effective_at,
        (),
        recorded_at,
        actor_id,
        _UNBACKED,
        None,
        False,  # noqa: FBT003 - the field tied, in the order build takes them
        _NONE,
        _NONE,
        _NONE,
        _NONE,
        1,
        periods,
    )


_UNBACKED: frozenset[str] = frozenset()
"""The backing of a status nobody has corroborated yet: one value for every case."""
_NONE: tuple[Backing, ...] = ()
"""No corroboration of the current period yet, no conflict to reconcile: one value for every case."""
_AGAINST_THE_CASE = frozenset({Code.ILLEGAL_TRANSITION, Code.EARLIER_THAN_CURRENT})
"""The codes of a report kept as a conflict with the case as it stood, not as a rival's."""


def waits_for_a_move(displaces: int | None, codes: tuple[Code, ...]) -> bool:
    """Whether a conflict entry that *displaces* and has *codes* waits for a move to make it agree.

    A report kept as a conflict with the case as it stood: no rival's (see
    ``Standing.waiting``).
    """
    return displaces is None and _AGAINST_THE_CASE.issuperset(codes)


def _still_waiting(waiting: tuple[Backing, ...], conflicts: tuple[int, ...]) -> tuple[Backing, ...]:
    """*waiting*, but those no longer open (a change settled them)."""
    if not waiting:
        return waiting
    return tuple(report for report in waiting if report.seq in conflicts)


def whereabouts_before_recorded(to_status: str, held: Whereabouts) -> Whereabouts:
    """The whereabouts an entry written before they were recorded moves a case to, from *held*.

    Into a status named as the default workflow's ``missing``, ``captured``
    or ``repatriated``, theirs (``WHEREABOUTS_BY_NAME``); into any other
    (``wounded``, ``dead``, ``confirmed``, or an app's own), the case keeps
    *held*: the default workflow's rule as it stood then, applied by name
    alone, as replay needs no workflow.
    """
    return WHEREABOUTS_BY_NAME.get(to_status, held)


def step(  # noqa: C901, PLR0912, PLR0915, PLR0917 - the fields of an entry that move a case, the one step
    state: S,
    kind: EntryKind,
    to_status: str,
    fate: Fate,
    assurance: Assurance,
    whereabouts: Whereabouts,
    effective_at: datetime,
    recorded_at: datetime,
    resolves: tuple[int, ...],
    reverts_to: int | None,
    displaces: int | None,
    actor_id: str | None,
    role: str,
    trigger: str,
    carries_into: int | None = None,
    contests: tuple[int, ...] | None = None,
    reconciles: tuple[int, ...] | None = None,
    codes: tuple[Code, ...] = (),
    entry: Entry | None = None,
    *more: object,
) -> S:
    """Where *state* stands once the next entry, with these fields, is accepted.

    The result is of *state*'s own class; *more* are the values of the fields
    a subclass adds (a :class:`~casestate.Case`'s trail).

    The one state step: apply, a batch and replay all move a case with it.
    It trusts its input (a verdict of the decision, or an entry replay has
    checked follows the case). Given the *entry* that holds these fields, a
    period it begins, or a corroboration of the current one, is kept as that
    entry, which the trail holds anyway.
    """
    seq = state.version
    conflicts = state.open_conflicts
    if resolves:
        conflicts = tuple(number for number in conflicts if number not in resolves)
    periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    waiting = state.waiting if not resolves else _still_waiting(state.waiting, conflicts)
    rivalled = state.rivalled if not resolves else _still_waiting(state.rivalled, conflicts)
    left = state.left_backers
    if kind is EntryKind.EARLIER_PERIOD:
        if contests:
            # Reports that backed a left period, about a time the late report says was otherwise:
            # each waits as a conflict, as it would have had it come after the late report.
            conflicts = (*conflicts, *contests)
            waiting = (*waiting, *(backer for backer in left if backer.seq in contests))
            left = tuple(backer for backer in left if backer.seq not in contests)
        reconciled = _NONE
        if reconciles:
            # Had it come first, the conflicts that agree with the period it begins earlier would
            # have been reconciled by its move: they back that period from now on.
            conflicts, waiting, rivalled, reconciled = _reconciled(conflicts, waiting, rivalled, reconciles)
        kept = Kept(
            conflicts, waiting, rivalled, left, _backer(entry, seq, trigger, effective_at), reconciled
        )
        # Of the status the case holds, about a time in the period before the current one: the
        # current period began then; a rival of the report that began that one voids it. About an
        # older one, it is read as any other (see _told_late).
        if voids_the_one_before(state, to_status, effective_at, contests):
            voided = (*periods[:-2], periods[-1])
            return _begun_earlier(
                state, assurance, whereabouts, effective_at, role, kept, recorded_at, *more, periods=voided
            )
        if to_status == state.status and holding_index(periods, effective_at) == len(periods) - 2:
            return _begun_earlier(state, assurance, whereabouts, effective_at, role, kept, recorded_at, *more)
        late = Late(to_status, fate, assurance, whereabouts, effective_at, carries_into, entry)
        return _told_late(state, late, kept, recorded_at, *more)
    if displaces is not None and kind is EntryKind.CONFLICT and to_status == state.status:
        # A late rival, as strong, of the report that began a period the case has left:
        # that period is undecided (see _left_undecided).
        reconciled = _NONE
        if reconciles:
            # Conflicts the left period made wrong that now would corroborate the current one back it.
            conflicts, waiting, rivalled, reconciled = _reconciled(conflicts, waiting, rivalled, reconciles)
        report = _backer(entry, seq, trigger, effective_at)
        kept = Kept(conflicts, waiting, rivalled, left, report, reconciled)
        return _left_undecided(state, displaces, effective_at, contests, kept, recorded_at, *more)
    entered_by, tied, backers = state.entered_by, state.tied, state.backers
    if displaces is not None:
        # A rival report about the instant the current period began: that period is
        # void, and the reports that held it wait beside this one (a period two
        # rivals left undecided is one of theirs, waiting already).
        # (The displaced report backs its own period once a late report dated it earlier: once.)
        held = _reports_of_the_current(state)
        conflicts = (
            *conflicts,
            *(report.seq for report in held if report.seq not in conflicts and report.seq not in resolves),
        )
        # They rival whichever report holds the instant now, as the rival does should neither hold.
        known = {report.seq for report in rivalled}
        rivalled = (
            *rivalled,
            *(report for report in held if report.seq not in known and report.seq in conflicts),
        )
        periods = periods[:-1]
    if kind is EntryKind.CONFLICT:
        conflicts = (*conflicts, seq)
        if waits_for_a_move(displaces, codes):
            waiting = (*waiting, _backer(entry, seq, trigger, effective_at))
        else:
            # A rival kept as a conflict: it waits beside what it rivals, should another rival hold.
            rivalled = (*rivalled, _backer(entry, seq, trigger, effective_at))
    elif contests:
        # Corroborations of the period this move ends, about a time it says was otherwise, or, for
        # a rival that voids it, the reports of the period before: each waits as a conflict, as it
        # would have had it come after the move.
        conflicts = (*conflicts, *contests)
        if displaces is None:
            waiting = (*waiting, *(backer for backer in backers if backer.seq in contests))
        else:
            waiting = (*waiting, *(backer for backer in left if backer.seq in contests))
            left = tuple(backer for backer in left if backer.seq not in contests)
    reconciled = _NONE
    if reconciles:
        conflicts, waiting, rivalled, reconciled = _reconciled(conflicts, waiting, rivalled, reconciles)
    if kind is EntryKind.TRANSITION and displaces is None:
        rivalled = _NONE  # a move that is no rival's ends the rivalry over the period it leaves
    backing = state.backing
    if displaces is not None and kind is EntryKind.CONFLICT:
        # Neither rival holds: the case stands as it did before both, and nobody's report is
        # the current one, to withdraw on their own. The pair is undecided up to the later of
        # their days, whichever came first: a report about either day joins it.
        reporter = None
        backing = _UNBACKED
        since = max(effective_at, state.status_since)
        began = (
            snapshot(to_status, fate, assurance, since, seq, whereabouts, UNCONTESTED, None)
            if entry is None or since != effective_at
            else entry
        )
        periods = (*periods, began)
        entered_by, tied, backers = trigger, True, reconciled
    elif kind is EntryKind.TRANSITION:
        # A resumed period is nobody's new report: only a role may withdraw it in turn.
        reporter = actor_id if reverts_to is None else None
        backing = _UNBACKED
        if displaces is None and reverts_to is None:
            # The reports that backed the period it leaves back it still, as a left one.
            left = (*left, *_leaving(state, contests))
        tied, backers = False, reconciled
        if displaces is not None and reconciled:
            # A rival that holds about a later day gives the days between back to the period before.
            between = tuple(
                report
                for report in reconciled
                if backs_the_period_before(
                    kind, displaces, effective_at, state.status_since, report.effective_at
                )
            )
            if between:
                left = (*left, *between)
                backers = tuple(report for report in reconciled if report not in between)
        entered_by = trigger if reverts_to is None else None
        if reverts_to is None:
            since = effective_at
            began = (
                snapshot(to_status, fate, assurance, effective_at, seq, whereabouts, UNCONTESTED, trigger)
                if entry is None or entry.whereabouts is None
                else entry
            )
            periods = (*periods, began)
        else:
            # The resumed period stands again as it was, from when it began.
            for index in range(len(periods) - 1, -1, -1):
                if periods[index].seq == reverts_to:
                    break
            periods = periods[: index + 1]
            since = snapshot_of(periods[-1]).since
            # The periods it voids, and the one it resumes, resume without the reports that backed them.
            left = tuple(backer for backer in left if backer.effective_at < since)
    else:
        reporter = state.reporter_id
        since = state.status_since
        if kind is EntryKind.CORROBORATION:
            if role not in backing:
                backing = backing | {role}
            backers = (*backers, _backer(entry, seq, trigger, effective_at))
        if assurance is not state.assurance or whereabouts is not state.whereabouts:
            # The current period carries the case's assurance and whereabouts (a report
            # may tell where he is), should a retraction resume it later.
            periods = (*periods[:-1], _restated(periods[-1], assurance, whereabouts))
    return build(
        type(state),
        state.id,
        to_status,
        fate,
        assurance,
        whereabouts,
        since,
        conflicts,
        recorded_at,
        reporter,
        backing,
        entered_by,
        tied,
        backers,
        waiting,
        rivalled,
        left,
        seq + 1,
        periods,
        *more,
    )


def kept_as_it_stood(state: Standing, to_status: str, effective_at: datetime) -> bool:
    """Whether a late report of *to_status* about *effective_at* says *state* was as a left period stood.

    Of the status of the period that holds its time, and not the current period's start moved
    earlier: :func:`step` keeps it as that period's report (see ``_told_late``).
    """
    periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    index = holding_index(periods, effective_at)
    moves_the_current = to_status == state.status and index == len(periods) - 2
    return not moves_the_current and to_status == snapshot_of(periods[index]).status


def _reconciled(
    conflicts: tuple[int, ...],
    waiting: tuple[Backing, ...],
    rivalled: tuple[Backing, ...],
    reconciles: tuple[int, ...],
) -> tuple[tuple[int, ...], tuple[Backing, ...], tuple[Backing, ...], tuple[Backing, ...]]:
    """The open conflicts, those waiting and the rivals once a move reconciles *reconciles*; and those.

    Each backs the period the move begins, as it would have had it come after the move, in the
    order the entry names them.
    """
    by_seq = {report.seq: report for report in (*waiting, *rivalled) if report.seq in reconciles}
    return (
        tuple(number for number in conflicts if number not in reconciles),
        tuple(report for report in waiting if report.seq not in reconciles),
        tuple(report for report in rivalled if report.seq not in reconciles),
        tuple(by_seq[number] for number in reconciles),
    )


def _leaving(state: Standing, contests: tuple[int, ...] | None) -> tuple[Backing, ...]:
    """The reports that back *state*'s current period, as a move that leaves it keeps them.

    The report that began it (first, unless a late report dated the period earlier and it backs the
    period already), and its backers, but those the move *contests*.
    """
    # The opening, a resumed period, an undecided pair: no report began it.
    reports = state.backers if state.entered_by is None or state.tied else _reports_of_the_current(state)
    return reports if not contests else tuple(report for report in reports if report.seq not in contests)


def _reports_of_the_current(state: Standing) -> tuple[Backing, ...]:
    """The report that began *state*'s current period, first, and the reports that back it.

    Once a late report dated the period earlier, its report is the first of its backers already.
    """
    backers = state.backers
    current = state._periods[-1]  # noqa: SLF001 - the step keeps them as it made them
    if backers and backers[0].seq == current.seq:
        return backers
    return (_report_of(current), *backers)


def _report_of(period: Period) -> Backing:
    """The report that began *period*, a report's, about its own time: its entry, or as a batch keeps it.

    A period kept as a snapshot begins at its report's own time until a late report dates it
    earlier, after which its report backs it, and is read from there.
    """
    if type(period) is Snapshot:
        return Backer(period.seq, period.entered_by, period.since)  # type: ignore[arg-type] # a report began it
    return period  # type: ignore[return-value] # the other kind of period: its entry


def _restated(period: Period, assurance: Assurance, whereabouts: Whereabouts) -> Snapshot:
    """*period* as it stands with *assurance* and *whereabouts*."""
    last = snapshot_of(period)
    return snapshot(
        last.status, last.fate, assurance, last.since, last.seq, whereabouts, UNCONTESTED, last.entered_by
    )


def _backer(entry: Entry | None, seq: int, trigger: str, effective_at: datetime) -> Backing:
    """How the current period keeps the corroboration *entry* (a batch's, with none: by its fields)."""
    return entry if entry is not None else Backer(seq, trigger, effective_at)


def _with_earlier(
    state: S,
    told: Period | None,
    kept: Kept,
    recorded_at: datetime,
    carries_into: int | None,
    *more: object,
    periods: tuple[Period, ...] | None = None,
    carried: Whereabouts | None = None,
) -> S:
    """*state* with the period *told*, by a late report, after the period that holds its start.

    The case stands as it did, but where the period after it takes the place
    the late report tells (*carries_into*: its own report named none): the
    current period, whose place is the case's, or one the case has left.
    With no period *told*, the periods stand as they are, or as *periods*
    has them, but where the period *carries_into* takes the place *carried*
    (the late report's, given wherever *carries_into* is). *kept* holds the
    open conflicts and the reports that back left periods once the entry is
    accepted.
    """
    if periods is None:
        periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    current = periods[-1]
    whereabouts = state.whereabouts
    if carries_into is not None:
        place: Whereabouts = carried  # type: ignore[assignment] # given with carries_into
        if carries_into == current.seq:
            whereabouts = place
            current = _restated(current, snapshot_of(current).assurance, place)
        else:
            periods = tuple(
                _restated(period, snapshot_of(period).assurance, place)
                if period.seq == carries_into
                else period
                for period in periods
            )
    periods = periods if told is None else _inserted(periods, told, current)
    return _current_kept(state, kept, recorded_at, periods, whereabouts, *more)


def _current_kept(
    state: S,
    kept: Kept,
    recorded_at: datetime,
    periods: tuple[Period, ...],
    whereabouts: Whereabouts,
    *more: object,
    backers: tuple[Backing, ...] | None = None,
) -> S:
    """*state* once a late report is accepted that leaves its current period as it is.

    In its status, since when it took effect, backed as it was (or by *backers*); with the
    conflicts and the reports *kept*, the *periods* before the current one as
    the report tells them, and the current *whereabouts*.
    """
    return build(
        type(state),
        state.id,
        state.status,
        state.fate,
        state.assurance,
        whereabouts,
        state.status_since,
        kept.conflicts,
        recorded_at,
        state.reporter_id,
        state.backing,
        state.entered_by,
        state.tied,
        state.backers if backers is None else backers,
        kept.waiting,
        kept.rivalled,
        kept.left,
        state.version + 1,
        periods,
        *more,
    )


class Kept(NamedTuple):
    """What a case keeps of its reports once a late report of an earlier period is accepted."""

    conflicts: tuple[int, ...]
    """The open conflicts: with those it contests."""
    waiting: tuple[Backing, ...]
    """The open conflicts a move may reconcile: with those it contests."""
    rivalled: tuple[Backing, ...]
    """The open conflicts that rival the current period (see ``Standing.rivalled``)."""
    left: tuple[Backing, ...]
    """The reports that back left periods (see ``Standing.left_backers``): without those it contests."""
    report: Backing
    """The late report itself, as a period keeps a report that backs it."""
    reconciled: tuple[Backing, ...] = _NONE
    """The open conflicts it reconciles: they back the period it begins, or the current one."""


class Late(NamedTuple):
    """The fields of an entry that reports a period before the current one, in another status."""

    to_status: str
    fate: Fate
    assurance: Assurance
    whereabouts: Whereabouts
    effective_at: datetime
    carries_into: int | None
    entry: Entry | None


def _told_late(state: S, late: Late, kept: Kept, recorded_at: datetime, *more: object) -> S:
    """*state* once a late report of a period before the current one, in another status, is accepted.

    By the live period that holds its time: a report of that period's status
    says what the history holds; one of the next period's, a period the case
    has left since, says that period began on its day; any other tells a
    period of its own between the two.
    """
    periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    to_status, effective_at = late.to_status, late.effective_at
    index = holding_index(periods, effective_at)
    if to_status == snapshot_of(periods[index]).status:
        # As that period stood, it backs that period; about the instant it began, it may tell it
        # the place it only carried.
        kept = kept._replace(left=(*kept.left, kept.report))
        return _with_earlier(
            state, None, kept, recorded_at, late.carries_into, *more, carried=late.whereabouts
        )
    if to_status == snapshot_of(periods[index + 1]).status:
        return _left_begun_earlier(state, index + 1, late.assurance, effective_at, kept, recorded_at, *more)
    entry = late.entry
    told = (
        snapshot(
            to_status,
            late.fate,
            late.assurance,
            effective_at,
            state.version,
            late.whereabouts,
            UNCONTESTED,
            kept.report.trigger,  # the late report began it, as a report begins a period
        )
        if entry is None or entry.whereabouts is None
        else entry
    )
    # It began the period it tells, as the report that began a period the case has left did; the
    # conflicts it reconciles back that period with it.
    kept = kept._replace(left=(*kept.left, kept.report, *kept.reconciled))
    return _with_earlier(state, told, kept, recorded_at, late.carries_into, *more, carried=late.whereabouts)


def _left_undecided(  # noqa: PLR0917 - the fields of the entry, in its order
    state: S,
    displaces: int,
    effective_at: datetime,
    contests: tuple[int, ...] | None,
    kept: Kept,
    recorded_at: datetime,
    *more: object,
) -> S:
    """*state* once a late rival, as strong, of the report that began a left period (*displaces*) waits.

    Had it come while that period was current, neither would have held: from
    their instant (the later of their days), the case would have stood as it
    did before both, and the reports that held the period would have waited
    beside the rival. So the period is now: in the status, fate and place of
    the one before it, as strongly as it held its own, begun by nobody's
    report; the reports that backed it (*contests*) and the rival wait as
    conflicts. The periods after it stand as they do (see
    ``_tied_with_a_left_one`` in ``_decide``); the conflicts it reconciles
    back the current one.
    """
    periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    index = next(index for index, period in enumerate(periods) if period.seq == displaces)
    before, rivalled = snapshot_of(periods[index - 1]), snapshot_of(periods[index])
    seq = state.version
    held = contests or ()
    kept = kept._replace(
        conflicts=(*kept.conflicts, *(report for report in held if report not in kept.conflicts), seq),
        left=tuple(backer for backer in kept.left if backer.seq not in held),
    )
    periods = (*periods[:index], undecided(before, rivalled, effective_at, seq), *periods[index + 1 :])
    backers = (*state.backers, *kept.reconciled)
    return _current_kept(state, kept, recorded_at, periods, state.whereabouts, *more, backers=backers)


def _inserted(periods: tuple[Period, ...], told: Period, current: Period) -> tuple[Period, ...]:
    """*periods* with *told* after the period that holds its start, and *current* as the current one."""
    at = holding_index(periods, snapshot_of(told).since) + 1
    return (*periods[:at], told, *periods[at:-1], current)


def _begun_earlier(  # noqa: PLR0917 - the fields of the entry that moves the start, in its order
    state: S,
    assurance: Assurance,
    whereabouts: Whereabouts,
    effective_at: datetime,
    role: str,
    kept: Kept,
    recorded_at: datetime,
    *more: object,
    periods: tuple[Period, ...] | None = None,
) -> S:
    """*state* with its current period begun at *effective_at*, as a late report of its status tells.

    Had that report come first, it would have begun the period, and the one
    that did would have corroborated it: the report backs the period as a
    corroboration does, may raise its assurance, and its place, if it names
    one, holds from its start (see ``earlier_period`` in ``_earlier``). The
    report that began the period is now one that backs it, about its own
    time, which a move may contest (the first such late report says so);
    so do the conflicts it reconciles (*kept*), after it. *periods* are the
    case's periods without those it voids, if any.
    """
    if periods is None:
        periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    raised = state.assurance.stronger(assurance)
    if whereabouts is Whereabouts.UNKNOWN:
        whereabouts = state.whereabouts
    current = periods[-1]
    last = snapshot_of(current)
    began = snapshot(
        last.status, last.fate, raised, effective_at, last.seq, whereabouts, UNCONTESTED, last.entered_by
    )
    backers = state.backers
    if not backers or backers[0].seq != last.seq:
        # Not moved before: the period still begins at its report's own time.
        report: Backing = (
            Backer(last.seq, last.entered_by, last.since)  # type: ignore[arg-type] # a report began it
            if type(current) is Snapshot
            else current  # type: ignore[assignment] # the other kind of period: its entry
        )
        backers = (report, *backers)
    backing = state.backing
    return build(
        type(state),
        state.id,
        state.status,
        state.fate,
        raised,
        whereabouts,
        effective_at,
        kept.conflicts,
        recorded_at,
        state.reporter_id,
        backing if role in backing else backing | {role},
        state.entered_by,
        state.tied,
        (*backers, kept.report, *kept.reconciled),
        kept.waiting,
        kept.rivalled,
        kept.left,
        state.version + 1,
        (*periods[:-1], began),
        *more,
    )


def _left_begun_earlier(  # noqa: PLR0917 - the fields of the entry that moves the start, in its order
    state: S,
    index: int,
    assurance: Assurance,
    effective_at: datetime,
    kept: Kept,
    recorded_at: datetime,
    *more: object,
) -> S:
    """*state* with the period at *index*, one it has left since, begun at *effective_at*.

    As :func:`_begun_earlier` does for the current period, had the late
    report come while that period was current: it may raise the assurance
    the period had (which a retraction resuming it resumes); it names no
    other place than the period held (see ``_between`` in ``_earlier``). The
    case itself stands as it did.
    """
    periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    left = snapshot_of(periods[index])
    began = snapshot(
        left.status,
        left.fate,
        left.assurance.stronger(assurance),
        effective_at,
        left.seq,
        left.whereabouts,
        UNCONTESTED,
        left.entered_by,
    )
    moved = (*periods[:index], began, *periods[index + 1 :])
    # The report backs that period, as one of a left period's status does (the report that began
    # it backs it already, about its own time, since the case left it or a late report told it).
    kept = kept._replace(left=(*kept.left, kept.report))
    return _with_earlier(state, None, kept, recorded_at, None, *more, periods=moved)


def step_by(state: S, entry: Entry, *more: object) -> S:
    """Where *state* stands once *entry*, sealed or replayed, is accepted: :func:`step` with its fields.

    An entry written before entries recorded whereabouts is read as the
    default statuses said them (see :func:`whereabouts_before_recorded`); a
    retraction or reopening among them resumes the whereabouts of the period
    it resumes.
    """
    whereabouts = entry.whereabouts
    if whereabouts is None:
        whereabouts = _read_before_recorded(state, entry)
    return step(
        state,
        entry.kind,
        entry.to_status,
        entry.fate,
        entry.assurance,
        whereabouts,
        entry.effective_at,
        entry.recorded_at,
        entry.resolves,
        entry.reverts_to,
        entry.displaces,
        entry.actor_id,
        entry.role,
        entry.trigger,
        entry.carries_into,
        entry.contests,
        entry.reconciles,
        entry.codes,
        entry,
        *more,
    )


def _read_before_recorded(state: Standing, entry: Entry) -> Whereabouts:
    if entry.kind is not EntryKind.TRANSITION:
        return state.whereabouts
    if entry.reverts_to is not None:
        for period in state.periods:
            if period.seq == entry.reverts_to:
                return period.whereabouts
    return whereabouts_before_recorded(entry.to_status, state.whereabouts)
